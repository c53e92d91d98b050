using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Chorus.Features.Accounts;
using Chorus.Features.Campaigns;
using Chorus.Features.Contacts;
using Chorus.Features.Messaging;
using Chorus.Features.OptOuts;
using Chorus.Features.Organizations;
using Chorus.Features.Texting;
using Chorus.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Chorus.Bench;

/// <summary>
/// `bench send [--texters N] [--contacts M] [--warmup W] [--db sqlite|postgres] [--postgres "conn"]`: N simulated texters over the real HTTP
/// API, each requesting a batch and then looping next → send, on an M-contact campaign, with the dispatcher and the
/// simulator running in the same server. The same texters first text a W-contact campaign, unmeasured. Reports
/// sends/s, send latency, dispatch lag (queued → submitted) and checks that no contact got two initial messages.
/// </summary>
internal static class SendBench
{
    public static async Task RunAsync(string[] args, TextWriter output)
    {
        var texters = BenchProgram.Arg(args, "--texters", 200);
        var contacts = BenchProgram.Arg(args, "--contacts", 100_000);
        // An unmeasured campaign first, so the JIT's tiering has settled: with none, the JIT compiler's thread took 13%
        // of a 100 × 20,000 run's CPU samples between its 22nd and 42nd second.
        var warmUp = BenchProgram.Arg(args, "--warmup", 0);
        await using var database = await BenchDatabase.OpenAsync(args, output);
        var (provider, connectionString) = (database.Provider, database.ConnectionString);

        await BenchProgram.MigrateAsync(provider, connectionString);
        await using var app = new BenchApp(provider, connectionString, new Dictionary<string, string>
        {
            ["Chorus:Simulator:ReplyShare"] = "0",
            ["Chorus:Simulator:RememberedMessages"] = Math.Max(contacts + warmUp, 1).ToString(CultureInfo.InvariantCulture),
        });
        var baseAddress = app.Start();
        var org = await BenchOrganization.CreateAsync(app.Services);
        var tokens = await SeedTextersAsync(app.Services, org, texters);
        var warmUpCampaign = warmUp > 0 ? await SeedCampaignAsync(app.Services, org, texters, warmUp, "Warm-up", 0) : (Guid?)null;
        var campaignId = await SeedCampaignAsync(app.Services, org, texters, contacts, "Bench", warmUp);
        output.WriteLine($"Chorus send bench · {provider} · {texters} texters · {contacts:N0} contacts after {warmUp:N0} unmeasured · {Environment.ProcessorCount} cores · .NET {Environment.Version} · {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm}Z");

        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = texters };
        if (warmUpCampaign is { } warm)
        {
            await SendAllAsync(handler, baseAddress, org, warm, tokens, new ConcurrentBag<double>(), new Counts());
        }

        var latencies = new ConcurrentBag<double>();
        var counts = new Counts();
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        await SendAllAsync(handler, baseAddress, org, campaignId, tokens, latencies, counts);
        clock.Stop();
        var cpu = process.TotalProcessorTime - cpuBefore;

        // Let the dispatcher finish, then read the record.
        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var drain = Stopwatch.StartNew();
        while (await db.Messages.IgnoreQueryFilters().AnyAsync(m => m.Status == MessageStatus.Queued || m.Status == MessageStatus.Sending) && drain.Elapsed < TimeSpan.FromMinutes(5))
        {
            await Task.Delay(200);
        }

        var initial = await db.Messages.IgnoreQueryFilters().Where(m => m.Kind == MessageKind.Initial && m.CampaignId == campaignId).Select(m => new { m.ContactId, m.CreatedUtc, m.SubmittedUtc }).ToListAsync();
        var doubles = initial.GroupBy(m => m.ContactId).Count(g => g.Count() > 1);
        var lags = initial.Where(m => m.SubmittedUtc is not null).Select(m => (m.SubmittedUtc!.Value - m.CreatedUtc).TotalMilliseconds).Order().ToArray();
        var sorted = latencies.Order().ToArray();
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"sends: {sorted.Length:N0} in {clock.Elapsed.TotalSeconds:F1} s = {sorted.Length / clock.Elapsed.TotalSeconds:N0}/s · send p50 {Percentiles.Of(sorted, 0.5)} ms p99 {Percentiles.Of(sorted, 0.99)} ms · 409s {counts.Conflicts} · errors {counts.Errors} · CPU {cpu.TotalMilliseconds / Math.Max(1, sorted.Length):F2} ms/send (server + generator)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"dispatch lag (queued → submitted) p50 {Percentiles.Of(lags, 0.5)} ms p99 {Percentiles.Of(lags, 0.99)} ms · drained {drain.Elapsed.TotalSeconds:F1} s after the last send · initial messages {initial.Count:N0} for {initial.Select(m => m.ContactId).Distinct().Count():N0} contacts · contacts with two: {doubles}"));
    }

    internal sealed class Counts
    {
        public int Conflicts;
        public int Errors;
    }

    // Every texter requests one batch of the campaign, then loops next → send until nothing is left.
    internal static Task SendAllAsync(SocketsHttpHandler handler, Uri baseAddress, BenchOrganization org, Guid campaignId, List<string> tokens, ConcurrentBag<double> latencies, Counts counts) =>
        Parallel.ForEachAsync(tokens, new ParallelOptions { MaxDegreeOfParallelism = tokens.Count }, async (token, ct) =>
        {
            using var http = new HttpClient(handler, disposeHandler: false) { BaseAddress = baseAddress };
            http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
            var batch = await (await http.PostAsync(new Uri($"/api/v1/orgs/{org.Slug}/campaigns/{campaignId}/assignments", UriKind.Relative), null, ct))
                .Content.ReadFromJsonAsync<Assignments.BatchResponse>(ct);
            while (true)
            {
                using var next = await http.GetAsync(new Uri($"/api/v1/orgs/{org.Slug}/assignments/{batch!.AssignmentId}/next", UriKind.Relative), ct);
                if (next.StatusCode != HttpStatusCode.OK)
                {
                    break;
                }

                var contact = await next.Content.ReadFromJsonAsync<SendInitialMessage.Next>(ct);
                var started = Stopwatch.GetTimestamp();
                using var sent = await http.PostAsJsonAsync(new Uri($"/api/v1/orgs/{org.Slug}/assignments/{batch.AssignmentId}/contacts/{contact!.ContactId}/send", UriKind.Relative), new { }, ct);
                latencies.Add(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
                if (sent.StatusCode == HttpStatusCode.Conflict)
                {
                    Interlocked.Increment(ref counts.Conflicts);
                }
                else if (sent.StatusCode != HttpStatusCode.Accepted)
                {
                    Interlocked.Increment(ref counts.Errors);
                    break;
                }
            }
        });

    // A campaign of count contacts in one time zone whose texting window is open now; its phones start at the
    // first'th bench number, so two campaigns share none.
    private static async Task<Guid> SeedCampaignAsync(IServiceProvider services, BenchOrganization org, int texters, int count, string title, int first)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<AppDbContext>();
        var now = sp.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        string[] zones = ["Pacific/Honolulu", "America/New_York", "Europe/London", "Asia/Kolkata", "Asia/Tokyo", "Pacific/Kiritimati"];
        var zone = zones.First(z => TextingWindow.Evaluate(new DateTimeOffset(now), [z], null, TextingHours.Default).Allowed
            && TimeZoneInfo.ConvertTimeFromUtc(now, TimeZoneInfo.FindSystemTimeZoneById(z)).Hour is >= 10 and <= 17);
        var campaign = new Campaign
        {
            OrganizationId = org.Id,
            Title = title,
            Status = CampaignStatus.Active,
            BatchSize = Math.Min(Campaign.MaxBatchSize, (count + texters - 1) / texters),
            InitialMessage = "Hi {firstName}, it's {texterFirstName} with the Rivera campaign. Can we count on your vote on Nov 3?",
            CreatedUtc = now,
            UpdatedUtc = now,
        };
        db.Campaigns.Add(campaign);
        await db.SaveChangesAsync();
        var writer = sp.GetRequiredService<ContactBulkWriter>();
        foreach (var chunk in Enumerable.Range(first, count).Chunk(50_000))
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await writer.InsertAsync(db, [.. chunk.Select(i => new Contact
            {
                OrganizationId = org.Id, CampaignId = campaign.Id, PhoneE164 = BenchOrganization.Phone(i), FirstName = $"Voter{i}", TimeZones = zone, TimeZoneSource = "AreaCode", CreatedUtc = now,
            })], default);
            await transaction.CommitAsync();
        }

        await writer.RefreshStatisticsAsync(db, default); // as an import does at its end
        return campaign.Id;
    }

    private static async Task<List<string>> SeedTextersAsync(IServiceProvider services, BenchOrganization org, int texters)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<AppDbContext>();
        var clock = sp.GetRequiredService<TimeProvider>();
        var now = clock.GetUtcNow().UtcDateTime;
        var users = sp.GetRequiredService<UserManager<AppUser>>();
        var tokens = new List<string>(texters);
        for (var i = 0; i < texters; i++)
        {
            var email = $"texter{i}-{Guid.NewGuid():N}@example.org";
            var user = await RegisterAccount.ExecuteAsync(new RegisterAccount.Request(email, "bench password 123", $"Texter {i}"), users, clock);
            db.Memberships.Add(new Membership { OrganizationId = org.Id, UserId = user.Value!.Id, Role = OrgRole.Texter, CreatedUtc = now });
            await db.SaveChangesAsync();
            tokens.Add((await CreateApiToken.ExecuteAsync(user.Value.Id, email, "bench", db, clock, default)).Value!.Token);
        }

        return tokens;
    }
}
