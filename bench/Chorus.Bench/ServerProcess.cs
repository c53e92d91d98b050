using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Chorus.Infrastructure.Data;

namespace Chorus.Bench;

/// <summary>
/// The built server (<c>artifacts/bin/Chorus.Web/&lt;configuration&gt;/Chorus.Web.dll</c>, the same configuration as the
/// bench) started as a process of its own against the given database, so that its memory can be read apart from the
/// load generator's: the resident set and its peak come from <c>/proc/&lt;pid&gt;/status</c> (VmRSS, VmHWM), and the peak
/// can be reset between phases through <c>/proc/&lt;pid&gt;/clear_refs</c>.
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private readonly Process process;

    private ServerProcess(Process process, Uri baseAddress)
    {
        this.process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public int ProcessId => process.Id;

    public static async Task<ServerProcess> StartAsync(DatabaseProvider provider, string connectionString, IReadOnlyDictionary<string, string>? settings = null)
    {
        var dll = ServerAssembly();
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet", [dll, "--urls", $"http://127.0.0.1:{port}"])
        {
            WorkingDirectory = Path.GetDirectoryName(dll)!,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Database__Provider"] = provider.ToString();
        start.Environment["ConnectionStrings__Chorus"] = connectionString;
        start.Environment["Database__MigrateOnStartup"] = "false";
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        start.Environment["Logging__LogLevel__Microsoft.EntityFrameworkCore"] = "None";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            start.Environment[key.Replace(":", "__", StringComparison.Ordinal)] = value;
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {dll}.");
        var errors = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (errors)
            {
                errors.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var server = new ServerProcess(process, new Uri($"http://127.0.0.1:{port}"));
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The server exited with code {process.ExitCode} before answering: {errors}");
            }

            try
            {
                using var health = await http.GetAsync(new Uri("/healthz", UriKind.Relative));
                if (health.StatusCode == HttpStatusCode.OK)
                {
                    return server;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            await Task.Delay(200);
        }

        await server.DisposeAsync();
        throw new TimeoutException($"The server did not answer /healthz within 60 s: {errors}");
    }

    /// <summary>The resident set now (VmRSS), in bytes.</summary>
    public long ResidentBytes => ReadStatus("VmRSS:");

    /// <summary>The peak resident set since start or the last <see cref="ResetPeak"/> (VmHWM), in bytes.</summary>
    public long PeakResidentBytes => ReadStatus("VmHWM:");

    /// <summary>The anonymous part of the resident set: the heaps (managed and native), not mapped files or code.</summary>
    public long AnonymousResidentBytes => ReadStatus("RssAnon:");

    /// <summary>Resets the peak resident set to the current one (writing 5 to clear_refs, Linux 4.0 and later).</summary>
    public void ResetPeak() => File.WriteAllText($"/proc/{process.Id}/clear_refs", "5");

    private bool _stopped;

    /// <summary>Stops the server; safe to call more than once.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        if (!process.HasExited)
        {
            // SIGTERM first: the host shuts down gracefully and SQLite checkpoints its WAL as the last handle closes.
            using (var term = Process.Start("kill", ["-TERM", process.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            try
            {
                await process.WaitForExitAsync(grace.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                await process.WaitForExitAsync();
            }
        }

        process.Dispose();
    }

    private long ReadStatus(string field)
    {
        var line = File.ReadLines($"/proc/{process.Id}/status").First(l => l.StartsWith(field, StringComparison.Ordinal));
        return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) * 1024;
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The server built next to this bench: artifacts/bin/Chorus.Bench/release/ → artifacts/bin/Chorus.Web/release/Chorus.Web.dll.</summary>
    private static string ServerAssembly()
    {
        var benchFolder = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var dll = Path.Combine(benchFolder.Parent!.Parent!.FullName, "Chorus.Web", benchFolder.Name, "Chorus.Web.dll");
        return File.Exists(dll)
            ? dll
            : throw new FileNotFoundException($"The server is not built where the bench expects it ({dll}); build the solution in the bench's configuration first.");
    }
}
