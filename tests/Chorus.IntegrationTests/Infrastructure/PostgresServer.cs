using Chorus.Engineering;

namespace Chorus.IntegrationTests.Infrastructure;

/// <summary>
/// A real, throwaway PostgreSQL server for the whole test run (<see cref="PostgresCluster"/>). Missing binaries fail the
/// run loudly: a database test that silently skips does not exist.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    // Durability is off: this server lives for one test run and speed matters more.
    private static readonly string[] Settings = ["fsync=off", "synchronous_commit=off", "full_page_writes=off", "max_connections=300"];

    private PostgresCluster? _cluster;

    public int Port => Cluster.Port;

    public string AdminConnectionString => Cluster.AdminConnectionString;

    private PostgresCluster Cluster => _cluster ?? throw new InvalidOperationException("The PostgreSQL server is not started.");

    public async ValueTask InitializeAsync() => _cluster = await PostgresCluster.StartAsync(Settings, "chorus_test");

    public async ValueTask DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public Task<string> CreateDatabaseAsync(string? template = null) => Cluster.CreateDatabaseAsync(template);
}
