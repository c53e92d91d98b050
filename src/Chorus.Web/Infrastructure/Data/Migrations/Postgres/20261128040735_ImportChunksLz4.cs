using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Chorus.Infrastructure.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ImportChunksLz4 : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<byte[]>(
                name: "Data",
                table: "ImportChunks",
                type: "bytea",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "bytea")
                .Annotation("Npgsql:Compression:", "lz4");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AlterColumn<byte[]>(
                name: "Data",
                table: "ImportChunks",
                type: "bytea",
                nullable: false,
                oldClrType: typeof(byte[]),
                oldType: "bytea")
                .OldAnnotation("Npgsql:Compression:", "lz4");
        }
    }
}
