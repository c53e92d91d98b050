using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Chorus.Features.Accounts;
using Chorus.Features.Audit;
using Chorus.Features.Campaigns;
using Chorus.Features.OptOuts;
using Chorus.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Chorus.Bench;

/// <summary>
/// `bench contacts [--rows N] [--warmup W] [--db sqlite|postgres] [--postgres "conn"] [--probe]`: uploads a deterministic CSV through the real HTTP
/// API of a started server (its own process, <see cref="ServerProcess"/>), waits for the import to finish, and prints rows/s,
/// seconds and the server's peak resident set. With <c>--warmup W</c> the server first imports a W-row file into another
/// campaign, unmeasured, so the figure is a running server's rather than one whose JIT compiler is still busy.
/// ~5% invalid phones in varied formats, ~3% duplicates, ~2% on the opt-out list; 10 columns, 3 of them custom.
/// </summary>
internal static class ContactsBench
{
    public static async Task RunAsync(string[] args, TextWriter output)
    {
        var rows = int.Parse(args.SkipWhile(a => a != "--rows").Skip(1).FirstOrDefault() ?? "1000000", CultureInfo.InvariantCulture);
        var probe = args.Contains("--probe");
        var warmup = int.Parse(args.SkipWhile(a => a != "--warmup").Skip(1).FirstOrDefault() ?? "0", CultureInfo.InvariantCulture);
        await using var database = await BenchDatabase.OpenAsync(args, output);
        var (provider, connectionString) = (database.Provider, database.ConnectionString);
        await BenchProgram.MigrateAsync(provider, connectionString);

        // Seeding and the floor run in this process; the server under test runs in its own, so its memory is its own.
        await using var app = new BenchApp(provider, connectionString, workers: false);
        var earlier = await EarlierContactsAsync(app.Services);
        var (slug, campaignId, token, optedOut) = await SeedAsync(app.Services, rows);
        await using var server = await ServerProcess.StartAsync(provider, connectionString);
        var idle = server.ResidentBytes;
        using var http = new HttpClient { BaseAddress = server.BaseAddress, Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);

        var csv = Generate(rows, optedOut);
        output.WriteLine($"Chorus contacts bench · {provider} · {rows:N0} rows · {csv.Length / (1024.0 * 1024):F1} MB · {Environment.ProcessorCount} cores · .NET {Environment.Version}");
        if (warmup > 0)
        {
            var warm = await WarmUpAsync(app.Services, http, slug, campaignId, Generate(warmup, optedOut));
            await Task.Delay(TimeSpan.FromSeconds(5)); // idle, as a server is between uploads (PostgreSQL analyzes after an import)
            idle = server.ResidentBytes;
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"warm-up: {warmup:N0} rows into another campaign, {warm.Status} after {warm.Seconds:F2} s (not measured); peak resident set {server.PeakResidentBytes / (1024 * 1024):N0} MB, reset; 5 s later {idle / (1024 * 1024):N0} MB ({server.AnonymousResidentBytes / (1024 * 1024):N0} MB anonymous)"));
            server.ResetPeak();
        }
        if (earlier > 0)
        {
            // A PostgreSQL database given with --postgres is used as it is: every run adds its contacts, and inserts
            // into bigger indexes are slower (a sixth run read 32.6 s where a fresh database read 30.8 s).
            output.WriteLine($"note: the database already held {earlier:N0} contacts from earlier runs; compare figures only between runs on fresh databases");
        }

        var total = Stopwatch.StartNew();
        var id = await StartImportAsync(http, slug, campaignId, csv);
        var accepted = total.Elapsed;
        using var importDone = new CancellationTokenSource();
        var probing = probe ? ProbeWritesAsync(http, slug, importDone.Token) : Task.FromResult<List<double>>([]);
        var status = await WaitForImportAsync(http, slug, id);
        total.Stop();
        await importDone.CancelAsync();
        var probes = await probing;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"upload accepted (file stored) after {accepted.TotalSeconds:F2} s; import {status.Status} after {total.Elapsed.TotalSeconds:F2} s end to end → {rows / total.Elapsed.TotalSeconds:N0} rows/s"));
        output.WriteLine($"imported {status.Imported:N0}, invalid {status.Invalid:N0}, duplicates {status.Duplicates:N0}, opted out {status.OptedOut:N0}; server (its own process) peak resident set {server.PeakResidentBytes / (1024 * 1024):N0} MB, {idle / (1024 * 1024):N0} MB when idle before the upload");

        if (probe)
        {
            var sorted = probes.Order().ToArray();
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"writes during the import (POST /opt-outs, one at a time, 100 ms apart): {sorted.Length:N0}, p50 {Percentiles.Of(sorted, 0.50)} ms, p99 {Percentiles.Of(sorted, 0.99)} ms, max {Percentiles.Of(sorted, 1)} ms"));
        }

        await server.DisposeAsync(); // the floor runs alone: the server's pollers would contend for SQLite's write lock
        var floor = await FloorAsync(app.Services, campaignId);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"floor: the same {status.Imported:N0} normalized rows through the raw bulk path into a fresh campaign: {floor.TotalSeconds:F2} s → upload ÷ floor = {total.Elapsed.TotalSeconds / floor.TotalSeconds:F2}"));
    }

    /// <summary>
    /// The floor: inserting the already-normalized contacts again, into a new campaign, with the same provider's bulk
    /// path and batch size and nothing else (no HTTP, no parsing, no phone or zone work).
    /// </summary>
    private static async Task<TimeSpan> FloorAsync(IServiceProvider services, Guid campaignId)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var writer = scope.ServiceProvider.GetRequiredService<ContactBulkWriter>();
        var copy = await SiblingCampaignAsync(db, campaignId, "Floor");
        var contacts = (await db.Contacts.IgnoreQueryFilters().AsNoTracking().Where(c => c.CampaignId == campaignId).ToListAsync())
            .Select(c => new Chorus.Features.Contacts.Contact
            {
                OrganizationId = c.OrganizationId,
                CampaignId = copy.Id,
                PhoneE164 = c.PhoneE164,
                FirstName = c.FirstName,
                LastName = c.LastName,
                Zip = c.Zip,
                ExternalId = c.ExternalId,
                CustomFields = c.CustomFields,
                TimeZones = c.TimeZones,
                TimeZoneSource = c.TimeZoneSource,
                State = c.State,
                CreatedUtc = c.CreatedUtc,
            })
            .ToList();
        var watch = Stopwatch.StartNew();
        await using var cache = await writer.BeginImportAsync(db, default);
        foreach (var batch in contacts.Chunk(writer.DefaultBatchSize))
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await writer.InsertAsync(db, batch, default);
            await transaction.CommitAsync();
        }

        return watch.Elapsed;
    }

    /// <summary>
    /// `--probe`: what an upload costs everyone else. Until the import ends, one small write at a time, 100 ms apart
    /// (adding a number to the opt-out list, as a supervisor would), timed from request to response.
    /// </summary>
    private static async Task<List<double>> ProbeWritesAsync(HttpClient http, string slug, CancellationToken importDone)
    {
        var latencies = new List<double>();
        var n = 0;
        while (!importDone.IsCancellationRequested)
        {
            var watch = Stopwatch.StartNew();
            using var response = await http.PostAsJsonAsync(new Uri($"/api/v1/orgs/{slug}/opt-outs", UriKind.Relative),
                new { phone = string.Create(CultureInfo.InvariantCulture, $"+1917{7_000_000 + n++:D7}"), reason = "bench probe" }, CancellationToken.None);
            response.EnsureSuccessStatusCode();
            latencies.Add(watch.Elapsed.TotalMilliseconds);
            try
            {
                await Task.Delay(100, importDone);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return latencies;
    }

    /// <summary>The <c>--warmup</c> import: the same kind of file into another campaign of the organization, to completion.</summary>
    private static async Task<(string Status, double Seconds)> WarmUpAsync(IServiceProvider services, HttpClient http, string slug, Guid campaignId, byte[] csv)
    {
        Guid warmCampaignId;
        await using (var scope = services.CreateAsyncScope())
        {
            warmCampaignId = (await SiblingCampaignAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), campaignId, "Warm-up")).Id;
        }

        var watch = Stopwatch.StartNew();
        var status = await WaitForImportAsync(http, slug, await StartImportAsync(http, slug, warmCampaignId, csv));
        return (status.Status, watch.Elapsed.TotalSeconds);
    }

    /// <summary>A new, empty campaign in the same organization as <paramref name="campaignId"/>.</summary>
    private static async Task<Campaign> SiblingCampaignAsync(AppDbContext db, Guid campaignId, string title)
    {
        var source = await db.Campaigns.IgnoreQueryFilters().AsNoTracking().FirstAsync(c => c.Id == campaignId);
        var sibling = new Campaign { OrganizationId = source.OrganizationId, Title = title };
        db.Campaigns.Add(sibling);
        await db.SaveChangesAsync();
        return sibling;
    }

    /// <summary>Posts the file to the campaign's imports (202 once it is stored) and returns the import's id.</summary>
    private static async Task<Guid> StartImportAsync(HttpClient http, string slug, Guid campaignId, byte[] csv)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(csv);
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "bench.csv");
        using var upload = await http.PostAsync(new Uri($"/api/v1/orgs/{slug}/campaigns/{campaignId}/imports", UriKind.Relative), form);
        upload.EnsureSuccessStatusCode();
        return (await upload.Content.ReadFromJsonAsync<IdOnly>())!.Id;
    }

    private static async Task<ImportStatus> WaitForImportAsync(HttpClient http, string slug, Guid id)
    {
        while (true)
        {
            var status = (await http.GetFromJsonAsync<ImportStatus>(new Uri($"/api/v1/orgs/{slug}/imports/{id}", UriKind.Relative)))!;
            if (status.Status is "completed" or "failed")
            {
                return status;
            }

            await Task.Delay(100);
        }
    }

    private sealed record IdOnly(Guid Id);

    private sealed record ImportStatus(string Status, long Imported, long Invalid, long Duplicates, long OptedOut);

    private static async Task<int> EarlierContactsAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Contacts.IgnoreQueryFilters().CountAsync();
    }

    private static byte[] Generate(int rows, List<string> optedOut)
    {
        var random = new Random(42);
        var builder = new StringBuilder(rows * 110);
        builder.Append("First Name,Last Name,Cell Phone,Zip,VAN ID,Time Zone,Polling Place,Precinct,Volunteer Status,Email\n");
        string[] formats = ["({0}) {1}-{2}", "{0}.{1}.{2}", "1-{0}-{1}-{2}", "+1 {0} {1} {2}", "{0}{1}{2}"];
        var previous = new List<string>();
        for (var i = 0; i < rows; i++)
        {
            var roll = random.NextDouble();
            string phone;
            if (roll < 0.05)
            {
                phone = (i % 3) switch { 0 => "555-0100", 1 => "(212) 555-0123", _ => "not a number" };
            }
            else if (roll < 0.08 && previous.Count > 0)
            {
                phone = previous[random.Next(previous.Count)];
            }
            else if (roll < 0.10 && optedOut.Count > 0)
            {
                phone = optedOut[random.Next(optedOut.Count)];
            }
            else
            {
                var npa = 201 + random.Next(0, 700);
                npa = npa is 211 or 311 or 411 or 511 or 611 or 711 or 811 or 911 or 555 ? 212 : npa;
                phone = string.Format(CultureInfo.InvariantCulture, formats[i % formats.Length], Npa(npa), 200 + random.Next(0, 799), random.Next(0, 10000).ToString("D4", CultureInfo.InvariantCulture));
                if (previous.Count < 10_000)
                {
                    previous.Add(phone);
                }
            }

            builder.Append(CultureInfo.InvariantCulture, $"Voter{i},Last{i % 997},{phone},{10001 + (i % 89999):D5},{100000 + i},,PS {i % 300},P-{i % 50},{(i % 4 == 0 ? "active" : "new")},v{i}@example.org\n");
        }

        return Encoding.UTF8.GetBytes(builder.ToString());
    }

    // Area codes that libphonenumber knows are valid; the generator picks from real ones so most rows import.
    private static string Npa(int candidate) => ValidNpas[candidate % ValidNpas.Length];

    private static readonly string[] ValidNpas = ["212", "213", "305", "312", "404", "415", "503", "602", "617", "646", "702", "713", "718", "808", "907", "917", "206", "303", "512", "615"];

    private static async Task<(string Slug, Guid CampaignId, string Token, List<string> OptedOut)> SeedAsync(IServiceProvider services, int rows)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<AppDbContext>();
        var clock = sp.GetRequiredService<TimeProvider>();
        var email = $"bench-{Guid.NewGuid():N}@example.org";
        var user = await RegisterAccount.ExecuteAsync(new RegisterAccount.Request(email, "bench password 123", "Bench"), sp.GetRequiredService<UserManager<AppUser>>(), clock);
        var org = await Chorus.Features.Organizations.CreateOrganization.ExecuteAsync($"Bench {Guid.NewGuid():N}"[..14], user.Value!.Id, AuditActor.Cli, db, clock, default);
        var campaign = new Campaign { OrganizationId = org.Value!.Id, Title = "Bench" };
        db.Campaigns.Add(campaign);
        var optedOut = new List<string>();
        var random = new Random(7);
        for (var i = 0; i < Math.Max(10, rows / 100); i++)
        {
            var phone = $"+1{ValidNpas[i % ValidNpas.Length]}{200 + random.Next(0, 799)}{random.Next(0, 10000):D4}";
            if (!optedOut.Contains(phone))
            {
                optedOut.Add(phone);
                db.OptOuts.Add(new OptOut { OrganizationId = org.Value.Id, PhoneE164 = phone, Source = "import" });
            }
        }

        await db.SaveChangesAsync();
        var token = await CreateApiToken.ExecuteAsync(user.Value.Id, email, "bench", db, clock, default);
        return (org.Value.Slug, campaign.Id, token.Value!.Token, optedOut);
    }
}
