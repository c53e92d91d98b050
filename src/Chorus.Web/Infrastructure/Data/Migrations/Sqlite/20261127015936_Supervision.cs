using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Chorus.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Supervision : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<Guid>(
                name: "CampaignId",
                table: "JoinLinks",
                type: "TEXT",
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Messages_OrganizationId_CreatedUtc",
                table: "Messages",
                columns: new[] { "OrganizationId", "CreatedUtc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Messages_OrganizationId_CreatedUtc",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "CampaignId",
                table: "JoinLinks");
        }
    }
}
