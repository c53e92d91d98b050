using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Chorus.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class Texting : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "AssignmentId",
                table: "Contacts",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "BatchId",
                table: "Contacts",
                type: "uuid",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "Escalated",
                table: "Contacts",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "EscalationReason",
                table: "Contacts",
                type: "character varying(500)",
                maxLength: 500,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "Tags",
                table: "Contacts",
                type: "character varying(2000)",
                maxLength: 2000,
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<bool>(
                name: "AllowEditingInitialMessage",
                table: "Campaigns",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "BatchSize",
                table: "Campaigns",
                type: "integer",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<bool>(
                name: "DynamicAssignment",
                table: "Campaigns",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<int>(
                name: "MaxContactsPerTexter",
                table: "Campaigns",
                type: "integer",
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "RequireRepliesBeforeMore",
                table: "Campaigns",
                type: "boolean",
                nullable: false,
                defaultValue: false);

            migrationBuilder.CreateTable(
                name: "Assignments",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    CampaignId = table.Column<Guid>(type: "uuid", nullable: false),
                    TexterUserId = table.Column<Guid>(type: "uuid", nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Assignments", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Assignments_Campaigns_CampaignId",
                        column: x => x.CampaignId,
                        principalTable: "Campaigns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "SurveyResponses",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "uuid", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "uuid", nullable: false),
                    CampaignId = table.Column<Guid>(type: "uuid", nullable: false),
                    ContactId = table.Column<Guid>(type: "uuid", nullable: false),
                    StepId = table.Column<Guid>(type: "uuid", nullable: false),
                    Answer = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    TexterUserId = table.Column<Guid>(type: "uuid", nullable: true),
                    RecordedUtc = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SurveyResponses", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Contacts_AssignmentId_ConversationStatus",
                table: "Contacts",
                columns: new[] { "AssignmentId", "ConversationStatus" });

            migrationBuilder.CreateIndex(
                name: "IX_Contacts_CampaignId_AssignmentId_ConversationStatus",
                table: "Contacts",
                columns: new[] { "CampaignId", "AssignmentId", "ConversationStatus" });

            migrationBuilder.CreateIndex(
                name: "IX_Contacts_OrganizationId_TexterUserId_ConversationStatus",
                table: "Contacts",
                columns: new[] { "OrganizationId", "TexterUserId", "ConversationStatus" });

            migrationBuilder.CreateIndex(
                name: "IX_Assignments_CampaignId_TexterUserId",
                table: "Assignments",
                columns: new[] { "CampaignId", "TexterUserId" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Assignments_OrganizationId_TexterUserId",
                table: "Assignments",
                columns: new[] { "OrganizationId", "TexterUserId" });

            migrationBuilder.CreateIndex(
                name: "IX_SurveyResponses_CampaignId_StepId",
                table: "SurveyResponses",
                columns: new[] { "CampaignId", "StepId" });

            migrationBuilder.CreateIndex(
                name: "IX_SurveyResponses_ContactId_StepId",
                table: "SurveyResponses",
                columns: new[] { "ContactId", "StepId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Assignments");

            migrationBuilder.DropTable(
                name: "SurveyResponses");

            migrationBuilder.DropIndex(
                name: "IX_Contacts_AssignmentId_ConversationStatus",
                table: "Contacts");

            migrationBuilder.DropIndex(
                name: "IX_Contacts_CampaignId_AssignmentId_ConversationStatus",
                table: "Contacts");

            migrationBuilder.DropIndex(
                name: "IX_Contacts_OrganizationId_TexterUserId_ConversationStatus",
                table: "Contacts");

            migrationBuilder.DropColumn(
                name: "AssignmentId",
                table: "Contacts");

            migrationBuilder.DropColumn(
                name: "BatchId",
                table: "Contacts");

            migrationBuilder.DropColumn(
                name: "Escalated",
                table: "Contacts");

            migrationBuilder.DropColumn(
                name: "EscalationReason",
                table: "Contacts");

            migrationBuilder.DropColumn(
                name: "Tags",
                table: "Contacts");

            migrationBuilder.DropColumn(
                name: "AllowEditingInitialMessage",
                table: "Campaigns");

            migrationBuilder.DropColumn(
                name: "BatchSize",
                table: "Campaigns");

            migrationBuilder.DropColumn(
                name: "DynamicAssignment",
                table: "Campaigns");

            migrationBuilder.DropColumn(
                name: "MaxContactsPerTexter",
                table: "Campaigns");

            migrationBuilder.DropColumn(
                name: "RequireRepliesBeforeMore",
                table: "Campaigns");
        }
    }
}
