using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Integrations;

/// <summary>
/// Delivers due items: claims a page (one conditional UPDATE, so instances never take the same item; a claim left by
/// a crashed instance is taken over after <see cref="StaleClaim"/>), calls each item's handler, and records what came
/// of it. Transient failures back off (<see cref="Backoff"/>) for up to <see cref="MaxAttempts"/> attempts; refused
/// credentials mark the integration unauthorized and leave its items waiting; an item that succeeded is done for good.
/// Delivery is at least once: an instance that dies after the other system accepted an item but before recording it
/// delivers it again, with the same idempotency key.
/// </summary>
public static class IntegrationDispatcher
{
    public const int MaxAttempts = 10;
    public static readonly TimeSpan StaleClaim = TimeSpan.FromMinutes(5);

    /// <summary>30 s, 1, 2, 4 … minutes, at most 6 hours; the other system's Retry-After when it is longer.</summary>
    public static TimeSpan Backoff(int attempts, TimeSpan? retryAfter = null)
    {
        var wait = TimeSpan.FromSeconds(Math.Min(30 * Math.Pow(2, Math.Max(0, attempts - 1)), TimeSpan.FromHours(6).TotalSeconds));
        return retryAfter is { } asked && asked > wait ? asked : wait;
    }

    /// <summary>Delivers up to <paramref name="batchSize"/> due items; how many it attempted.</summary>
    public static async Task<int> RunOnceAsync(AppDbContext db, IntegrationRegistry registry, TimeProvider clock, int batchSize, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var stale = now - StaleClaim;
        var live = db.Integrations.IgnoreQueryFilters().Where(i => i.Enabled && i.DeletedUtc == null).Select(i => i.Id);
        var due = db.IntegrationDeliveries.IgnoreQueryFilters()
            .Where(d => d.Status == DeliveryStatus.Pending && d.NextAttemptUtc <= now && (d.ClaimToken == null || d.ClaimedUtc < stale) && live.Contains(d.IntegrationId))
            .OrderBy(d => d.NextAttemptUtc).Take(batchSize).Select(d => d.Id);
        var token = Guid.NewGuid();
        var claimed = await db.IntegrationDeliveries.IgnoreQueryFilters()
            .Where(d => due.Contains(d.Id) && d.Status == DeliveryStatus.Pending && (d.ClaimToken == null || d.ClaimedUtc < stale))
            .ExecuteUpdateAsync(s => s.SetProperty(d => d.ClaimToken, token).SetProperty(d => d.ClaimedUtc, now), ct);
        if (claimed == 0)
        {
            return 0;
        }

        var items = await db.IntegrationDeliveries.IgnoreQueryFilters().Where(d => d.ClaimToken == token)
            .OrderBy(d => d.SourceSequence).ThenBy(d => d.CreatedUtc).ToListAsync(ct);
        var integrationIds = items.Select(d => d.IntegrationId).Distinct().ToList();
        var integrations = await db.Integrations.IgnoreQueryFilters().Where(i => integrationIds.Contains(i.Id)).ToDictionaryAsync(i => i.Id, ct);
        foreach (var group in items.GroupBy(d => d.IntegrationId))
        {
            var integration = integrations[group.Key];
            var handler = registry.Handler(integration.Kind);
            var context = registry.Context(integration);
            var refused = false;
            foreach (var item in group)
            {
                if (refused || handler is null)
                {
                    // The credentials were just refused, the service asked to be left alone (or the kind is gone):
                    // wait with the rest rather than hammer it.
                    Release(item, now, handler is null ? $"This server has no '{integration.Kind}' integration." : integration.LastError);
                    continue;
                }

                var result = await DeliverAsync(handler, context, item, ct);
                now = clock.GetUtcNow().UtcDateTime;
                Record(integration, item, result, now);
                refused = result.Outcome is DeliveryOutcome.Unauthorized or DeliveryOutcome.SwitchOff;
                if (result.Outcome == DeliveryOutcome.SwitchOff && integration.Enabled)
                {
                    integration.Enabled = false;
                    integration.UpdatedUtc = now;
                    Audit.AuditEvent.Record(db, integration.OrganizationId, Audit.AuditActor.System, "integration.disabled", $"integration:{integration.Id}",
                        new { reason = result.Error }, now);
                }

                // Each outcome is stored as it comes: a crash later in the page never sends an accepted item again.
                await db.SaveChangesAsync(ct);
            }
        }

        await db.SaveChangesAsync(ct);
        db.ChangeTracker.Clear();
        return items.Count;
    }

    private static async Task<DeliveryResult> DeliverAsync(IIntegrationHandler handler, IntegrationContext context, IntegrationDelivery item, CancellationToken ct)
    {
        try
        {
            return await handler.DeliverAsync(context, item, ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return DeliveryResult.Transient($"The service could not be reached: {ex.Message}");
        }
    }

    private static void Record(Integration integration, IntegrationDelivery item, DeliveryResult result, DateTime now)
    {
        item.Attempts++;
        item.ClaimToken = null;
        item.Response = result.Response is null ? item.Response : DeliveryResult.Truncate(result.Response, IntegrationDelivery.MaxResponseLength);
        item.LastError = result.Error is null ? null : DeliveryResult.Truncate(result.Error, IntegrationDelivery.MaxErrorLength);
        switch (result.Outcome)
        {
            case DeliveryOutcome.Succeeded:
                item.Status = DeliveryStatus.Succeeded;
                item.CompletedUtc = now;
                integration.Health = IntegrationHealth.Ok;
                integration.LastSuccessUtc = now;
                return;
            case DeliveryOutcome.Permanent or DeliveryOutcome.SwitchOff:
                item.Status = DeliveryStatus.Failed;
                item.CompletedUtc = now;
                break;
            case DeliveryOutcome.Transient when item.Attempts >= MaxAttempts:
                item.Status = DeliveryStatus.Failed;
                item.CompletedUtc = now;
                item.LastError = DeliveryResult.Truncate($"Gave up after {item.Attempts} attempts. {result.Error}", IntegrationDelivery.MaxErrorLength);
                break;
            default:
                // Transient, or unauthorized: both wait and try again; fixing the credentials lets them through.
                item.NextAttemptUtc = now + Backoff(item.Attempts, result.RetryAfter);
                break;
        }

        integration.Health = result.Outcome == DeliveryOutcome.Unauthorized ? IntegrationHealth.Unauthorized : IntegrationHealth.Failing;
        integration.LastError = DeliveryResult.Truncate(result.Error ?? "The item was not accepted.", Integration.MaxErrorLength);
        integration.LastErrorUtc = now;
    }

    private static void Release(IntegrationDelivery item, DateTime now, string? reason)
    {
        item.ClaimToken = null;
        item.NextAttemptUtc = now + Backoff(Math.Max(1, item.Attempts));
        item.LastError = reason is null ? item.LastError : DeliveryResult.Truncate(reason, IntegrationDelivery.MaxErrorLength);
    }
}
