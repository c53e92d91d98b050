using Chorus.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;

namespace Chorus.IntegrationTests.Infrastructure;

/// <summary>
/// A fresh, fully migrated database per test. The migrations run once per provider with <c>MigrateAsync</c> (never
/// <c>EnsureCreated</c>) into a template, and each test gets a copy: a file copy on SQLite, <c>CREATE DATABASE …
/// TEMPLATE</c> on PostgreSQL.
/// </summary>
public sealed class TestDatabases(PostgresServer postgres)
{
    private static readonly string Folder = Directory.CreateTempSubdirectory("chorus-tests-").FullName;
    private static readonly SemaphoreSlim TemplateLock = new(1, 1);
    private static string? _sqliteTemplate;
    private static string? _postgresTemplate;
    private static int _files;

    public async Task<string> CreateAsync(DatabaseProvider provider)
    {
        await TemplateLock.WaitAsync();
        try
        {
            if (provider == DatabaseProvider.Sqlite)
            {
                _sqliteTemplate ??= await MigrateSqliteTemplateAsync();
            }
            else
            {
                _postgresTemplate ??= await MigratePostgresTemplateAsync();
            }
        }
        finally
        {
            TemplateLock.Release();
        }

        if (provider == DatabaseProvider.Sqlite)
        {
            var file = Path.Combine(Folder, $"test-{Interlocked.Increment(ref _files)}.db");
            File.Copy(_sqliteTemplate!, file);
            return $"Data Source={file}";
        }

        return await postgres.CreateDatabaseAsync(_postgresTemplate);
    }

    private static async Task<string> MigrateSqliteTemplateAsync()
    {
        var file = Path.Combine(Folder, "template.db");
        var connectionString = $"Data Source={file};Pooling=False";
        await using (var db = new SqliteAppDbContext(new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite(connectionString).AddInterceptors(SqlitePragmas.Instance).Options))
        {
            await db.Database.MigrateAsync();
        }

        // Fold the write-ahead log into the file so that a plain copy holds the whole schema.
        await using var connection = new SqliteConnection(connectionString);
        await connection.OpenAsync();
        await using var checkpoint = connection.CreateCommand();
        checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;";
        await checkpoint.ExecuteNonQueryAsync();
        return file;
    }

    private async Task<string> MigratePostgresTemplateAsync()
    {
        var connectionString = await postgres.CreateDatabaseAsync();
        var name = new Npgsql.NpgsqlConnectionStringBuilder(connectionString).Database!;
        await using var db = new PostgresAppDbContext(new DbContextOptionsBuilder<PostgresAppDbContext>().UseNpgsql(connectionString + ";Pooling=false").Options);
        await db.Database.MigrateAsync();
        return name;
    }
}
