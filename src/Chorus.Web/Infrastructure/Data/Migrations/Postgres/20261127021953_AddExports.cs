using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Chorus.Infrastructure.Data.Migrations.Postgres
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
