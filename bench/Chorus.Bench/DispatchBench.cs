using System.Diagnostics;
using System.Globalization;
using Chorus.Features.Audit;
using Chorus.Features.Campaigns;
using Chorus.Features.Contacts;
using Chorus.Features.Messaging;
using Chorus.Features.Messaging.Dispatch;
using Chorus.Features.OptOuts;
using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Chorus.Bench;

/// <summary>
/// `bench dispatch [--messages N] [--batch B] [--send-concurrency C] [--passes P] [--db sqlite|postgres] [--postgres "conn"]`: N initial texts queued
/// exactly as <see cref="Outbox.Queue"/> queues them (to N contacts whose texting window is open now), then
/// <see cref="DispatchWorker.DrainAsync"/> (P passes side by side, as the worker runs them) until the outbox is empty, against the
/// simulator provider. Reports messages/s and CPU per message, then checks every message was submitted exactly once.
/// </summary>
internal static class DispatchBench
{
    public static async Task RunAsync(string[] args, TextWriter output)
    {
        var count = BenchProgram.Arg(args, "--messages", 100_000);
        var batch = BenchProgram.Arg(args, "--batch", new DispatchOptions().BatchSize);
        var sendConcurrency = BenchProgram.Arg(args, "--send-concurrency", new DispatchOptions().Concurrency);
        var parallelPasses = BenchProgram.Arg(args, "--passes", new DispatchOptions().Passes);
        await using var database = await BenchDatabase.OpenAsync(args, output);
        var (provider, connectionString) = (database.Provider, database.ConnectionString);

        await BenchProgram.MigrateAsync(provider, connectionString);
        await using var app = new BenchApp(provider, connectionString, new Dictionary<string, string>
        {
            // The bench drives the dispatcher itself; the simulator schedules its callbacks but does not post them,
            // so the measurement is the dispatcher alone.
            ["Chorus:Dispatch:RunWorkers"] = "false",
            ["Chorus:Dispatch:BatchSize"] = batch.ToString(CultureInfo.InvariantCulture),
            ["Chorus:Dispatch:Concurrency"] = sendConcurrency.ToString(CultureInfo.InvariantCulture),
            ["Chorus:Simulator:RunInBackground"] = "false",
            ["Chorus:Simulator:RememberedMessages"] = Math.Max(count, 1).ToString(CultureInfo.InvariantCulture),
        });
        app.Start();
        var org = await BenchOrganization.CreateAsync(app.Services);
        var seeding = Stopwatch.StartNew();
        var zone = await SeedAsync(app.Services, org, count);
        seeding.Stop();
        output.WriteLine($"Chorus dispatch bench · {provider} · {count:N0} messages · batch {batch} · {sendConcurrency} sends in flight · {parallelPasses} passes side by side · {Environment.ProcessorCount} cores · .NET {Environment.Version} · {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm}Z");
        output.WriteLine(string.Create(CultureInfo.InvariantCulture, $"seeded {count:N0} contacts (zone {zone}, window open) and {count:N0} queued initial texts through Outbox.Queue in {seeding.Elapsed.TotalSeconds:F1} s"));

        var dispatcher = app.Services.GetRequiredService<MessageDispatcher>();
        var process = Process.GetCurrentProcess();
        var cpuBefore = process.TotalProcessorTime;
        var gcBefore = GC.CollectionCount(0);
        var total = Stopwatch.StartNew();
        var (passes, claimed) = await DispatchWorker.DrainAsync(dispatcher, parallelPasses, default);

        total.Stop();
        process.Refresh();
        var cpu = process.TotalProcessorTime - cpuBefore;
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"dispatched: {count / total.Elapsed.TotalSeconds,8:F0} messages/s  ({total.Elapsed.TotalSeconds:F2} s, {passes} passes, {claimed:N0} claimed)  CPU {cpu.TotalMilliseconds * 1000 / count:F0} µs/message  gen-0 GCs {GC.CollectionCount(0) - gcBefore}"));

        await using var scope = app.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var byStatus = (await db.Messages.IgnoreQueryFilters().Where(m => m.OrganizationId == org.Id && m.Direction == MessageDirection.Outbound)
            .GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.Count() }).ToListAsync()).OrderBy(g => g.Key).ToList();
        var submittedTwice = await db.MessageStatusChanges.IgnoreQueryFilters()
            .Where(c => c.OrganizationId == org.Id && c.Status == MessageStatus.Submitted)
            .GroupBy(c => c.MessageId).CountAsync(g => g.Count() > 1);
        var providerIds = await db.Messages.IgnoreQueryFilters().Where(m => m.OrganizationId == org.Id && m.ProviderMessageId != null).Select(m => m.ProviderMessageId).Distinct().CountAsync();
        var submitted = byStatus.FirstOrDefault(s => s.Key == MessageStatus.Submitted)?.Count ?? 0;
        output.WriteLine($"by status: {string.Join(", ", byStatus.Select(s => $"{s.Key} {s.Count:N0}"))}; messages with more than one 'submitted' step: {submittedTwice}; distinct provider ids {providerIds:N0}");
        output.WriteLine(submitted == count && submittedTwice == 0 && providerIds == count && claimed == count
            ? "check: every message submitted exactly once, none left queued or sending"
            : "check FAILED: not every message was submitted exactly once");
    }

    /// <summary>
    /// N contacts in a zone where it is now mid-day (so the dispatcher's window check passes and the message goes out),
    /// written with the import's bulk writer, then one Outbox.Queue per contact saved 5,000 at a time.
    /// </summary>
    private static async Task<string> SeedAsync(IServiceProvider services, BenchOrganization org, int count)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var writer = scope.ServiceProvider.GetRequiredService<ContactBulkWriter>();
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var zone = OpenZone(now);
        var campaign = new Campaign { OrganizationId = org.Id, Title = "Bench", Status = CampaignStatus.Active, InitialMessage = "Hi {firstName}, will you vote? Reply STOP to opt out.", CreatedUtc = now, UpdatedUtc = now };
        db.Campaigns.Add(campaign);
        await db.SaveChangesAsync();

        var contacts = Enumerable.Range(0, count).Select(i => new Contact
        {
            OrganizationId = org.Id,
            CampaignId = campaign.Id,
            PhoneE164 = BenchOrganization.Phone(i),
            FirstName = $"Voter{i}",
            TimeZones = zone,
            TimeZoneSource = "AreaCode",
            CreatedUtc = now,
        }).ToList();
        foreach (var chunk in contacts.Chunk(50_000))
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            await writer.InsertAsync(db, chunk, default);
            await transaction.CommitAsync();
        }

        db.ChangeTracker.AutoDetectChangesEnabled = false;
        var actor = new AuditActor(org.OwnerId, "bench");
        foreach (var chunk in contacts.Chunk(5_000))
        {
            foreach (var contact in chunk)
            {
                Outbox.Queue(db, org.Id, MessagingSettings.Simulator, contact.PhoneE164, $"Hi {contact.FirstName}, this is Sam with the Rivera campaign. Can we count on your vote on Nov 3? Reply STOP to opt out.",
                    MessageKind.Initial, actor, now, campaign.Id, contact.Id, org.OwnerId, Guid.CreateVersion7());
            }

            await db.SaveChangesAsync();
            db.ChangeTracker.Clear();
        }

        return zone;
    }

    /// <summary>A zone where the default campaign hours (9:00–21:00) are open now with hours to spare; six zones cover the day.</summary>
    private static string OpenZone(DateTime nowUtc)
    {
        string[] zones = ["Pacific/Honolulu", "America/New_York", "Europe/London", "Asia/Kolkata", "Asia/Tokyo", "Pacific/Kiritimati"];
        return zones.First(z => TimeZoneInfo.ConvertTimeFromUtc(nowUtc, TimeZoneInfo.FindSystemTimeZoneById(z)).Hour is >= 11 and <= 17
            && TextingWindow.Evaluate(new DateTimeOffset(nowUtc), [z], null, TextingHours.Default).Allowed);
    }
}
