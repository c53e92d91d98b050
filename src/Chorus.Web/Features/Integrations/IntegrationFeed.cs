using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Integrations;

/// <summary>
/// Turns an organization's audit log into deliveries, integration by integration. Each integration keeps a cursor
/// (the last audit sequence it has looked at); a pass reads the events after it, asks the handler what each calls
/// for, and stores those items and the moved cursor in one transaction — so an event is planned exactly once even
/// with several instances (the cursor moves only from the value the pass read) and a crash between reading and
/// storing just means the next pass reads again. The audit log is written in the same transaction as every change
/// it records, which makes it the outbox: nothing acknowledged can be missed.
/// </summary>
public static class IntegrationFeed
{
    public const int PageSize = 500;

    /// <summary>Plans one page of the integration's new events; the number of items stored, or null when it was already up to date.</summary>
    public static async Task<int?> AdvanceAsync(AppDbContext db, IntegrationRegistry registry, Guid integrationId, TimeProvider clock, CancellationToken ct)
    {
        var integration = await db.Integrations.IgnoreQueryFilters().AsNoTracking().FirstAsync(i => i.Id == integrationId, ct);
        var end = await db.AuditEvents.IgnoreQueryFilters().Where(a => a.OrganizationId == integration.OrganizationId)
            .MaxAsync(a => (long?)a.Sequence, ct) ?? 0;
        if (end <= integration.FeedCursor)
        {
            return null;
        }

        var actions = EventReader.Actions.ToList();
        var entries = await db.AuditEvents.IgnoreQueryFilters().AsNoTracking()
            .Where(a => a.OrganizationId == integration.OrganizationId && a.Sequence > integration.FeedCursor && a.Sequence <= end && actions.Contains(a.Action))
            .OrderBy(a => a.Sequence).Take(PageSize).ToListAsync(ct);

        // A full page may stop short of the end; otherwise everything up to the end has been seen.
        var cursor = entries.Count == PageSize ? entries[^1].Sequence : end;
        var deliveries = await PlanAsync(db, registry, integration, entries, null, clock, ct);

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var moved = await db.Integrations.IgnoreQueryFilters()
            .Where(i => i.Id == integration.Id && i.FeedCursor == integration.FeedCursor)
            .ExecuteUpdateAsync(s => s.SetProperty(i => i.FeedCursor, cursor), ct);
        if (moved == 0)
        {
            return 0; // another instance planned this page first
        }

        db.IntegrationDeliveries.AddRange(deliveries);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        db.ChangeTracker.Clear();
        return deliveries.Count;
    }

    /// <summary>
    /// The deliveries a page of audit entries calls for, leaving out those the integration already has (a catch-up
    /// re-reads events the feed planned before; their keys are the same, so only the missing ones are made).
    /// </summary>
    public static async Task<List<IntegrationDelivery>> PlanAsync(
        AppDbContext db, IntegrationRegistry registry, Integration integration, IReadOnlyList<Audit.AuditEvent> entries, Guid? runId, TimeProvider clock, CancellationToken ct)
    {
        if (entries.Count == 0 || registry.Handler(integration.Kind) is not { } handler)
        {
            return [];
        }

        var context = registry.Context(integration);
        var events = await EventReader.ReadAsync(db, integration.OrganizationId, entries, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var planned = new List<IntegrationDelivery>();
        foreach (var e in events)
        {
            foreach (var item in await handler.PlanAsync(context, e, db, ct))
            {
                planned.Add(new IntegrationDelivery
                {
                    OrganizationId = integration.OrganizationId,
                    IntegrationId = integration.Id,
                    IdempotencyKey = $"{e.Id:N}/{item.Key}",
                    EventKind = e.Kind,
                    Subject = item.Subject,
                    Payload = item.Payload,
                    SourceSequence = e.Sequence,
                    SyncRunId = runId,
                    CreatedUtc = now,
                    NextAttemptUtc = now,
                });
            }
        }

        var keys = planned.Select(d => d.IdempotencyKey).ToList();
        var existing = (await db.IntegrationDeliveries.IgnoreQueryFilters()
            .Where(d => d.IntegrationId == integration.Id && keys.Contains(d.IdempotencyKey))
            .Select(d => d.IdempotencyKey).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        return [.. planned.Where(d => !existing.Contains(d.IdempotencyKey)).DistinctBy(d => d.IdempotencyKey)];
    }
}
