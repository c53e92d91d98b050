using Microsoft.Data.Sqlite;

namespace Chorus.Infrastructure.Data;

/// <summary>
/// Copies SQLite's write-ahead log back into the database file from a background thread of its own, a few times a
/// second, so that a saving request rarely has to. Left to SQLite, the commit that grows the log past 1,000 pages runs
/// the checkpoint itself (copying the pages and two fsyncs) while it still holds the write lock, and every writer
/// behind it waits: under 32 concurrent webhooks, commits took 40% of the time the write lock was held (BENCHMARKS.md,
/// inbound). A passive checkpoint never blocks readers or writers. SQLite's own automatic checkpoint stays on behind it,
/// at 10,000 pages instead of 1,000 (<see cref="SqlitePragmas"/>), for a log this one cannot keep small.
/// <para>
/// Copying is not enough to keep the log small under continuous writes: SQLite starts the log over only when a writer
/// begins while every frame is copied, and by the time a passive checkpoint has copied them the drain of inbound texts
/// has always committed more. So once the log passes <see cref="RestartAfterFrames"/>, the checkpointer takes the
/// write gate for a moment and checkpoints again with RESTART: only the frames written since its passive pass are
/// left to copy, and the next writer starts the log over. Before, only SQLite's automatic checkpoint did that, inside
/// a commit: 18–21 commits per 5 s took 10–64 ms under 3,500 webhooks/s and set the webhooks' p99; the gated restart
/// holds the gate about 26 ms (the two fsyncs of a checkpoint on the measured machine) three times a second, and the
/// p99 fell from 47.5–51.2 to 45.8–47.9 ms (BENCHMARKS.md, inbound). It never waits for readers: a reader still on the
/// log makes the restart wait for the next tick.
/// </para>
/// </summary>
internal sealed class SqliteCheckpointer(string connectionString, ILogger<SqliteCheckpointer> logger) : BackgroundService
{
    /// <summary>How often the log is checkpointed while the app runs.</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(100);

    /// <summary>The log's length, in frames (pages), past which the checkpointer makes it start over.</summary>
    public const long RestartAfterFrames = 4_000;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // A connection of its own, outside the pool, so the checkpoint never waits for a pooled handle.
        var settings = new SqliteConnectionStringBuilder(connectionString) { Pooling = false };
        await using var connection = new SqliteConnection(settings.ToString());
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
                        // switched it to WAL would otherwise go on finding no log to checkpoint. No busy wait: the
                        // restart holds the write gate and must not wait there for a reader.
                        await using var wal = connection.CreateCommand();
                        wal.CommandText = "PRAGMA journal_mode = WAL; PRAGMA busy_timeout = 0";
                        await wal.ExecuteNonQueryAsync(stoppingToken);
                    }

                    if (await CheckpointAsync(connection, "PASSIVE", stoppingToken) >= RestartAfterFrames
                        && await TurnWithinAsync(settings.DataSource, stoppingToken) is { } turn)
                    {
                        using (turn)
                        {
                            await CheckpointAsync(connection, "RESTART", stoppingToken);
                        }
                    }
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

    /// <summary>
    /// The write turn, if it comes within <see cref="TurnWait"/>; otherwise null, and this tick only copies frames. Saves
    /// hold the turn for milliseconds, but an import's batch holds it for up to a second, and waiting behind one stops the
    /// passive copying for that long. Measured, one run each, this is within the spread: a 1M-row upload took 24.6 s with
    /// an unbounded wait, 23.9 s with 50 ms and 25.0 s with 250 ms; 250 ms kept inbound's p99 at 45.7 ms (48.2 ms at
    /// 50 ms). Housekeeping, so it does not count as a waiting save (<see cref="SqliteWriteGate.HasWaiters"/>).
    /// </summary>
    private static async Task<IDisposable?> TurnWithinAsync(string dataSource, CancellationToken stoppingToken)
    {
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        wait.CancelAfter(TurnWait);
        try
        {
            return await SqliteWriteGate.EnterAsync(dataSource, wait.Token, urgent: false);
        }
        catch (OperationCanceledException) when (!stoppingToken.IsCancellationRequested)
        {
            return null;
        }
    }

    /// <summary>How long a restart waits for the write turn before leaving it to a later tick.</summary>
    public static readonly TimeSpan TurnWait = TimeSpan.FromMilliseconds(250);

    /// <summary>Runs a checkpoint; returns the log's length in frames (SQLite's second result column).</summary>
    private static async Task<long> CheckpointAsync(SqliteConnection connection, string mode, CancellationToken ct)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = $"PRAGMA wal_checkpoint({mode})";
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        return reader.GetInt64(1);
    }
}
