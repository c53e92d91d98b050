using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Chorus.Engineering;

/// <summary>
/// A throwaway PostgreSQL server started from the machine's binaries (initdb + pg_ctl) on a free loopback port, its
/// data in a temp folder removed when it is disposed. The tests start one per run and the benchmarks one per run of
/// <c>--db postgres</c>; there is no Docker here, so no Testcontainers. Missing binaries fail loudly. Compiled into
/// each project that uses it (a linked source file), as neither tests nor benchmarks belong in the app.
/// </summary>
internal sealed class PostgresCluster : IAsyncDisposable
{
    public const string InstallHint = "PostgreSQL server binaries are missing: install them with `apt-get install -y postgresql` (./test.sh does this), or point CHORUS_PG_BIN at the folder holding initdb and pg_ctl.";

    private readonly string _folder;
    private readonly string _binaries;
    private readonly bool _asPostgresUser;
    private readonly string _databasePrefix;
    private int _databases;

    private PostgresCluster(string folder, string binaries, bool asPostgresUser, int port, string databasePrefix)
    {
        _folder = folder;
        _binaries = binaries;
        _asPostgresUser = asPostgresUser;
        _databasePrefix = databasePrefix;
        Port = port;
    }

    public int Port { get; }

    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false";

    /// <summary>Starts a server with these settings (<c>name=value</c>, as <c>postgres -c</c> takes them).</summary>
    public static async Task<PostgresCluster> StartAsync(IEnumerable<string> settings, string databasePrefix)
    {
        var binaries = FindBinaries() ?? throw new InvalidOperationException(InstallHint);
        var asPostgresUser = Environment.UserName == "root";
        var folder = Directory.CreateTempSubdirectory("chorus-pg-").FullName;
        var cluster = new PostgresCluster(folder, binaries, asPostgresUser, FreePort(), databasePrefix);
        if (asPostgresUser)
        {
            // initdb refuses to run as root; the Debian package's "postgres" account runs the throwaway server.
            await RunAsync("chown", ["-R", "postgres:postgres", folder], asPostgres: false);
        }

        var data = Path.Combine(folder, "data");
        await RunAsync(Path.Combine(binaries, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-locale"], asPostgresUser);
        var options = string.Join(' ', new[] { $"-p {cluster.Port}", $"-k {folder}", "-c listen_addresses=127.0.0.1" }.Concat(settings.Select(s => $"-c {s}")));
        await RunAsync(Path.Combine(binaries, "pg_ctl"), ["-D", data, "-o", options, "-l", Path.Combine(folder, "server.log"), "-w", "-t", "60", "start"], asPostgresUser);
        return cluster;
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? template = null)
    {
        var name = $"{_databasePrefix}_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}";
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = template is null ? $"CREATE DATABASE {name}" : $"CREATE DATABASE {name} TEMPLATE {template}";
        await command.ExecuteNonQueryAsync();
        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name}";
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RunAsync(Path.Combine(_binaries, "pg_ctl"), ["-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop"], _asPostgresUser);
        }
        finally
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    private static string? FindBinaries()
    {
        var configured = Environment.GetEnvironmentVariable("CHORUS_PG_BIN");
        if (!string.IsNullOrEmpty(configured))
        {
            return File.Exists(Path.Combine(configured, "initdb")) ? configured : null;
        }

        return Directory.Exists("/usr/lib/postgresql")
            ? Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => Path.Combine(d, "bin"))
                .Where(d => File.Exists(Path.Combine(d, "initdb")) && File.Exists(Path.Combine(d, "pg_ctl")))
                .OrderByDescending(d => int.TryParse(Path.GetFileName(Path.GetDirectoryName(d)), out var v) ? v : 0)
                .FirstOrDefault()
            : null;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task RunAsync(string program, string[] arguments, bool asPostgres)
    {
        var start = new ProcessStartInfo(asPostgres ? "runuser" : program)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        if (asPostgres)
        {
            foreach (var a in new[] { "-u", "postgres", "--", program })
            {
                start.ArgumentList.Add(a);
            }
        }

        foreach (var a in arguments)
        {
            start.ArgumentList.Add(a);
        }

        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"`{program} {string.Join(' ', arguments)}` failed ({process.ExitCode}): {await stderr}{await stdout}");
        }
    }
}
