using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Chorus.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class TrackedLinks : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "LinkRefcode",
                table: "Campaigns",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "LinkRefcode2",
                table: "Campaigns",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "LinkClicks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CampaignId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ContactId = table.Column<Guid>(type: "TEXT", nullable: false),
                    LinkId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Code = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    ClickedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UserAgent = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    IsBot = table.Column<bool>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_LinkClicks", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "TrackedLinks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CampaignId = table.Column<Guid>(type: "TEXT", nullable: false),
                    ContactId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TexterUserId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Code = table.Column<string>(type: "TEXT", maxLength: 8, nullable: false),
                    TargetUrl = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: false),
                    TargetHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    MessageId = table.Column<Guid>(type: "TEXT", nullable: true),
                    CreatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TrackedLinks", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_LinkClicks_CampaignId_IsBot_ContactId",
                table: "LinkClicks",
                columns: new[] { "CampaignId", "IsBot", "ContactId" });

            migrationBuilder.CreateIndex(
                name: "IX_LinkClicks_ContactId_ClickedUtc",
                table: "LinkClicks",
                columns: new[] { "ContactId", "ClickedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_TrackedLinks_CampaignId_MessageId",
                table: "TrackedLinks",
                columns: new[] { "CampaignId", "MessageId" });

            migrationBuilder.CreateIndex(
                name: "IX_TrackedLinks_Code",
                table: "TrackedLinks",
                column: "Code",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_TrackedLinks_ContactId_TargetHash",
                table: "TrackedLinks",
                columns: new[] { "ContactId", "TargetHash" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "LinkClicks");

            migrationBuilder.DropTable(
                name: "TrackedLinks");

            migrationBuilder.DropColumn(
                name: "LinkRefcode",
                table: "Campaigns");

            migrationBuilder.DropColumn(
                name: "LinkRefcode2",
                table: "Campaigns");
        }
    }
}
