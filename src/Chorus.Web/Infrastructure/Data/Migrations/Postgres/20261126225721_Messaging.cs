using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Chorus.Infrastructure.Data.Migrations.Postgres
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
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "ConversationStatus",
                table: "Contacts",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<DateTime>(
                name: "LastInboundUtc",
                table: "Contacts",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<DateTime>(
                name: "LastMessageUtc",
                table: "Contacts",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "SenderNumber",
                table: "Contacts",
                type: "character varying(20)",
                maxLength: 20,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "TexterUserId",
                table: "Contacts",
                type: "uuid",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "Messages",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    CampaignId = table.Column<Guid>(type: "uuid", nullable: true),
                    ContactId = table.Column<Guid>(type: "uuid", nullable: true),
                    Direction = table.Column<int>(type: "integer", nullable: false),
                    Kind = table.Column<int>(type: "integer", nullable: false),
                    Phone = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    OurNumber = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    Body = table.Column<string>(type: "character varying(1600)", maxLength: 1600, nullable: false),
                    Segments = table.Column<int>(type: "integer", nullable: false),
                    Encoding = table.Column<int>(type: "integer", nullable: false),
                    Provider = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    ProviderMessageId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    ErrorCode = table.Column<int>(type: "integer", nullable: true),
                    ErrorMessage = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    Carrier = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    TexterUserId = table.Column<Guid>(type: "uuid", nullable: true),
                    ActionId = table.Column<Guid>(type: "uuid", nullable: true),
                    RespectsTextingWindow = table.Column<bool>(type: "boolean", nullable: false),
                    Keyword = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: true),
                    NeedsOptOutReview = table.Column<bool>(type: "boolean", nullable: false),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    NotBeforeUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    ClaimToken = table.Column<Guid>(type: "uuid", nullable: true),
                    ClaimedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    SubmittedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CreatedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    UpdatedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Messages", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "MessageStatusChanges",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    MessageId = table.Column<Guid>(type: "uuid", nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    Detail = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    ErrorCode = table.Column<int>(type: "integer", nullable: true),
                    OccurredUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MessageStatusChanges", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "MessagingSettings",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Provider = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    TwilioAccountSid = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    TwilioAuthTokenProtected = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    TwilioMessagingServiceSid = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: true),
                    TwilioNumbers = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: false),
                    TwilioApiBaseUrl = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    TwilioAnswersKeywords = table.Column<bool>(type: "boolean", nullable: false),
                    SimulatorSecretProtected = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    MessagesPerSecond = table.Column<int>(type: "integer", nullable: true),
                    MessagesPerSecondPerNumber = table.Column<int>(type: "integer", nullable: true),
                    MessagesPerDay = table.Column<int>(type: "integer", nullable: true),
                    HelpText = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    OptOutConfirmation = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    OptInConfirmation = table.Column<string>(type: "character varying(320)", maxLength: 320, nullable: false),
                    OptOutKeywords = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    OptInKeywords = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    HelpKeywords = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    LikelyOptOutPhrases = table.Column<string>(type: "character varying(4000)", maxLength: 4000, nullable: true),
                    UpdatedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_MessagingSettings", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "PendingStatusReports",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    ProviderMessageId = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    Status = table.Column<int>(type: "integer", nullable: false),
                    Detail = table.Column<string>(type: "character varying(40)", maxLength: 40, nullable: false),
                    ErrorCode = table.Column<int>(type: "integer", nullable: true),
                    Carrier = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    ReceivedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_PendingStatusReports", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "SendRateCounters",
                columns: table => new
                {
                    Key = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    Window = table.Column<long>(type: "bigint", nullable: false),
                    Count = table.Column<int>(type: "integer", nullable: false)
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
