using System.Data.Common;
using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Chorus.Infrastructure.Data;

public static class DatabaseModule
{
    public static WebApplicationBuilder AddDatabase(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<DatabaseOptions>().BindConfiguration(DatabaseOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        var options = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        var connectionString = builder.Configuration.GetConnectionString("Chorus");

        builder.Services.AddScoped<CurrentOrganization>();

        // Registered first so that it runs before any other hosted service (Data Protection's key ring loader among
        // them) touches the database.
        builder.Services.AddHostedService<DatabaseMigrator>();
        switch (options.Provider)
        {
            case DatabaseProvider.Postgres:
                if (string.IsNullOrWhiteSpace(connectionString))
                {
                    throw new InvalidOperationException(
                        "Database:Provider is Postgres but ConnectionStrings:Chorus is empty. Set it, e.g. "
                        + "ConnectionStrings__Chorus='Host=localhost;Database=chorus;Username=chorus;Password=…'.");
                }

                AddPooledContext<PostgresAppDbContext>(builder.Services, o => o.UseNpgsql(PostgresConnectionStrings.Resolve(connectionString)));
                builder.Services.AddSingleton<ContactBulkWriter, PostgresContactBulkWriter>();
                break;
            default:
                connectionString = SqliteConnectionStrings.Resolve(connectionString, builder.Environment.ContentRootPath);
                AddPooledContext<SqliteAppDbContext>(builder.Services, o => o
                    .UseSqlite(connectionString)
                    .AddInterceptors(SqlitePragmas.Instance));
                builder.Services.AddSingleton<ContactBulkWriter, SqliteContactBulkWriter>();
                var sqlite = connectionString;
                builder.Services.AddHostedService(sp => new SqliteCheckpointer(sqlite, sp.GetRequiredService<ILogger<SqliteCheckpointer>>()));
                break;
        }

        builder.Services.AddDataProtection().SetApplicationName("Chorus").PersistKeysToDbContext<AppDbContext>();
        return builder;
    }

    // A scope's AppDbContext is leased from EF Core's pool and bound to the scope's organization; disposing the scope
    // returns it. Setting a context up costs as much CPU as a short query, and every API request needs one.
    private static void AddPooledContext<TContext>(IServiceCollection services, Action<DbContextOptionsBuilder> configure)
        where TContext : AppDbContext
    {
        services.AddPooledDbContextFactory<TContext>(configure);
        services.AddScoped<AppDbContext>(sp =>
            sp.GetRequiredService<IDbContextFactory<TContext>>().CreateDbContext().ActFor(sp.GetRequiredService<CurrentOrganization>()));
    }
}

internal static class PostgresConnectionStrings
{
    /// <summary>
    /// How many statements each pooled connection keeps prepared on the server (Npgsql's automatic preparation, off by
    /// default). Every request runs the same few dozen statements, and PostgreSQL parsed and planned each one again on
    /// every run. With the statistics fresh (<see cref="ContactBulkWriter.RefreshStatisticsAsync"/>) the send bench went
    /// from 235 to 363–367 sends/s and inbound from 1,152–1,180 to 1,396–1,474 webhooks/s; with stale statistics the
    /// prepared (generic) plan of the inbound look-up by number was the slower one (BENCHMARKS.md).
    /// </summary>
    public const int DefaultMaxAutoPrepare = 64;

    /// <summary>Adds automatic preparation unless the connection string sets it (<c>Max Auto Prepare=0</c> turns it off).</summary>
    public static string Resolve(string configured)
    {
        // Npgsql's own builder answers ContainsKey for every keyword it knows, set or not; the plain one lists what the
        // string says, under any of the keyword's spellings ("Max Auto Prepare", "MaxAutoPrepare").
        var given = new DbConnectionStringBuilder { ConnectionString = configured };
        var chosen = given.Keys.Cast<string>().Any(k => k.Replace(" ", "", StringComparison.Ordinal).Equals("MaxAutoPrepare", StringComparison.OrdinalIgnoreCase));
        var builder = new Npgsql.NpgsqlConnectionStringBuilder(configured);
        if (!chosen)
        {
            builder.MaxAutoPrepare = DefaultMaxAutoPrepare;
        }

        return builder.ConnectionString;
    }
}

internal static class SqliteConnectionStrings
{
    /// <summary>Defaults to <c>data/chorus.db</c> under the content root and makes sure its folder exists.</summary>
    public static string Resolve(string? configured, string contentRoot)
    {
        var builder = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(
            string.IsNullOrWhiteSpace(configured) ? "Data Source=data/chorus.db" : configured);
        if (builder.DataSource != ":memory:" && builder.Mode != Microsoft.Data.Sqlite.SqliteOpenMode.Memory)
        {
            var path = Path.GetFullPath(builder.DataSource, contentRoot);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            builder.DataSource = path;
        }

        // Waiting writers retry for this long before SQLITE_BUSY reaches the caller.
        builder.DefaultTimeout = 30;
        return builder.ToString();
    }
}

/// <summary>
/// WAL lets readers run beside the one writer, and busy_timeout makes a second writer wait instead of failing at once;
/// both matter because the web requests and the workers share one database file. The page cache is set to SQLite's
/// documented default of 2,000 KiB per handle, explicitly: the bundled e_sqlite3 build's own default is larger, the pool
/// keeps several handles each keeping its cache, and reads are served from the operating system's file cache anyway
/// (a 1M-row export's server peaked at 385–420 MB with the build's default, 307 MB with this, 370+ MB at 64 MB). The
/// contact importer raises its own connection's cache for the import (<see cref="SqliteContactBulkWriter.BeginImportAsync"/>).
/// The automatic checkpoint waits for 10,000 pages of log instead of 1,000: <see cref="SqliteCheckpointer"/> checkpoints
/// in the background, and the commit that crosses the threshold would otherwise do it while holding the write lock.
/// </summary>
/// <remarks>
/// EF opens and closes the connection around every query, but Microsoft.Data.Sqlite pools the underlying SQLite
/// handle, and these settings live on the handle (WAL even in the file), so they are applied once per handle, the
/// first time it is opened, not on every open: that halves the statements of a short query.
/// </remarks>
internal sealed class SqlitePragmas : DbConnectionInterceptor
{
    public static readonly SqlitePragmas Instance = new();

    /// <summary>SQLite's own default page cache: 2,000 KiB per connection.</summary>
    public const string DefaultCacheSize = "PRAGMA cache_size = -2000";

    private const string Pragmas = "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 30000; PRAGMA foreign_keys = ON; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 10000; " + DefaultCacheSize + ";";

    // Keyed by the native handle, which the pool hands from one SqliteConnection to the next; a handle that is closed
    // for good is collected and leaves the table with it.
    private readonly ConditionalWeakTable<SQLitePCL.sqlite3, object> _configured = [];

    public override void ConnectionOpened(DbConnection connection, ConnectionEndEventData eventData)
    {
        if (IsConfigured(connection))
        {
            return;
        }

        using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        command.ExecuteNonQuery();
        MarkConfigured(connection);
    }

    public override async Task ConnectionOpenedAsync(DbConnection connection, ConnectionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        if (IsConfigured(connection))
        {
            return;
        }

        await using var command = connection.CreateCommand();
        command.CommandText = Pragmas;
        await command.ExecuteNonQueryAsync(cancellationToken);
        MarkConfigured(connection);
    }

    private bool IsConfigured(DbConnection connection) =>
        connection is SqliteConnection { Handle: { } handle } && _configured.TryGetValue(handle, out _);

    private void MarkConfigured(DbConnection connection)
    {
        if (connection is SqliteConnection { Handle: { } handle })
        {
            _configured.AddOrUpdate(handle, this);
        }
    }
}
