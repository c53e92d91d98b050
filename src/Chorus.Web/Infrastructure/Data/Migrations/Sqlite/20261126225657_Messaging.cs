using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Chorus.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Messaging : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<bool>(
                name: "BadNumber",
                table: "Contacts",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "ConversationStatus",
                table: "Contacts",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "LastInboundUtc",
                table: "Contacts",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "LastMessageUtc",
                table: "Contacts",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SenderNumber",
                table: "Contacts",
                type: "TEXT",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "TexterUserId",
                table: "Contacts",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Messages",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CampaignId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ContactId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Direction = table.Column<int>(type: "INTEGER", nullable: false),
                    Kind = table.Column<int>(type: "INTEGER", nullable: false),
                    Phone = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    OurNumber = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    Body = table.Column<string>(type: "TEXT", maxLength: 1600, nullable: false),
                    Segments = table.Column<int>(type: "INTEGER", nullable: false),
                    Encoding = table.Column<int>(type: "INTEGER", nullable: false),
                    Provider = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ProviderMessageId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    ErrorCode = table.Column<int>(type: "INTEGER", nullable: true),
                    ErrorMessage = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    Carrier = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    TexterUserId = table.Column<Guid>(type: "TEXT", nullable: true),
                    ActionId = table.Column<Guid>(type: "TEXT", nullable: true),
                    RespectsTextingWindow = table.Column<bool>(type: "INTEGER", nullable: false),
                    Keyword = table.Column<string>(type: "TEXT", maxLength: 20, nullable: true),
                    NeedsOptOutReview = table.Column<bool>(type: "INTEGER", nullable: false),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    NotBeforeUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ClaimToken = table.Column<Guid>(type: "TEXT", nullable: true),
                    ClaimedUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    SubmittedUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Messages", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "MessageStatusChanges",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    MessageId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ErrorCode = table.Column<int>(type: "INTEGER", nullable: true),
                    OccurredUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MessageStatusChanges", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "MessagingSettings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Provider = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    TwilioAccountSid = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    TwilioAuthTokenProtected = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    TwilioMessagingServiceSid = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    TwilioNumbers = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: false),
                    TwilioApiBaseUrl = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    TwilioAnswersKeywords = table.Column<bool>(type: "INTEGER", nullable: false),
                    SimulatorSecretProtected = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    MessagesPerSecond = table.Column<int>(type: "INTEGER", nullable: true),
                    MessagesPerSecondPerNumber = table.Column<int>(type: "INTEGER", nullable: true),
                    MessagesPerDay = table.Column<int>(type: "INTEGER", nullable: true),
                    HelpText = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    OptOutConfirmation = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    OptInConfirmation = table.Column<string>(type: "TEXT", maxLength: 320, nullable: false),
                    OptOutKeywords = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    OptInKeywords = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    HelpKeywords = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    LikelyOptOutPhrases = table.Column<string>(type: "TEXT", maxLength: 4000, nullable: true),
                    UpdatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MessagingSettings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PendingStatusReports",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ProviderMessageId = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Status = table.Column<int>(type: "INTEGER", nullable: false),
                    Detail = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    ErrorCode = table.Column<int>(type: "INTEGER", nullable: true),
                    Carrier = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    ReceivedUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PendingStatusReports", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SendRateCounters",
                columns: table => new
                {
                    Key = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    Window = table.Column<long>(type: "INTEGER", nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SendRateCounters", x => new { x.Key, x.Window });
                });

            migrationBuilder.CreateIndex(
                name: "IX_Messages_ActionId",
                table: "Messages",
                column: "ActionId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Messages_ContactId_CreatedUtc",
                table: "Messages",
                columns: new[] { "ContactId", "CreatedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Messages_OneInitialPerContact",
                table: "Messages",
                column: "ContactId",
                unique: true,
                filter: "\"Kind\" = 0");

            migrationBuilder.CreateIndex(
                name: "IX_Messages_OrganizationId_Phone_CreatedUtc",
                table: "Messages",
                columns: new[] { "OrganizationId", "Phone", "CreatedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Messages_OrganizationId_ProviderMessageId",
                table: "Messages",
                columns: new[] { "OrganizationId", "ProviderMessageId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Messages_Status_NotBeforeUtc",
                table: "Messages",
                columns: new[] { "Status", "NotBeforeUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_MessageStatusChanges_MessageId_OccurredUtc",
                table: "MessageStatusChanges",
                columns: new[] { "MessageId", "OccurredUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_MessagingSettings_OrganizationId",
                table: "MessagingSettings",
                column: "OrganizationId",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_PendingStatusReports_OrganizationId_ProviderMessageId",
                table: "PendingStatusReports",
                columns: new[] { "OrganizationId", "ProviderMessageId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Messages");

            migrationBuilder.DropTable(
                name: "MessageStatusChanges");

            migrationBuilder.DropTable(
                name: "MessagingSettings");

            migrationBuilder.DropTable(
                name: "PendingStatusReports");

            migrationBuilder.DropTable(
                name: "SendRateCounters");

            migrationBuilder.DropColumn(
                name: "BadNumber",
                table: "Contacts");

            migrationBuilder.DropColumn(
                name: "ConversationStatus",
                table: "Contacts");

            migrationBuilder.DropColumn(
                name: "LastInboundUtc",
                table: "Contacts");

            migrationBuilder.DropColumn(
                name: "LastMessageUtc",
                table: "Contacts");

            migrationBuilder.DropColumn(
                name: "SenderNumber",
                table: "Contacts");

            migrationBuilder.DropColumn(
                name: "TexterUserId",
                table: "Contacts");
        }
    }
}
