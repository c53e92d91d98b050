using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Chorus.IntegrationTests.Infrastructure;

/// <summary>
/// A real, throwaway PostgreSQL server for the whole test run, started from the machine's binaries (initdb + pg_ctl)
/// on a free loopback port with its data in a temp folder that is removed afterwards. No Docker here, so no
/// Testcontainers. Missing binaries fail the run loudly: a database test that silently skips does not exist.
/// </summary>
public sealed class PostgresServer : IAsyncLifetime
{
    private const string InstallHint = "PostgreSQL server binaries are missing: install them with `apt-get install -y postgresql` (./test.sh does this), or point CHORUS_PG_BIN at the folder holding initdb and pg_ctl.";

    private string _folder = "";
    private string _binaries = "";
    private bool _asPostgresUser;
    private int _databases;

    public int Port { get; private set; }

    public string AdminConnectionString => $"Host=127.0.0.1;Port={Port};Username=postgres;Database=postgres;Pooling=false";

    public async ValueTask InitializeAsync()
    {
        _binaries = FindBinaries() ?? throw new InvalidOperationException(InstallHint);
        _asPostgresUser = Environment.UserName == "root";
        _folder = Directory.CreateTempSubdirectory("chorus-pg-").FullName;
        Port = FreePort();
        if (_asPostgresUser)
        {
            // initdb refuses to run as root; the Debian package's "postgres" account runs the throwaway server.
            await RunAsync("chown", ["-R", "postgres:postgres", _folder], asPostgres: false);
        }

        var data = Path.Combine(_folder, "data");
        await RunAsync(Path.Combine(_binaries, "initdb"), ["-D", data, "-U", "postgres", "--auth=trust", "--encoding=UTF8", "--no-locale"], _asPostgresUser);
        // Durability settings are off: this server lives for one test run and speed matters more.
        var options = $"-p {Port} -k {_folder} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300";
        await RunAsync(Path.Combine(_binaries, "pg_ctl"), ["-D", data, "-o", options, "-l", Path.Combine(_folder, "server.log"), "-w", "-t", "60", "start"], _asPostgresUser);
    }

    public async ValueTask DisposeAsync()
    {
        if (_folder.Length == 0)
        {
            return;
        }

        try
        {
            await RunAsync(Path.Combine(_binaries, "pg_ctl"), ["-D", Path.Combine(_folder, "data"), "-m", "immediate", "-w", "stop"], _asPostgresUser);
        }
        finally
        {
            Directory.Delete(_folder, recursive: true);
        }
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string? template = null)
    {
        var name = $"chorus_test_{Environment.ProcessId}_{Interlocked.Increment(ref _databases)}";
        await using var connection = new NpgsqlConnection(AdminConnectionString);
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = template is null ? $"CREATE DATABASE {name}" : $"CREATE DATABASE {name} TEMPLATE {template}";
        await command.ExecuteNonQueryAsync();
        return $"Host=127.0.0.1;Port={Port};Username=postgres;Database={name}";
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
