using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Chorus.Features.Accounts;
using Chorus.Features.Audit;
using Chorus.Features.Organizations;
using Chorus.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

using Microsoft.Extensions.DependencyInjection;

namespace Chorus.Bench;

// Load generator for the API over real HTTP on loopback (Kestrel), against a fresh database.
// Usage: dotnet run -c Release --project bench/Chorus.Bench -- [--requests N] [--concurrency N] [--db sqlite|postgres] [--postgres "<connection string>"]
// Other modes: render, contacts, inbound, dispatch, export, stats (see each mode's class).
internal static class BenchProgram
{
    public static async Task Main(string[] args)
    {
        try
        {
            await RunModeAsync(args);
        }
        finally
        {
            DeleteTempFolders();
        }
    }

    private static readonly List<string> TempFolders = [];

    /// <summary>A new folder for this run's database and files, deleted when the run ends (a 1M-row run leaves 2.4 GB).</summary>
    internal static string TempFolder()
    {
        var folder = Directory.CreateTempSubdirectory("chorus-bench-").FullName;
        TempFolders.Add(folder);
        return folder;
    }

    private static void DeleteTempFolders()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        foreach (var folder in TempFolders)
        {
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException ex)
            {
                Console.Error.WriteLine($"Could not delete {folder}: {ex.Message}");
            }
        }
    }

    private static async Task RunModeAsync(string[] args)
    {
        switch (args.FirstOrDefault())
        {
            case "render":
                RenderBench.Run(Console.Out, Arg(args, "--contacts", 1_000_000));
                return;
            case "contacts":
                await ContactsBench.RunAsync(args, Console.Out);
                return;
            case "inbound":
                await InboundBench.RunAsync(args, Console.Out);
                return;
            case "send":
                await SendBench.RunAsync(args, Console.Out);
                return;
            case "send-floor":
                await SendFloorBench.RunAsync(args, Console.Out);
                return;
            case "dispatch":
                await DispatchBench.RunAsync(args, Console.Out);
                return;
            case "export":
                await ExportBench.RunAsync(args, Console.Out);
                return;
            case "stats":
                await StatsBench.RunAsync(args, Console.Out);
                return;
        }

        var requests = Arg(args, "--requests", 20_000);
        var concurrency = Arg(args, "--concurrency", 32);
        await using var database = await BenchDatabase.OpenAsync(args, Console.Out);
        var (provider, connectionString) = (database.Provider, database.ConnectionString);

        await MigrateAsync(provider, connectionString);
        await using var app = new BenchApp(provider, connectionString);
        var baseAddress = app.Start();
        var (slug, token) = await SeedAsync(app.Services);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency }) { BaseAddress = baseAddress };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        Console.WriteLine($"Chorus bench · {provider} · {Environment.ProcessorCount} cores · .NET {Environment.Version} · {TimeProvider.System.GetUtcNow():yyyy-MM-dd}");

        await RunAsync("warm-up", 1_000, concurrency, () => http.GetAsync(new Uri($"/api/v1/orgs/{slug}", UriKind.Relative)));
        await RunAsync("GET /api/v1/orgs/{org} (token auth + membership + read)", requests, concurrency,
            () => http.GetAsync(new Uri($"/api/v1/orgs/{slug}", UriKind.Relative)));
        await RunAsync("GET /api/v1/orgs/{org}/members", requests, concurrency,
            () => http.GetAsync(new Uri($"/api/v1/orgs/{slug}/members", UriKind.Relative)));
        await RunAsync("POST join-links, 1 client (audited, hash-chained write)", 1_000, 1,
            () => http.PostAsJsonAsync(new Uri($"/api/v1/orgs/{slug}/join-links", UriKind.Relative), new { }));
        await RunAsync("POST join-links, 8 clients in one org (audit chain contention)", 2_000, 8,
            () => http.PostAsJsonAsync(new Uri($"/api/v1/orgs/{slug}/join-links", UriKind.Relative), new { }));
    }

    private static async Task RunAsync(string name, int count, int parallel, Func<Task<HttpResponseMessage>> send)
    {
        var latencies = new double[count];
        var failures = 0;
        var next = -1;
        var total = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, parallel).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < count)
            {
                var started = Stopwatch.GetTimestamp();
                using var response = await send();
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failures);
                }
            }
        }));
        total.Stop();
        Array.Sort(latencies);
        string P(double q) => latencies[Math.Min(count - 1, (int)(q * count))].ToString("F2", CultureInfo.InvariantCulture);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"{name,-70} {count / total.Elapsed.TotalSeconds,9:F0} req/s  p50 {P(0.50)} ms  p95 {P(0.95)} ms  p99 {P(0.99)} ms  failures {failures}"));
    }

    internal static async Task MigrateAsync(DatabaseProvider provider, string connectionString)
    {
        await using AppDbContext db = provider == DatabaseProvider.Sqlite
            ? new SqliteAppDbContext(new DbContextOptionsBuilder<SqliteAppDbContext>().UseSqlite(connectionString).AddInterceptors(SqlitePragmas.Instance).Options)
            : new PostgresAppDbContext(new DbContextOptionsBuilder<PostgresAppDbContext>().UseNpgsql(connectionString).Options);
        await db.Database.MigrateAsync();
    }

    private static async Task<(string Slug, string Token)> SeedAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<AppDbContext>();
        var clock = sp.GetRequiredService<TimeProvider>();
        var email = $"bench-{Guid.NewGuid():N}@example.org";
        var user = await RegisterAccount.ExecuteAsync(new RegisterAccount.Request(email, "bench password 123", "Bench"), sp.GetRequiredService<UserManager<AppUser>>(), clock);
        var org = await CreateOrganization.ExecuteAsync($"Bench {Guid.NewGuid():N}"[..14], user.Value!.Id, AuditActor.Cli, db, clock, default);
        for (var i = 0; i < 50; i++)
        {
            db.Memberships.Add(new Membership { OrganizationId = org.Value!.Id, UserId = (await RegisterAccount.ExecuteAsync(new RegisterAccount.Request($"t{i}-{email}", "bench password 123", $"Texter {i}"), sp.GetRequiredService<UserManager<AppUser>>(), clock)).Value!.Id, Role = OrgRole.Texter });
        }

        await db.SaveChangesAsync();
        var token = await CreateApiToken.ExecuteAsync(user.Value.Id, email, "bench", db, clock, default);
        return (org.Value!.Slug, token.Value!.Token);
    }

    internal static int Arg(string[] args, string name, int fallback) => ArgText(args, name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;

    internal static string? ArgText(string[] args, string name) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault();
}
