using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.Data.Sqlite;

namespace Chorus.IntegrationTests.Platform;

/// <summary>
/// On SQLite the app copies the write-ahead log into the database file from a background service of its own, so that
/// no saving request has to do it while it holds the write lock (BENCHMARKS.md, inbound).
/// </summary>
public sealed class SqliteCheckpointerTests
{
    [Fact]
    public async Task What_a_writer_left_in_the_log_reaches_the_database_file_without_the_writer_checkpointing()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await ChorusApp.StartAsync(DatabaseProvider.Sqlite);
        _ = app.Services; // started: migrations done, background services running
        var path = new SqliteConnectionStringBuilder(app.ConnectionString).DataSource;
        var before = new FileInfo(path).Length;

        // About 2 MB written by a connection that never checkpoints on its own, far below SQLite's automatic threshold.
        await using (var writer = new SqliteConnection(new SqliteConnectionStringBuilder(app.ConnectionString) { Pooling = false }.ToString()))
        {
            await writer.OpenAsync(ct);
            await using var command = writer.CreateCommand();
            command.CommandText = """
                PRAGMA wal_autocheckpoint = 0;
                CREATE TABLE checkpoint_probe (body TEXT NOT NULL);
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 2000)
                INSERT INTO checkpoint_probe SELECT printf('%.1000c', 'x') FROM n;
                """;
            await command.ExecuteNonQueryAsync(ct);
        }

        var grown = false;
        for (var waited = 0; waited < 100 && !grown; waited++)
        {
            await Task.Delay(SqliteCheckpointer.Interval, ct);
            grown = new FileInfo(path).Length >= before + 1_500_000;
        }

        Assert.True(grown, $"The database file stayed at {new FileInfo(path).Length:N0} bytes (was {before:N0}): nothing checkpointed the log.");
    }

    [Fact]
    public async Task Under_writes_that_never_pause_the_log_starts_over_instead_of_growing_without_end()
    {
        var ct = TestContext.Current.CancellationToken;
        await using var app = await ChorusApp.StartAsync(DatabaseProvider.Sqlite);
        _ = app.Services;
        var path = new SqliteConnectionStringBuilder(app.ConnectionString).DataSource;
        await using var writer = new SqliteConnection(new SqliteConnectionStringBuilder(app.ConnectionString) { Pooling = false }.ToString());
        await writer.OpenAsync(ct);
        await using (var setUp = writer.CreateCommand())
        {
            // Only the app's checkpointer may start the log over: this writer never checkpoints on its own.
            setUp.CommandText = "PRAGMA wal_autocheckpoint = 0; CREATE TABLE restart_probe (body TEXT NOT NULL);";
            await setUp.ExecuteNonQueryAsync(ct);
        }

        // As the inbound drain writes under load: one transaction after another through the app's write gate, each
        // holding SQLite's write lock for a few milliseconds, so a passive checkpoint always ends inside one.
        // 1,600 transactions of about eight pages each: some 13,000 frames of log, three times the restart threshold.
        for (var i = 0; i < 1600; i++)
        {
            using var turn = await SqliteWriteGate.EnterAsync(path, ct);
            await using var transaction = (SqliteTransaction)await writer.BeginTransactionAsync(ct);
            await using var insert = writer.CreateCommand();
            insert.Transaction = transaction;
            insert.CommandText = """
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20)
                INSERT INTO restart_probe SELECT printf('%.1000c', 'x') FROM n;
                """;
            await insert.ExecuteNonQueryAsync(ct);
            await Task.Delay(TimeSpan.FromMilliseconds(2), ct);
            await transaction.CommitAsync(ct);
        }

        const int frame = 4096 + 24;
        var log = new FileInfo(path + "-wal").Length;
        Assert.True(log < 2 * SqliteCheckpointer.RestartAfterFrames * frame,
            $"The log grew to {log:N0} bytes ({log / frame:N0} frames): it never started over.");
    }
}
