using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Chorus.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AddExports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Exports",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Kind = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    CampaignId = table.Column<Guid>(type: "TEXT", nullable: true),
                    Status = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Rows = table.Column<long>(type: "INTEGER", nullable: false),
                    TotalRows = table.Column<long>(type: "INTEGER", nullable: false),
                    FileBytes = table.Column<long>(type: "INTEGER", nullable: false),
                    Error = table.Column<string>(type: "TEXT", maxLength: 2000, nullable: true),
                    Attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    ClaimToken = table.Column<Guid>(type: "TEXT", nullable: true),
                    HeartbeatUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CreatedByUserId = table.Column<Guid>(type: "TEXT", nullable: false),
                    CreatedUtc = table.Column<DateTime>(type: "TEXT", nullable: false),
                    StartedUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    CompletedUtc = table.Column<DateTime>(type: "TEXT", nullable: true),
                    ExpiredUtc = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Exports", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_OptOuts_OrganizationId_Id",
                table: "OptOuts",
                columns: new[] { "OrganizationId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Messages_OrganizationId_Id",
                table: "Messages",
                columns: new[] { "OrganizationId", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Contacts_CampaignId_Id",
                table: "Contacts",
                columns: new[] { "CampaignId", "Id" });

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
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "Exports");

            migrationBuilder.DropIndex(
                name: "IX_OptOuts_OrganizationId_Id",
                table: "OptOuts");

            migrationBuilder.DropIndex(
                name: "IX_Messages_OrganizationId_Id",
                table: "Messages");

            migrationBuilder.DropIndex(
                name: "IX_Contacts_CampaignId_Id",
                table: "Contacts");
        }
    }
}
