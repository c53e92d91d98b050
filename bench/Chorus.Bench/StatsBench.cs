using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using Chorus.Features.Analytics.Counters;
using Chorus.Features.Campaigns;
using Chorus.Features.Contacts;
using Chorus.Features.Messaging;
using Chorus.Features.Texting;
using Chorus.Infrastructure.Data;
using Microsoft.Extensions.DependencyInjection;

namespace Chorus.Bench;

/// <summary>
/// `bench stats [--contacts N] [--requests R] [--db sqlite|postgres] [--postgres "conn"]`: seeds one campaign of N contacts with a realistic
/// message record (95% texted over the last week; 88% delivered, 5% undelivered, 2% failed; 12.5% replied, four in
/// five of them answered; 3% opted out; survey answers and tags), then times R sequential
/// GET /api/v1/orgs/{org}/campaigns/{id}/stats over HTTP and reports p50/p99.
/// </summary>
internal static class StatsBench
{
    private const int Texters = 50;

    public static async Task RunAsync(string[] args, TextWriter output)
    {
        var contacts = BenchProgram.Arg(args, "--contacts", 1_000_000);
        var requests = BenchProgram.Arg(args, "--requests", 100);
        await using var database = await BenchDatabase.OpenAsync(args, output);
        var (provider, connectionString) = (database.Provider, database.ConnectionString);

        await BenchProgram.MigrateAsync(provider, connectionString);
        await using var app = new BenchApp(provider, connectionString, new Dictionary<string, string> { ["Chorus:Dispatch:RunWorkers"] = "false" });
        var baseAddress = app.Start();
        var org = await BenchOrganization.CreateAsync(app.Services);
        var seeding = Stopwatch.StartNew();
        var (campaignId, messages) = await SeedAsync(app.Services, org, contacts);

        // Fold the seeding's counter rows as the background compactor does every 15 s on a running instance, so the
        // requests below read the steady state rather than a race with the first compaction.
        await CounterCompactor.RunOnceAsync(app.Services.GetRequiredService<IServiceScopeFactory>(), 1, CancellationToken.None);
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Chorus stats bench · {provider} · {contacts:N0} contacts · {messages:N0} messages · seeded in {seeding.Elapsed.TotalSeconds:F0} s · {Environment.ProcessorCount} cores · .NET {Environment.Version} · {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm}Z"));

        // The first request compiles every query (and JITs on a loaded machine): give it time.
        using var http = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromMinutes(10) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", org.Token);
        var url = new Uri($"/api/v1/orgs/{org.Slug}/campaigns/{campaignId}/stats", UriKind.Relative);
        for (var i = 0; i < 3; i++)
        {
            (await http.GetAsync(url)).EnsureSuccessStatusCode();
        }

        var latencies = new double[requests];
        for (var i = 0; i < requests; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var response = await http.GetAsync(url);
            response.EnsureSuccessStatusCode();
            await response.Content.ReadAsByteArrayAsync();
            latencies[i] = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
        }

        Array.Sort(latencies);
        output.WriteLine($"GET …/campaigns/{{id}}/stats, {requests} sequential requests: p50 {Percentiles.Of(latencies, 0.5)} ms  p99 {Percentiles.Of(latencies, 0.99)} ms  max {Percentiles.Of(latencies, 1)} ms");
    }

    private static async Task<(Guid CampaignId, int Messages)> SeedAsync(IServiceProvider services, BenchOrganization org, int count)
    {
        var now = TimeProvider.System.GetUtcNow().UtcDateTime;
        var questionId = Guid.CreateVersion7();
        var campaign = new Campaign
        {
            OrganizationId = org.Id,
            Title = "Stats bench",
            Status = CampaignStatus.Active,
            InitialMessage = "Hi {firstName}! Can we count on your vote? Reply STOP to opt out",
            QuestionJson = new ScriptQuestion(questionId, "Will you vote?", [new ScriptAnswer("Yes", "", null), new ScriptAnswer("No", "", null), new ScriptAnswer("Maybe", "", null)]).ToJson(),
            CreatedUtc = now,
            UpdatedUtc = now,
        };
        var texters = Enumerable.Range(0, Texters).Select(_ => Guid.CreateVersion7()).ToArray();
        string?[] carriers = ["Verizon Wireless", "AT&T Wireless", "T-Mobile USA", null];
        string[] answers = ["Yes", "No", "Maybe"];
        string[] tags = ["[\"volunteer\"]", "[\"yard-sign\"]", "[\"volunteer\",\"donor\"]"];
        await using (var scope = services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.Campaigns.Add(campaign);
            await db.SaveChangesAsync();
        }

        var messages = 0;
        foreach (var chunk in Enumerable.Range(0, count).Chunk(10_000))
        {
            await using var scope = services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            db.ChangeTracker.AutoDetectChangesEnabled = false;
            foreach (var i in chunk)
            {
                var sentAt = now.AddMinutes(-(i % (7 * 24 * 60)));
                var texted = i % 20 != 0;
                var replied = texted && i % 8 == 1;
                var optedOut = texted && i % 33 == 2;
                var contact = new Contact
                {
                    OrganizationId = org.Id,
                    CampaignId = campaign.Id,
                    PhoneE164 = BenchOrganization.Phone(i),
                    FirstName = $"Voter{i}",
                    TimeZones = "America/New_York",
                    TimeZoneSource = "AreaCode",
                    CreatedUtc = now.AddDays(-8),
                };
                db.Contacts.Add(contact);
                if (!texted)
                {
                    continue;
                }

                var texter = texters[i % Texters];
                var status = (i % 100) switch { < 88 => MessageStatus.Delivered, < 93 => MessageStatus.Undelivered, < 95 => MessageStatus.Failed, _ => MessageStatus.Sent };
                db.Messages.Add(Message(org.Id, campaign.Id, contact, MessageDirection.Outbound, MessageKind.Initial, status, texter, sentAt,
                    status switch { MessageStatus.Undelivered => i % 2 == 0 ? 30003 : 30005, MessageStatus.Failed => 30007, _ => null }, carriers[i % carriers.Length]));
                messages++;
                contact.TexterUserId = texter;
                contact.LastMessageUtc = sentAt;
                contact.ConversationStatus = optedOut ? ConversationStatus.OptedOut : ConversationStatus.Messaged;
                if (replied)
                {
                    var inboundAt = sentAt.AddMinutes(3 + (i % 50));
                    var inbound = Message(org.Id, campaign.Id, contact, MessageDirection.Inbound, MessageKind.Incoming, MessageStatus.Received, texter, inboundAt, null, null);

                    // Answered below after 30 s to 10 min: the wait the reply endpoint records.
                    inbound.ResponseSeconds = i % 5 != 0 ? 30 + (i % 600) : null;
                    db.Messages.Add(inbound);
                    messages++;
                    contact.LastInboundUtc = inboundAt;
                    contact.ConversationStatus = optedOut ? ConversationStatus.OptedOut : ConversationStatus.NeedsResponse;
                    if (i % 5 != 0)
                    {
                        db.Messages.Add(Message(org.Id, campaign.Id, contact, MessageDirection.Outbound, MessageKind.Reply, MessageStatus.Delivered, texter, inboundAt.AddSeconds(30 + (i % 600)), null, null));
                        messages++;
                        contact.ConversationStatus = optedOut ? ConversationStatus.OptedOut : ConversationStatus.Responded;
                        db.SurveyResponses.Add(new SurveyResponse { OrganizationId = org.Id, CampaignId = campaign.Id, ContactId = contact.Id, StepId = questionId, Answer = answers[i % 3], TexterUserId = texter, RecordedUtc = inboundAt });
                        contact.Tags = i % 3 == 0 ? tags[i / 3 % tags.Length] : "[]";
                    }
                }
            }

            await db.SaveChangesAsync();
        }

        return (campaign.Id, messages);
    }

    private static Message Message(Guid org, Guid campaign, Contact contact, MessageDirection direction, MessageKind kind, MessageStatus status, Guid texter, DateTime at, int? error, string? carrier) => new()
    {
        OrganizationId = org,
        CampaignId = campaign,
        ContactId = contact.Id,
        Direction = direction,
        Kind = kind,
        Phone = contact.PhoneE164,
        Body = "Hi! Can we count on your vote?",
        Segments = 1,
        Provider = "simulator",
        Status = status,
        ErrorCode = error,
        Carrier = carrier,
        TexterUserId = texter,
        CreatedUtc = at,
        UpdatedUtc = at,
        NotBeforeUtc = at,
        ProviderMessageId = direction == MessageDirection.Inbound || status != MessageStatus.Queued ? "SM" + Guid.NewGuid().ToString("N") : null,
    };
}
