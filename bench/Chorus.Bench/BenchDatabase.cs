using Chorus.Engineering;
using Chorus.Infrastructure.Data;

namespace Chorus.Bench;

/// <summary>
/// The database a bench runs on, from its arguments: <c>--db sqlite</c> (the default, a file in the bench's temp
/// folder), <c>--db postgres</c> (a throwaway PostgreSQL server started from the machine's binaries for this run, with a
/// fresh database, stopped and removed afterwards), or <c>--postgres "connection string"</c> for a server of your own.
/// </summary>
internal sealed class BenchDatabase : IAsyncDisposable
{
    // A server as an operator would run it on this machine: durable (fsync on), a quarter of a small machine's memory
    // for its buffers, room for the bench's connections. These are the settings of every PostgreSQL figure in BENCHMARKS.md.
    private static readonly string[] Settings = ["shared_buffers=256MB", "max_connections=300"];

    private readonly PostgresCluster? _cluster;

    private BenchDatabase(DatabaseProvider provider, string connectionString, PostgresCluster? cluster)
    {
        Provider = provider;
        ConnectionString = connectionString;
        _cluster = cluster;
    }

    public DatabaseProvider Provider { get; }

    public string ConnectionString { get; }

    public static async Task<BenchDatabase> OpenAsync(string[] args, TextWriter output)
    {
        if (BenchProgram.ArgText(args, "--postgres") is { } given)
        {
            return new BenchDatabase(DatabaseProvider.Postgres, given, null);
        }

        switch (BenchProgram.ArgText(args, "--db") ?? "sqlite")
        {
            case "sqlite":
                return new BenchDatabase(DatabaseProvider.Sqlite, $"Data Source={Path.Combine(BenchProgram.TempFolder(), "bench.db")}", null);
            case "postgres":
                var cluster = await PostgresCluster.StartAsync(Settings, "chorus_bench");
                output.WriteLine($"PostgreSQL: a throwaway server on port {cluster.Port} ({string.Join(", ", Settings)}), a fresh database");
                return new BenchDatabase(DatabaseProvider.Postgres, await cluster.CreateDatabaseAsync(), cluster);
            case var other:
                throw new ArgumentException($"--db is sqlite or postgres, not '{other}'.");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }
}
