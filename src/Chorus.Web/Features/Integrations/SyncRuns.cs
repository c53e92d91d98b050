using System.Text.Json;
using Chorus.Features.Audit;
using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Integrations;

/// <summary>
/// Queues and runs <see cref="SyncRun"/>s. The one run every integration has is the catch-up: it goes back over the
/// organization's events since a time and makes the items the integration is missing (same idempotency keys as the
/// feed's, so nothing already made is made twice and nothing already delivered is written again). Handlers add their
/// own kinds through <see cref="IIntegrationRunner"/>.
/// </summary>
public static class SyncRuns
{
    public const string CatchUp = "catch-up";
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(5);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public sealed record CatchUpParameters(DateTime SinceUtc);

    /// <summary>Adds a queued run (and its audit entry) to the context; the caller saves and signals the worker.</summary>
    public static SyncRun Queue(AppDbContext db, Integration integration, string kind, object parameters, AuditActor actor, DateTime now)
    {
        var run = new SyncRun
        {
            OrganizationId = integration.OrganizationId,
            IntegrationId = integration.Id,
            Kind = kind,
            Parameters = JsonSerializer.Serialize(parameters, Json),
            CreatedByUserId = actor.UserId ?? Guid.Empty,
            CreatedUtc = now,
        };
        db.SyncRuns.Add(run);
        AuditEvent.Record(db, integration.OrganizationId, actor, "integration.run_requested", $"integration:{integration.Id}", new { runId = run.Id, kind, parameters }, now);
        return run;
    }

    /// <summary>Claims and does one queued run (or one whose worker died); its id, or null when none is waiting.</summary>
    public static async Task<Guid?> RunOnceAsync(IServiceScopeFactory scopes, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<AppDbContext>();
        var clock = sp.GetRequiredService<TimeProvider>();
        var registry = sp.GetRequiredService<IntegrationRegistry>();
        var now = clock.GetUtcNow().UtcDateTime;
        var stale = now - StaleAfter;
        var candidate = await db.SyncRuns.IgnoreQueryFilters()
            .Where(r => r.Status == SyncRunStatus.Queued || (r.Status == SyncRunStatus.Running && r.HeartbeatUtc < stale))
            .OrderBy(r => r.CreatedUtc).Select(r => r.Id).FirstOrDefaultAsync(ct);
        if (candidate == Guid.Empty)
        {
            return null;
        }

        var token = Guid.NewGuid();
        var claimed = await db.SyncRuns.IgnoreQueryFilters()
            .Where(r => r.Id == candidate && (r.Status == SyncRunStatus.Queued || (r.Status == SyncRunStatus.Running && r.HeartbeatUtc < stale)))
            .ExecuteUpdateAsync(s => s.SetProperty(r => r.Status, SyncRunStatus.Running).SetProperty(r => r.ClaimToken, token)
                .SetProperty(r => r.HeartbeatUtc, now).SetProperty(r => r.StartedUtc, r => r.StartedUtc ?? now), ct);
        if (claimed == 0)
        {
            return candidate;
        }

        var run = await db.SyncRuns.IgnoreQueryFilters().FirstAsync(r => r.Id == candidate, ct);
        var integration = await db.Integrations.IgnoreQueryFilters().FirstAsync(i => i.Id == run.IntegrationId, ct);
        var slug = await db.Organizations.Where(o => o.Id == run.OrganizationId).Select(o => o.Slug).FirstAsync(ct);
        sp.GetRequiredService<CurrentOrganization>().Set(run.OrganizationId, slug, null);
        var logger = sp.GetRequiredService<ILogger<SyncRun>>();
        try
        {
            if (integration.DeletedUtc is not null)
            {
                throw new InvalidOperationException("The integration was removed before the run started.");
            }

            if (run.Kind == CatchUp)
            {
                await CatchUpAsync(db, registry, integration, run, clock, ct);
            }
            else if (registry.Runner(run.Kind) is { } runner)
            {
                await runner.RunAsync(registry.Context(integration), run, sp, ct);
            }
            else
            {
                throw new InvalidOperationException($"This server cannot do '{run.Kind}' runs.");
            }

            run.Status = run.Status == SyncRunStatus.Failed ? SyncRunStatus.Failed : SyncRunStatus.Completed;
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            logger.LogWarning(ex, "Integration run {RunId} ({Kind}) failed", run.Id, run.Kind);
            run.Status = SyncRunStatus.Failed;
            run.Summary = DeliveryResult.Truncate(ex.Message, SyncRun.MaxSummaryLength);
        }

        run.FinishedUtc = clock.GetUtcNow().UtcDateTime;
        run.ClaimToken = null;
        AuditEvent.Record(db, run.OrganizationId, AuditActor.System, run.Status == SyncRunStatus.Completed ? "integration.run_completed" : "integration.run_failed",
            $"integration:{integration.Id}", new { runId = run.Id, run.Kind, run.Items, run.Succeeded, run.Failed, run.Summary }, run.FinishedUtc.Value);
        await db.SaveChangesAsync(CancellationToken.None);
        return run.Id;
    }

    /// <summary>Makes the items the integration lacks for the events from the run's start time up to its cursor (the feed does the rest).</summary>
    private static async Task CatchUpAsync(AppDbContext db, IntegrationRegistry registry, Integration integration, SyncRun run, TimeProvider clock, CancellationToken ct)
    {
        var since = JsonSerializer.Deserialize<CatchUpParameters>(run.Parameters, Json)?.SinceUtc ?? DateTime.MinValue;
        var actions = EventReader.Actions.ToList();
        var until = integration.FeedCursor;
        var after = 0L;
        while (true)
        {
            var entries = await db.AuditEvents.IgnoreQueryFilters().AsNoTracking()
                .Where(a => a.OrganizationId == integration.OrganizationId && a.Sequence > after && a.Sequence <= until && a.OccurredUtc >= since && actions.Contains(a.Action))
                .OrderBy(a => a.Sequence).Take(IntegrationFeed.PageSize).ToListAsync(ct);
            if (entries.Count == 0)
            {
                break;
            }

            after = entries[^1].Sequence;
            var deliveries = await IntegrationFeed.PlanAsync(db, registry, integration, entries, run.Id, clock, ct);
            db.IntegrationDeliveries.AddRange(deliveries);
            run.Items += deliveries.Count;
            run.HeartbeatUtc = clock.GetUtcNow().UtcDateTime;
            await db.SaveChangesAsync(ct);
        }

        run.Summary = run.Items == 0
            ? $"Nothing was missing: every event since {since:yyyy-MM-dd HH:mm} UTC already had its items."
            : $"Queued {run.Items:N0} missing item(s) from events since {since:yyyy-MM-dd HH:mm} UTC.";
    }
}
