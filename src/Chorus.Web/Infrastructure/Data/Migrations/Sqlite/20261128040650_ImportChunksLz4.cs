using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Chorus.Infrastructure.Data.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ImportChunksLz4 : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {

        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
