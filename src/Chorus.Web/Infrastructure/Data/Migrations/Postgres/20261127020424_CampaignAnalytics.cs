using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Chorus.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class CampaignAnalytics : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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

            migrationBuilder.CreateIndex(
                name: "IX_Messages_CampaignHourly",
                table: "Messages",
                columns: new[] { "CampaignId", "CreatedUtc", "Direction", "Kind", "Status" });

            migrationBuilder.CreateIndex(
                name: "IX_Messages_CampaignStats",
                table: "Messages",
                columns: new[] { "CampaignId", "Direction", "Kind", "Status", "ErrorCode", "Carrier", "TexterUserId", "Segments" });

            migrationBuilder.CreateIndex(
                name: "IX_Contacts_CampaignReplied",
                table: "Contacts",
                columns: new[] { "CampaignId", "LastInboundUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Contacts_CampaignStatus",
                table: "Contacts",
                columns: new[] { "CampaignId", "ConversationStatus", "LastMessageUtc" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "AnalyticsSettings");

            migrationBuilder.DropIndex(
                name: "IX_Messages_CampaignHourly",
                table: "Messages");

            migrationBuilder.DropIndex(
                name: "IX_Messages_CampaignStats",
                table: "Messages");

            migrationBuilder.DropIndex(
                name: "IX_Contacts_CampaignReplied",
                table: "Contacts");

            migrationBuilder.DropIndex(
                name: "IX_Contacts_CampaignStatus",
                table: "Contacts");
        }
    }
}
