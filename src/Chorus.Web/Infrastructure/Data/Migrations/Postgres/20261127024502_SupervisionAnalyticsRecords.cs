using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Chorus.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SupervisionAnalyticsRecords : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTime>(
                name: "BodyPurgedUtc",
                table: "Messages",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "CampaignId",
                table: "JoinLinks",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "TrainingText",
                table: "Campaigns",
                type: "character varying(4000)",
                maxLength: 4000,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<DateTime>(
                name: "TrainingAcknowledgedUtc",
                table: "Assignments",
                type: "timestamp with time zone",
                nullable: true);

            migrationBuilder.CreateTable(
                name: "AnalyticsSettings",
                columns: table => new
                {
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    InboundPricePerSegment = table.Column<decimal>(type: "numeric(10,6)", precision: 10, scale: 6, nullable: false),
                    UpdatedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AnalyticsSettings", x => x.OrganizationId);
                    table.ForeignKey(
                        name: "FK_AnalyticsSettings_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "Exports",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    Kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    CampaignId = table.Column<Guid>(type: "uuid", nullable: true),
                    Status = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Rows = table.Column<long>(type: "bigint", nullable: false),
                    TotalRows = table.Column<long>(type: "bigint", nullable: false),
                    FileBytes = table.Column<long>(type: "bigint", nullable: false),
                    Error = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: true),
                    Attempts = table.Column<int>(type: "integer", nullable: false),
                    ClaimToken = table.Column<Guid>(type: "uuid", nullable: true),
                    HeartbeatUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CreatedByUserId = table.Column<Guid>(type: "uuid", nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    StartedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CompletedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    ExpiredUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Exports", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "HelpThreads",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    CampaignId = table.Column<Guid>(type: "uuid", nullable: false),
                    TexterUserId = table.Column<Guid>(type: "uuid", nullable: false),
                    AwaitingAnswer = table.Column<bool>(type: "boolean", nullable: false),
                    ResolvedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CreatedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    LastMessageUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HelpThreads", x => x.Id);
                    table.ForeignKey(
                        name: "FK_HelpThreads_Campaigns_CampaignId",
                        column: x => x.CampaignId,
                        principalTable: "Campaigns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "RetentionPolicies",
                columns: table => new
                {
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    MessageBodyYears = table.Column<int>(type: "integer", nullable: false),
                    UpdatedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_RetentionPolicies", x => x.OrganizationId);
                    table.ForeignKey(
                        name: "FK_RetentionPolicies_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "HelpMessages",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    ThreadId = table.Column<Guid>(type: "uuid", nullable: false),
                    AuthorUserId = table.Column<Guid>(type: "uuid", nullable: false),
                    FromStaff = table.Column<bool>(type: "boolean", nullable: false),
                    Body = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HelpMessages", x => x.Id);
                    table.ForeignKey(
                        name: "FK_HelpMessages_HelpThreads_ThreadId",
                        column: x => x.ThreadId,
                        principalTable: "HelpThreads",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_OptOuts_OrganizationId_Id",
                table: "OptOuts",
                columns: new[] { "OrganizationId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Messages_CampaignHourly",
                table: "Messages",
                columns: new[] { "CampaignId", "CreatedUtc", "Direction", "Kind", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Messages_CampaignStats",
                table: "Messages",
                columns: new[] { "CampaignId", "Direction", "Kind", "Status", "ErrorCode", "Carrier", "TexterUserId", "Segments" });

            migrationBuilder.CreateIndex(
                name: "IX_Messages_OrganizationId_BodyPurgedUtc_CreatedUtc",
                table: "Messages",
                columns: new[] { "OrganizationId", "BodyPurgedUtc", "CreatedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Messages_OrganizationId_CreatedUtc",
                table: "Messages",
                columns: new[] { "OrganizationId", "CreatedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Messages_OrganizationId_Id",
                table: "Messages",
                columns: new[] { "OrganizationId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Contacts_CampaignId_Id",
                table: "Contacts",
                columns: new[] { "CampaignId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Contacts_CampaignReplied",
                table: "Contacts",
                columns: new[] { "CampaignId", "LastInboundUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Contacts_CampaignStatus",
                table: "Contacts",
                columns: new[] { "CampaignId", "ConversationStatus", "LastMessageUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Exports_OrganizationId_CreatedUtc",
                table: "Exports",
                columns: new[] { "OrganizationId", "CreatedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Exports_Status_CompletedUtc",
                table: "Exports",
                columns: new[] { "Status", "CompletedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Exports_Status_HeartbeatUtc",
                table: "Exports",
                columns: new[] { "Status", "HeartbeatUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_HelpMessages_ThreadId_CreatedUtc",
                table: "HelpMessages",
                columns: new[] { "ThreadId", "CreatedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_HelpThreads_CampaignId_TexterUserId",
                table: "HelpThreads",
                columns: new[] { "CampaignId", "TexterUserId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_HelpThreads_OrganizationId_ResolvedUtc_LastMessageUtc",
                table: "HelpThreads",
                columns: new[] { "OrganizationId", "ResolvedUtc", "LastMessageUtc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AnalyticsSettings");

            migrationBuilder.DropTable(
                name: "Exports");

            migrationBuilder.DropTable(
                name: "HelpMessages");

            migrationBuilder.DropTable(
                name: "RetentionPolicies");

            migrationBuilder.DropTable(
                name: "HelpThreads");

            migrationBuilder.DropIndex(
                name: "IX_OptOuts_OrganizationId_Id",
                table: "OptOuts");

            migrationBuilder.DropIndex(
                name: "IX_Messages_CampaignHourly",
                table: "Messages");

            migrationBuilder.DropIndex(
                name: "IX_Messages_CampaignStats",
                table: "Messages");

            migrationBuilder.DropIndex(
                name: "IX_Messages_OrganizationId_BodyPurgedUtc_CreatedUtc",
                table: "Messages");

            migrationBuilder.DropIndex(
                name: "IX_Messages_OrganizationId_CreatedUtc",
                table: "Messages");

            migrationBuilder.DropIndex(
                name: "IX_Messages_OrganizationId_Id",
                table: "Messages");

            migrationBuilder.DropIndex(
                name: "IX_Contacts_CampaignId_Id",
                table: "Contacts");

            migrationBuilder.DropIndex(
                name: "IX_Contacts_CampaignReplied",
                table: "Contacts");

            migrationBuilder.DropIndex(
                name: "IX_Contacts_CampaignStatus",
                table: "Contacts");

            migrationBuilder.DropColumn(
                name: "BodyPurgedUtc",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "CampaignId",
                table: "JoinLinks");

            migrationBuilder.DropColumn(
                name: "TrainingText",
                table: "Campaigns");

            migrationBuilder.DropColumn(
                name: "TrainingAcknowledgedUtc",
                table: "Assignments");
        }
    }
}
