using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Chorus.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class CampaignCounters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Messages_CampaignHourly",
                table: "Messages");

            migrationBuilder.DropIndex(
                name: "IX_Messages_CampaignStats",
                table: "Messages");

            migrationBuilder.DropIndex(
                name: "IX_Contacts_CampaignReplied",
                table: "Contacts");

            migrationBuilder.AddColumn<bool>(
                name: "HasTrackedLink",
                table: "Messages",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<double>(
                name: "ResponseSeconds",
                table: "Messages",
                type: "REAL",
                nullable: true);

            // Existing rows: the initial messages that carried a tracked link, and each inbound message's wait for the
            // texter's next reply (what Conversations sets from now on). Campaign counters are built on first read.
            migrationBuilder.Sql("""
                UPDATE "Messages" SET "HasTrackedLink" = 1
                WHERE "Kind" = 0 AND "Id" IN (SELECT "MessageId" FROM "TrackedLinks" WHERE "MessageId" IS NOT NULL);
                """);
            migrationBuilder.Sql("""
                UPDATE "Messages" SET "ResponseSeconds" = (
                    SELECT (julianday(MIN(o."CreatedUtc")) - julianday("Messages"."CreatedUtc")) * 86400.0 FROM "Messages" o
                    WHERE o."ContactId" = "Messages"."ContactId" AND o."Direction" = 0 AND o."Kind" = 1 AND o."CreatedUtc" >= "Messages"."CreatedUtc")
                WHERE "Direction" = 1 AND "ContactId" IS NOT NULL;
                """);

            migrationBuilder.CreateTable(
                name: "CampaignCounters",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    CampaignId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Key = table.Column<string>(type: "TEXT", maxLength: 400, nullable: false),
                    Count = table.Column<long>(type: "INTEGER", nullable: false),
                    Segments = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CampaignCounters", x => x.Id);
                });

            migrationBuilder.CreateIndex(
                name: "IX_Messages_CampaignCreated",
                table: "Messages",
                columns: new[] { "CampaignId", "CreatedUtc" });

            migrationBuilder.CreateIndex(
                name: "IX_Messages_ResponseTimes",
                table: "Messages",
                columns: new[] { "CampaignId", "TexterUserId", "ResponseSeconds" },
                filter: "\"ResponseSeconds\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_CampaignCounters_CampaignId_Key",
                table: "CampaignCounters",
                columns: new[] { "CampaignId", "Key" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "CampaignCounters");

            migrationBuilder.DropIndex(
                name: "IX_Messages_CampaignCreated",
                table: "Messages");

            migrationBuilder.DropIndex(
                name: "IX_Messages_ResponseTimes",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "HasTrackedLink",
                table: "Messages");

            migrationBuilder.DropColumn(
                name: "ResponseSeconds",
                table: "Messages");

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
        }
    }
}
