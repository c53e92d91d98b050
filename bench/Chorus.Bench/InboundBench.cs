using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Chorus.Features.Campaigns;
using Chorus.Features.Contacts;
using Chorus.Features.Messaging;
using Chorus.Features.Messaging.Providers;
using Chorus.Features.Messaging.Simulator;
using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;

namespace Chorus.Bench;

/// <summary>
/// `bench inbound [--webhooks N] [--warmup W] [--concurrency K] [--contacts C] [--db sqlite|postgres] [--postgres "conn"]`: W unmeasured, then N signed Twilio-format inbound
/// webhooks (distinct MessageSid, replies from C texted contacts, ~3% STOP, ~1% HELP) from K concurrent connections over
/// real HTTP; reports webhooks/s, latency, accepted → visible through the message API for every 100th, then checks
/// that exactly N were stored and that re-posting a sample stores nothing.
/// </summary>
internal static class InboundBench
{
    private const int SampleEvery = 100;

    public static async Task RunAsync(string[] args, TextWriter output)
    {
        var webhooks = BenchProgram.Arg(args, "--webhooks", 20_000);
        // Unmeasured webhooks first, so the JIT's tiering has settled: with 500, a 10,000-webhook run spent 20% of its
        // CPU in the JIT and read 40% below the steady rate.
        var warmUp = BenchProgram.Arg(args, "--warmup", 5_000);
        var concurrency = BenchProgram.Arg(args, "--concurrency", 32);
        var contactCount = BenchProgram.Arg(args, "--contacts", 10_000);
        await using var database = await BenchDatabase.OpenAsync(args, output);
        var (provider, connectionString) = (database.Provider, database.ConnectionString);

        await BenchProgram.MigrateAsync(provider, connectionString);
        // The simulator's network would post status callbacks for the STOP/HELP answers the dispatcher sends; keep
        // it quiet so the measured traffic is the generator's webhooks (the dispatcher itself still runs).
        await using var app = new BenchApp(provider, connectionString, new Dictionary<string, string> { ["Chorus:Simulator:RunInBackground"] = "false" });
        var baseAddress = app.Start();
        var org = await BenchOrganization.CreateAsync(app.Services);
        var ourNumber = SimulatorOptions.DefaultNumber;
        await SeedConversationsAsync(app.Services, org, contactCount, ourNumber);

        var url = new Uri(baseAddress, $"/webhooks/simulator/{org.Slug}/inbound");
        var random = new Random(5);
        var requests = Enumerable.Range(0, warmUp + webhooks).Select(i => Build(url, org, BenchOrganization.Phone(random.Next(contactCount)), ourNumber, random)).ToArray();
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = concurrency, PooledConnectionLifetime = Timeout.InfiniteTimeSpan });
        using var api = new HttpClient { BaseAddress = baseAddress };
        api.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", org.Token);

        output.WriteLine($"Chorus inbound bench · {provider} · {webhooks:N0} webhooks · {concurrency} connections · {contactCount:N0} texted contacts · {Environment.ProcessorCount} cores · .NET {Environment.Version} · {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm}Z");
        output.WriteLine($"keywords in the measured set: {requests.Skip(warmUp).Count(r => r.Keyword == "STOP"):N0} STOP, {requests.Skip(warmUp).Count(r => r.Keyword == "HELP"):N0} HELP");
        // The warm-up polls for visibility too: otherwise the conversation API's code was compiled inside the measured
        // part, and the JIT took up to half a core for its first seconds.
        await SendAllAsync(http, api, org, requests[..warmUp], concurrency, sample: true);

        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var total = Stopwatch.StartNew();
        var result = await SendAllAsync(http, api, org, requests[warmUp..], concurrency, sample: true);
        total.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"POST /webhooks/simulator/{{org}}/inbound: {webhooks / total.Elapsed.TotalSeconds,7:F0} webhooks/s  p50 {Percentiles.Of(result.Latencies, 0.50)} ms  p95 {Percentiles.Of(result.Latencies, 0.95)} ms  p99 {Percentiles.Of(result.Latencies, 0.99)} ms  max {Percentiles.Of(result.Latencies, 1)} ms  non-2xx {result.Failures} {result.FailureCodes}"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  {total.Elapsed.TotalSeconds:F2} s wall; process CPU {cpu.TotalSeconds:F2} s = {cpu.TotalMilliseconds * 1000 / webhooks:F0} µs per webhook (server and generator share the process)"));
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"accepted → visible (GET /api/v1/orgs/{{org}}/messages?phone=, every {SampleEvery}th, {result.Visible.Length} samples): p50 {Percentiles.Of(result.Visible, 0.50)} ms  p99 {Percentiles.Of(result.Visible, 0.99)} ms  max {Percentiles.Of(result.Visible, 1)} ms  first poll found it: {result.FoundFirstPoll}/{result.Visible.Length}"));

        var stored = await CountInboundAsync(app.Services, org);
        output.WriteLine($"stored inbound messages: {stored:N0} (expected {warmUp + webhooks:N0} = {warmUp} warm-up + {webhooks:N0}) → {(stored == warmUp + webhooks ? "nothing lost, nothing doubled" : "MISMATCH")}");
        var again = requests[warmUp..].Where((_, i) => i % SampleEvery == 0).ToArray();
        var repost = await SendAllAsync(http, api, org, again, concurrency, sample: false);
        var afterRepost = await CountInboundAsync(app.Services, org);
        output.WriteLine($"re-posted {again.Length} already-delivered sids: non-2xx {repost.Failures}; stored afterwards {afterRepost:N0} → {(afterRepost == stored ? "deduplicated" : "DUPLICATES STORED")}");
    }

    private sealed record Webhook(string Sid, string Phone, string Keyword, byte[] Body, string Signature, Uri Url);

    private sealed record Outcome(double[] Latencies, int Failures, string FailureCodes, double[] Visible, int FoundFirstPoll);

    private static readonly string[] Replies =
    [
        "Yes, I'll be voting!", "Who is this?", "Already voted early", "Not interested", "Where is my polling place?",
        "Maybe, I need to check my schedule", "Thanks for reaching out", "I support her 100%", "What's her position on housing?",
        "Can I get a ride to the polls?", "no", "Sí, claro 👍", "Please remove me from this list", "ok",
    ];

    private static Webhook Build(Uri url, BenchOrganization org, string from, string to, Random random)
    {
        var roll = random.NextDouble();
        var (keyword, body) = roll < 0.03 ? ("STOP", roll < 0.015 ? "STOP" : "stop") : roll < 0.04 ? ("HELP", "HELP") : ("", Replies[random.Next(Replies.Length)]);
        Span<byte> bytes = stackalloc byte[16];
        random.NextBytes(bytes);
        var sid = "SM" + Convert.ToHexStringLower(bytes);
        var form = new Dictionary<string, StringValues>(StringComparer.Ordinal)
        {
            ["MessageSid"] = sid,
            ["SmsMessageSid"] = sid,
            ["SmsSid"] = sid,
            ["AccountSid"] = org.AccountSid,
            ["From"] = from,
            ["To"] = to,
            ["Body"] = body,
            ["NumMedia"] = "0",
            ["NumSegments"] = "1",
            ["SmsStatus"] = "received",
            ["ApiVersion"] = SimulatorNetwork.ApiVersion,
            ["FromCountry"] = "US",
            ["FromState"] = "NY",
            ["ToCountry"] = "US",
        };
        var encoded = string.Join('&', form.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value.ToString())));
        return new Webhook(sid, from, keyword, Encoding.UTF8.GetBytes(encoded), TwilioSignature.Compute(url.ToString(), form, org.SigningSecret), url);
    }

    private static async Task<Outcome> SendAllAsync(HttpClient http, HttpClient api, BenchOrganization org, Webhook[] webhooks, int parallel, bool sample)
    {
        var latencies = new double[webhooks.Length];
        var visible = new List<double>();
        var codes = new System.Collections.Concurrent.ConcurrentDictionary<int, int>();
        var failures = 0;
        var firstPoll = 0;
        var next = -1;
        await Task.WhenAll(Enumerable.Range(0, parallel).Select(async _ =>
        {
            int i;
            while ((i = Interlocked.Increment(ref next)) < webhooks.Length)
            {
                var webhook = webhooks[i];
                using var request = new HttpRequestMessage(HttpMethod.Post, webhook.Url) { Content = new ByteArrayContent(webhook.Body) };
                request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
                request.Headers.Add(TwilioSignature.Header, webhook.Signature);
                var started = Stopwatch.GetTimestamp();
                using var response = await http.SendAsync(request);
                latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failures);
                    codes.AddOrUpdate((int)response.StatusCode, 1, (_, n) => n + 1);
                    continue;
                }

                if (sample && i % SampleEvery == 0)
                {
                    var accepted = Stopwatch.GetTimestamp();
                    for (var poll = 1; ; poll++)
                    {
                        var page = await api.GetFromJsonAsync<MessagePage>(new Uri($"/api/v1/orgs/{org.Slug}/messages?phone={Uri.EscapeDataString(webhook.Phone)}&pageSize=200", UriKind.Relative));
                        if (page!.Items.Any(m => m.ProviderMessageId == webhook.Sid))
                        {
                            lock (visible)
                            {
                                visible.Add(Stopwatch.GetElapsedTime(accepted).TotalMilliseconds);
                                firstPoll += poll == 1 ? 1 : 0;
                            }

                            break;
                        }

                        if (poll > 1000)
                        {
                            throw new InvalidOperationException($"Webhook {webhook.Sid} was acknowledged but never became visible.");
                        }

                        await Task.Delay(5);
                    }
                }
            }
        }));
        Array.Sort(latencies);
        var sorted = visible.ToArray();
        Array.Sort(sorted);
        return new Outcome(latencies, failures, string.Join(", ", codes.Select(c => $"{c.Key}×{c.Value}")), sorted, firstPoll);
    }

    private sealed record MessagePage(List<MessageItem> Items);

    private sealed record MessageItem(string? ProviderMessageId);

    /// <summary>Contacts that were texted from <paramref name="ourNumber"/> by the owner, so replies route to their conversations.</summary>
    private static async Task SeedConversationsAsync(IServiceProvider services, BenchOrganization org, int count, string ourNumber)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var campaign = new Campaign { OrganizationId = org.Id, Title = "Bench", Status = CampaignStatus.Active, InitialMessage = "Hi {firstName}, will you vote? Reply STOP to opt out.", CreatedUtc = now, UpdatedUtc = now };
        db.Campaigns.Add(campaign);
        for (var i = 0; i < count; i++)
        {
            db.Contacts.Add(new Contact
            {
                OrganizationId = org.Id,
                CampaignId = campaign.Id,
                PhoneE164 = BenchOrganization.Phone(i),
                FirstName = $"Voter{i}",
                TimeZones = "America/New_York",
                TimeZoneSource = "AreaCode",
                CreatedUtc = now,
                ConversationStatus = ConversationStatus.Messaged,
                TexterUserId = org.OwnerId,
                SenderNumber = ourNumber,
                LastMessageUtc = now,
            });
        }

        await db.SaveChangesAsync();
        await scope.ServiceProvider.GetRequiredService<ContactBulkWriter>().RefreshStatisticsAsync(db, default); // as an import does at its end
    }

    private static async Task<int> CountInboundAsync(IServiceProvider services, BenchOrganization org)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.Messages.IgnoreQueryFilters().CountAsync(m => m.OrganizationId == org.Id && m.Direction == MessageDirection.Inbound);
    }
}
