using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Chorus.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Campaigns : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DefaultRegion",
                table: "Organizations",
                type: "TEXT",
                maxLength: 2,
                nullable: false,
                defaultValue: "US");

            migrationBuilder.AddColumn<string>(
                name: "DefaultTimeZone",
                table: "Organizations",
                type: "TEXT",
                maxLength: 64,
                nullable: false,
                defaultValue: "America/New_York");

            migrationBuilder.AddColumn<string>(
                name: "OptOutLanguage",
                table: "Organizations",
                type: "TEXT",
                maxLength: 100,
                nullable: false,
                defaultValue: "Reply STOP to opt out");

            migrationBuilder.AddColumn<decimal>(
                name: "PricePerSegment",
                table: "Organizations",
                type: "TEXT",
                precision: 10,
                scale: 6,
                nullable: false,
                defaultValue: 0.0079m);

            migrationBuilder.CreateTable(
                name: "Campaigns",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Title = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Description = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    InitialMessage = table.Column<string>(type: "TEXT", maxLength: 3200, nullable: false),
                    QuestionJson = table.Column<string>(type: "TEXT", nullable: true),
                    TextingStart = table.Column<TimeOnly>(type: "TEXT", nullable: false),
                    TextingEnd = table.Column<TimeOnly>(type: "TEXT", nullable: false),
                    TextingDays = table.Column<int>(type: "INTEGER", nullable: false),
                    RequireOptOutLanguage = table.Column<bool>(type: "INTEGER", nullable: false),
                    TalkingPoints = table.Column<string>(type: "TEXT", maxLength: 20000, nullable: false),
                    CustomFields = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    LaunchedUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ArchivedUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    Version = table.Column<Guid>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Campaigns", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Campaigns_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "CannedResponses",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CampaignId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Title = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Text = table.Column<string>(type: "TEXT", maxLength: 3200, nullable: false),
                    Tags = table.Column<string>(type: "TEXT", nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UpdatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CannedResponses", x => x.Id);
                    table.ForeignKey(
                        name: "FK_CannedResponses_Campaigns_CampaignId",
                        column: x => x.CampaignId,
                        principalTable: "Campaigns",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Campaigns_OrganizationId_Status",
                table: "Campaigns",
                columns: new[] { "OrganizationId", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_CannedResponses_CampaignId",
                table: "CannedResponses",
                column: "CampaignId");

            migrationBuilder.CreateIndex(
                name: "IX_CannedResponses_OrganizationId_CampaignId",
                table: "CannedResponses",
                columns: new[] { "OrganizationId", "CampaignId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CannedResponses");

            migrationBuilder.DropTable(
                name: "Campaigns");

            migrationBuilder.DropColumn(
                name: "DefaultRegion",
                table: "Organizations");

            migrationBuilder.DropColumn(
                name: "DefaultTimeZone",
                table: "Organizations");

            migrationBuilder.DropColumn(
                name: "OptOutLanguage",
                table: "Organizations");

            migrationBuilder.DropColumn(
                name: "PricePerSegment",
                table: "Organizations");
        }
    }
}
