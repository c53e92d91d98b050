using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Chorus.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class NextUnsentByIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Contacts_AssignmentId_ConversationStatus",
                table: "Contacts");

            migrationBuilder.CreateIndex(
                name: "IX_Contacts_AssignmentId_ConversationStatus_Id",
                table: "Contacts",
                columns: new[] { "AssignmentId", "ConversationStatus", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Contacts_AssignmentId_ConversationStatus_Id",
                table: "Contacts");

            migrationBuilder.CreateIndex(
                name: "IX_Contacts_AssignmentId_ConversationStatus",
                table: "Contacts",
                columns: new[] { "AssignmentId", "ConversationStatus" });
        }
    }
}
