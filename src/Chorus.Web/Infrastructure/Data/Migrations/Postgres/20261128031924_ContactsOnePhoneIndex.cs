using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Chorus.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ContactsOnePhoneIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Contacts_CampaignId_PhoneE164",
                table: "Contacts");

            migrationBuilder.DropIndex(
                name: "IX_Contacts_OrganizationId_PhoneE164",
                table: "Contacts");

            migrationBuilder.CreateIndex(
                name: "IX_Contacts_PhoneE164_CampaignId",
                table: "Contacts",
                columns: new[] { "PhoneE164", "CampaignId" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Contacts_PhoneE164_CampaignId",
                table: "Contacts");

            migrationBuilder.CreateIndex(
                name: "IX_Contacts_CampaignId_PhoneE164",
                table: "Contacts",
                columns: new[] { "CampaignId", "PhoneE164" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Contacts_OrganizationId_PhoneE164",
                table: "Contacts",
                columns: new[] { "OrganizationId", "PhoneE164" });
        }
    }
}
