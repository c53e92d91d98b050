using Microsoft.Data.Sqlite;

namespace Chorus.Infrastructure.Data;

/// <summary>
/// Copies SQLite's write-ahead log back into the database file from a background thread of its own, a few times a
/// second, so that a saving request rarely has to. Left to SQLite, the commit that grows the log past 1,000 pages runs
/// the checkpoint itself (copying the pages and two fsyncs) while it still holds the write lock, and every writer
/// behind it waits: under 32 concurrent webhooks, commits took 40% of the time the write lock was held (BENCHMARKS.md,
/// inbound). A passive checkpoint never blocks readers or writers. SQLite's own automatic checkpoint stays on behind it,
/// at 10,000 pages instead of 1,000 (<see cref="SqlitePragmas"/>), for a log this one cannot keep small.
/// </summary>
internal sealed class SqliteCheckpointer(string connectionString, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    /// <summary>How often the log is checkpointed while the app runs.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A connection of its own, outside the pool, so the checkpoint never waits for a pooled handle.
        await using var connection = new SqliteConnection(new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        using var timer = new PeriodicTimer(Interval);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    if (connection.State != System.Data.ConnectionState.Open)
                    {
                        await connection.OpenAsync(stoppingToken);
                        // As every handle of the app does (SqlitePragmas): a handle that opened the file before anyone
                        // switched it to WAL would otherwise go on finding no log to checkpoint.
                        await using var wal = connection.CreateCommand();
                        wal.CommandText = "PRAGMA journal_mode = WAL";
                        await wal.ExecuteNonQueryAsync(stoppingToken);
                    }

                    await using var command = connection.CreateCommand();
                    command.CommandText = "PRAGMA wal_checkpoint(PASSIVE)";
                    await command.ExecuteNonQueryAsync(stoppingToken);
                }
                catch (SqliteException ex)
                {
                    // The next tick tries again, and SQLite's automatic checkpoint still runs meanwhile.
                    logger.LogDebug(ex, "A background WAL checkpoint failed");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }
}
