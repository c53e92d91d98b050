using Chorus.Features.Messaging.Providers;
using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Chorus.Features.Messaging.Dispatch;

/// <summary>
/// Settles what the dispatcher could not: claims whose dispatcher died before recording the provider's answer become
/// "unknown"; unknown outcomes are looked up at the provider (by To, From, body and time) and either take the
/// provider's id and status or go to a person as needs-review. Nothing is ever resent from here. Also applies status
/// callbacks that arrived before their message's id was known, and prunes spent throughput counters.
/// </summary>
public sealed class Reconciler(IServiceScopeFactory scopes, MessagingAccounts accounts, TimeProvider clock, IOptions<DispatchOptions> options, ILogger<Reconciler> logger)
{
    private const int BatchSize = 200;

    /// <summary>One pass. Returns how many messages it settled.</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;

        var staleBefore = now - options.Value.StaleClaim;
        var orphaned = await db.Messages.IgnoreQueryFilters()
            .Where(m => m.Status == MessageStatus.Sending && m.ClaimedUtc < staleBefore)
            .OrderBy(m => m.ClaimedUtc) // the longest orphaned first, and a defined order for Take
            .Take(BatchSize).ToListAsync(ct);
        foreach (var message in orphaned)
        {
            message.Status = MessageStatus.Unknown;
            message.ClaimToken = null;
            message.ErrorMessage = "The dispatcher stopped before the provider's answer was recorded.";
            message.UpdatedUtc = now;
            MessageStatusChange.Record(db, message, MessageStatus.Unknown, "orphaned", now);
        }

        await db.SaveChangesAsync(ct);

        var askBefore = now - options.Value.ReconcileAfter;
        var unknown = await db.Messages.IgnoreQueryFilters()
            .Where(m => m.Status == MessageStatus.Unknown && m.UpdatedUtc <= askBefore)
            .OrderBy(m => m.UpdatedUtc).Take(BatchSize).ToListAsync(ct);
        foreach (var group in unknown.GroupBy(m => m.OrganizationId))
        {
            var slug = await db.Organizations.Where(o => o.Id == group.Key).Select(o => o.Slug).FirstAsync(ct);
            var settings = await accounts.GetOrCreateAsync(db, group.Key, now, ct);
            foreach (var message in group)
            {
                var account = accounts.Account(settings, slug, message.Provider);
                var answer = account is null
                    ? new LookupResult.Unavailable("The provider's credentials are no longer configured.")
                    : await LookUpAsync(accounts.Provider(message.Provider), account, message, now, ct);
                await SettleAsync(db, message, answer, now, ct);
            }
        }

        await db.SaveChangesAsync(ct);

        var pending = await db.PendingStatusReports.IgnoreQueryFilters().OrderBy(r => r.Id).Take(BatchSize * 5).ToListAsync(ct);
        var applied = pending.Count > 0 ? await ApplyPendingAsync(db, pending, ct) : 0;
        await SendRateLimiter.PruneAsync(db, new DateTimeOffset(now).ToUnixTimeSeconds() - 3_600, ct);
        return orphaned.Count + unknown.Count + applied;
    }

    private async Task<LookupResult> LookUpAsync(ISmsProvider provider, ProviderAccount account, Message message, DateTime now, CancellationToken ct)
    {
        var from = (message.ClaimedUtc ?? message.CreatedUtc) - TimeSpan.FromMinutes(1);
        try
        {
            return await provider.LookupAsync(
                new LookupQuery(message.Phone, message.OurNumber, message.Body, new DateTimeOffset(from), new DateTimeOffset(now)), account, ct)
                .WaitAsync(options.Value.SendTimeout, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogWarning(ex, "Looking up message {MessageId} at {Provider} failed", message.Id, provider.Name);
            return new LookupResult.Unavailable(ex.Message);
        }
    }

    private static async Task SettleAsync(AppDbContext db, Message message, LookupResult answer, DateTime now, CancellationToken ct)
    {
        switch (answer)
        {
            case LookupResult.Found found:
                message.ProviderMessageId = found.ProviderMessageId;
                message.OurNumber = found.From ?? message.OurNumber;
                message.SubmittedUtc ??= now;
                message.ErrorMessage = null;
                await StatusUpdates.ApplyAsync(db, message, MessageStatuses.Rank(found.Status) >= MessageStatuses.Rank(MessageStatus.Submitted) ? found.Status : MessageStatus.Submitted,
                    "reconciled", found.ErrorCode, null, null, now, ct);
                break;
            default:
                // Not found may only mean "not indexed yet", and unavailable means nobody knows: a person decides.
                message.Status = MessageStatus.NeedsReview;
                message.ErrorMessage = answer is LookupResult.Unavailable u
                    ? $"The outcome is unknown and the provider could not be asked: {u.Reason}"
                    : "The outcome was unknown and the provider has no record of it; it was probably not sent. Not resent automatically.";
                message.UpdatedUtc = now;
                MessageStatusChange.Record(db, message, MessageStatus.NeedsReview, "needs-review", now);
                break;
        }
    }

    /// <summary>Applies kept early callbacks whose message now has its provider id, and forgets them. Saves.</summary>
    public static async Task<int> ApplyPendingAsync(AppDbContext db, List<PendingStatusReport> reports, CancellationToken ct)
    {
        var applied = 0;
        foreach (var group in reports.GroupBy(r => r.OrganizationId))
        {
            var ids = group.Select(r => r.ProviderMessageId).Distinct().ToList();
            var messages = await db.Messages.IgnoreQueryFilters()
                .Where(m => m.OrganizationId == group.Key && ids.Contains(m.ProviderMessageId!))
                .ToDictionaryAsync(m => m.ProviderMessageId!, ct);
            foreach (var report in group.OrderBy(r => r.Id))
            {
                if (messages.TryGetValue(report.ProviderMessageId, out var message))
                {
                    await StatusUpdates.ApplyAsync(db, message, report.Status, report.Detail, report.ErrorCode, null, report.Carrier, report.ReceivedUtc, ct);
                    db.PendingStatusReports.Remove(report);
                    applied++;
                }
            }
        }

        await db.SaveChangesAsync(ct);
        return applied;
    }
}
