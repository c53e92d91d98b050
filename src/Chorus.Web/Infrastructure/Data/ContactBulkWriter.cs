using System.Data.Common;
using System.Globalization;
using Chorus.Features.Contacts;
using Chorus.Features.Contacts.Uploads;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Npgsql;
using NpgsqlTypes;

namespace Chorus.Infrastructure.Data;

/// <summary>
/// Inserts a batch of contacts inside the caller's transaction, skipping phones the campaign already has (the first
/// row wins), and returns how many were inserted. EF's change tracker costs ~10× more per row than the database itself
/// at a million rows, so each provider gets its own fast path; this is the one place those paths live.
/// </summary>
public abstract class ContactBulkWriter
{
    public abstract Task<int> InsertAsync(AppDbContext db, IReadOnlyList<Contact> contacts, CancellationToken ct);

    /// <summary>Rows per import transaction unless configured (<see cref="Features.Contacts.ContactsOptions.ImportBatchSize"/>).</summary>
    public virtual int DefaultBatchSize => ContactImporter.DefaultBatchSize;

    /// <summary>
    /// How many settled contacts an import hands to <see cref="InsertAsync"/> at a time, inside its batch's open
    /// transaction. The default is the whole batch, in one call.
    /// </summary>
    public virtual int RowsPerWrite => int.MaxValue;

    /// <summary>
    /// Whether the importer should drop the numbers the campaign already has, and the file's repeats, before they reach
    /// <see cref="InsertAsync"/>: worth it where a batch with no conflict is written much faster (PostgreSQL's COPY),
    /// not where every row is checked against the unique index anyway (SQLite), since the set of a million numbers costs
    /// ~45 MB (a million-row upload on SQLite peaked at 385–390 MB with it, 341–342 MB without).
    /// </summary>
    public virtual bool WantsOnlyNewNumbers => false;

    /// <summary>
    /// Readies <paramref name="db"/>'s connection for a whole import's batches and returns what undoes it. The default
    /// does nothing; SQLite keeps one connection open with a large page cache for the import's duration.
    /// </summary>
    public virtual Task<IAsyncDisposable> BeginImportAsync(AppDbContext db, CancellationToken ct) => Task.FromResult<IAsyncDisposable>(NothingToUndo.Instance);

    private sealed class NothingToUndo : IAsyncDisposable
    {
        public static readonly NothingToUndo Instance = new();

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }

    /// <summary>
    /// Brings the database's statistics on contacts up to date after an import has added many at once. The default
    /// does nothing: SQLite keeps none, and the hot queries carry their plans (<see cref="QueryHints"/>).
    /// </summary>
    public virtual Task RefreshStatisticsAsync(AppDbContext db, CancellationToken ct) => Task.CompletedTask;

    /// <summary>Records an import's refused rows in the caller's transaction (a few percent of a big file, too many for EF).</summary>
    public abstract Task InsertRejectionsAsync(AppDbContext db, IReadOnlyList<ImportRejection> rejections, CancellationToken ct);

    protected const string Columns = "\"Id\", \"OrganizationId\", \"CampaignId\", \"PhoneE164\", \"FirstName\", \"LastName\", \"Zip\", \"ExternalId\", \"CustomFields\", \"TimeZones\", \"TimeZoneSource\", \"State\", \"ImportId\", \"CreatedUtc\"";
}

/// <summary>SQLite: one prepared INSERT … ON CONFLICT DO NOTHING, re-bound per row, in the caller's transaction.</summary>
internal sealed class SqliteContactBulkWriter : ContactBulkWriter
{
    /// <summary>
    /// SQLite inserts row by row anyway, so an import writes each thousand rows as they are settled rather than holding
    /// a whole batch (50,000 contacts, ~90 MB) in memory until its commit.
    /// </summary>
    public override int RowsPerWrite => 1_000;

    /// <summary>
    /// The import's own page cache: 64 MB keeps the contact indexes of a million-row import in memory, which cut its
    /// insert time by a third. Only this connection gets it, and only for the import, because every pooled handle that
    /// keeps a large cache keeps its memory (a million-row export through one such handle held 64 MB more).
    /// </summary>
    public override async Task<IAsyncDisposable> BeginImportAsync(AppDbContext db, CancellationToken ct)
    {
        await db.Database.OpenConnectionAsync(ct);
        await db.Database.ExecuteSqlRawAsync("PRAGMA cache_size = -65536", ct);
        return new ImportCache(db);
    }

    private sealed class ImportCache(AppDbContext db) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            // Back to the default before the handle returns to the pool; shrinking the cache frees its pages.
            try
            {
                await db.Database.ExecuteSqlRawAsync(SqlitePragmas.DefaultCacheSize);
            }
            finally
            {
                await db.Database.CloseConnectionAsync();
            }
        }
    }

    private static readonly string[] ParameterNames = ["$id", "$org", "$campaign", "$phone", "$first", "$last", "$zip", "$ext", "$custom", "$zones", "$source", "$state", "$import", "$created"];

    public override async Task<int> InsertAsync(AppDbContext db, IReadOnlyList<Contact> contacts, CancellationToken ct)
    {
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.Transaction = (SqliteTransaction?)db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = $"INSERT INTO \"Contacts\" ({Columns}) VALUES ($id, $org, $campaign, $phone, $first, $last, $zip, $ext, $custom, $zones, $source, $state, $import, $created) ON CONFLICT (\"PhoneE164\", \"CampaignId\") DO NOTHING";
        var p = ParameterNames.Select(name => command.Parameters.Add(new SqliteParameter { ParameterName = name })).ToArray();
        command.Prepare();
        var inserted = 0;
        foreach (var c in contacts)
        {
            // EF Core's SQLite conventions: GUIDs as upper-case text, DateTime as "yyyy-MM-dd HH:mm:ss.FFFFFFF".
            p[0].Value = Text(c.Id);
            p[1].Value = Text(c.OrganizationId);
            p[2].Value = Text(c.CampaignId);
            p[3].Value = c.PhoneE164;
            p[4].Value = c.FirstName;
            p[5].Value = c.LastName;
            p[6].Value = c.Zip;
            p[7].Value = c.ExternalId;
            p[8].Value = c.CustomFields;
            p[9].Value = c.TimeZones;
            p[10].Value = c.TimeZoneSource;
            p[11].Value = (object?)c.State ?? DBNull.Value;
            p[12].Value = c.ImportId is { } importId ? Text(importId) : DBNull.Value;
            p[13].Value = c.CreatedUtc.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture);
            // Synchronous on purpose: Microsoft.Data.Sqlite has no real async I/O, and the async wrapper costs per row.
            inserted += command.ExecuteNonQuery();
        }

        return inserted;
    }

    public override async Task InsertRejectionsAsync(AppDbContext db, IReadOnlyList<ImportRejection> rejections, CancellationToken ct)
    {
        var connection = (SqliteConnection)db.Database.GetDbConnection();
        await using var command = connection.CreateCommand();
        command.Transaction = (SqliteTransaction?)db.Database.CurrentTransaction?.GetDbTransaction();
        command.CommandText = "INSERT INTO \"ImportRejections\" (\"ImportId\", \"LineNumber\", \"Reason\", \"RawRecord\") VALUES ($import, $line, $reason, $raw)";
        var import = command.Parameters.Add(new SqliteParameter { ParameterName = "$import" });
        var line = command.Parameters.Add(new SqliteParameter { ParameterName = "$line" });
        var reason = command.Parameters.Add(new SqliteParameter { ParameterName = "$reason" });
        var raw = command.Parameters.Add(new SqliteParameter { ParameterName = "$raw" });
        command.Prepare();
        foreach (var r in rejections)
        {
            import.Value = Text(r.ImportId);
            line.Value = r.LineNumber;
            reason.Value = r.Reason;
            raw.Value = r.RawRecord;
            command.ExecuteNonQuery();
        }
    }

    private static string Text(Guid id) => id.ToString().ToUpperInvariant();
}

/// <summary>
/// PostgreSQL: binary COPY straight into contacts, under a savepoint. The importer has already dropped the numbers the
/// campaign had and the file's repeated ones, so the COPY normally meets no conflict; when it does (another import or a
/// texter added one of the numbers meanwhile), the batch goes back to the savepoint and takes the slower way: COPY into a
/// temporary staging table, then one INSERT … SELECT … ON CONFLICT DO NOTHING, where the row already there wins.
/// </summary>
/// <remarks>
/// Measured on 888,750 contacts in `psql`: the staging way 19.6 s (COPY 1.0 s, INSERT 18.6 s), the direct COPY 13.9–16.0 s
/// (BENCHMARKS.md, upload).
/// </remarks>
internal sealed class PostgresContactBulkWriter : ContactBulkWriter
{
    /// <summary>
    /// PostgreSQL plans from statistics that autovacuum refreshes up to a minute after a bulk load, and until then it
    /// believed an organization had a handful of contacts: the inbound batch's look-up of "this organization's contacts
    /// with these numbers" read every contact of the organization through its index (2.6 ms at 10,000 contacts, and
    /// 6.5 ms as a prepared statement) instead of seeking each number (0.06–0.1 ms), `EXPLAIN ANALYZE` in BENCHMARKS.md.
    /// ANALYZE samples a fixed number of rows, so it costs about the same for any size of table.
    /// </summary>
    public override async Task RefreshStatisticsAsync(AppDbContext db, CancellationToken ct) =>
        await db.Database.ExecuteSqlRawAsync("ANALYZE \"Contacts\"", ct);

    /// <summary>
    /// A batch's contacts are buffered for its COPY, and the importer reads a batch while two are written
    /// (<see cref="ContactImporter.WriteDbs"/>), so three are held at once, beside the campaign's known numbers. A
    /// million-row upload's server peaked at 403 MB with 25,000, 398 MB with 20,000 and 369–397 MB with 16,000 (against a
    /// 400 MB target), and at 359–368 MB with 12,000, in 22.7 s instead of 21.2–22.2. A running server's second import
    /// peaked higher, at 407–415 MB with 12,000 and 379–393 MB with 8,000 in the same 15.5–17.1 s; ten later runs with
    /// 8,000 read 380–434 MB, and 334–378 MB once the stored file's chunks left the large object heap (BENCHMARKS.md).
    /// </summary>
    public override int DefaultBatchSize => 8_000;

    public override bool WantsOnlyNewNumbers => true;

    public override async Task<int> InsertAsync(AppDbContext db, IReadOnlyList<Contact> contacts, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await ExecuteAsync(connection, "SAVEPOINT contacts_copy", ct);
        try
        {
            var copied = await CopyAsync(connection, "\"Contacts\"", contacts, ct);
            await ExecuteAsync(connection, "RELEASE SAVEPOINT contacts_copy", ct);
            return copied;
        }
        catch (PostgresException e) when (DbErrors.IsUniqueViolation(e))
        {
            await ExecuteAsync(connection, "ROLLBACK TO SAVEPOINT contacts_copy", ct);
        }

        // The first row of a phone wins: a repeat within the batch (which the importer never sends: it drops them before)
        // also failed the COPY, and is dropped here, in file order, since the INSERT below keeps no order.
        var phones = new HashSet<string>(contacts.Count, StringComparer.Ordinal);
        var unique = contacts.Where(c => phones.Add(c.PhoneE164)).ToList();

        await ExecuteAsync(connection, """
            CREATE TEMP TABLE IF NOT EXISTS contacts_stage (
                "Id" uuid, "OrganizationId" uuid, "CampaignId" uuid, "PhoneE164" varchar(16),
                "FirstName" varchar(100), "LastName" varchar(100), "Zip" varchar(10), "ExternalId" varchar(100),
                "CustomFields" text, "TimeZones" varchar(1000), "TimeZoneSource" varchar(20), "State" varchar(2),
                "ImportId" uuid, "CreatedUtc" timestamp with time zone) ON COMMIT DELETE ROWS
            """, ct);
        await CopyAsync(connection, "contacts_stage", unique, ct);
        var inserted = await ExecuteAsync(connection,
            $"INSERT INTO \"Contacts\" ({Columns}) SELECT {Columns} FROM contacts_stage ON CONFLICT (\"PhoneE164\", \"CampaignId\") DO NOTHING", ct);
        await ExecuteAsync(connection, "TRUNCATE contacts_stage", ct);
        return inserted;
    }

    private static async Task<int> CopyAsync(NpgsqlConnection connection, string table, IReadOnlyList<Contact> contacts, CancellationToken ct)
    {
        await using var copy = await connection.BeginBinaryImportAsync($"COPY {table} ({Columns}) FROM STDIN (FORMAT BINARY)", ct);
        foreach (var c in contacts)
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(c.Id, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(c.OrganizationId, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(c.CampaignId, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(c.PhoneE164, NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(c.FirstName, NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(c.LastName, NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(c.Zip, NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(c.ExternalId, NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(c.CustomFields, NpgsqlDbType.Text, ct);
            await copy.WriteAsync(c.TimeZones, NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(c.TimeZoneSource, NpgsqlDbType.Varchar, ct);
            if (c.State is null)
            {
                await copy.WriteNullAsync(ct);
            }
            else
            {
                await copy.WriteAsync(c.State, NpgsqlDbType.Varchar, ct);
            }

            if (c.ImportId is { } importId)
            {
                await copy.WriteAsync(importId, NpgsqlDbType.Uuid, ct);
            }
            else
            {
                await copy.WriteNullAsync(ct);
            }

            await copy.WriteAsync(c.CreatedUtc, NpgsqlDbType.TimestampTz, ct);
        }

        return (int)await copy.CompleteAsync(ct);
    }

    public override async Task InsertRejectionsAsync(AppDbContext db, IReadOnlyList<ImportRejection> rejections, CancellationToken ct)
    {
        var connection = (NpgsqlConnection)db.Database.GetDbConnection();
        await using var copy = await connection.BeginBinaryImportAsync(
            "COPY \"ImportRejections\" (\"ImportId\", \"LineNumber\", \"Reason\", \"RawRecord\") FROM STDIN (FORMAT BINARY)", ct);
        foreach (var r in rejections)
        {
            await copy.StartRowAsync(ct);
            await copy.WriteAsync(r.ImportId, NpgsqlDbType.Uuid, ct);
            await copy.WriteAsync(r.LineNumber, NpgsqlDbType.Bigint, ct);
            await copy.WriteAsync(r.Reason, NpgsqlDbType.Varchar, ct);
            await copy.WriteAsync(r.RawRecord, NpgsqlDbType.Text, ct);
        }

        await copy.CompleteAsync(ct);
    }

    private static async Task<int> ExecuteAsync(DbConnection connection, string sql, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        return await command.ExecuteNonQueryAsync(ct);
    }
}
