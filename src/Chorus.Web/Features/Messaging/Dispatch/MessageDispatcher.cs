using Chorus.Features.Messaging.Providers;
using Chorus.Features.OptOuts;
using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Chorus.Features.Messaging.Dispatch;

/// <summary>
/// Sends queued messages. One pass claims a batch (PostgreSQL: <c>FOR UPDATE SKIP LOCKED</c>, so parallel
/// dispatchers never claim the same row; SQLite: one conditional UPDATE, writers being serialized), re-checks each
/// message's opt-out and texting window right before the provider call, spends the throughput allowance, calls the
/// provider once, and records the answer. A claimed message is never claimed again: if its dispatcher dies before
/// the answer is recorded, the reconciler asks the provider (<see cref="Reconciler"/>). At most once, by construction.
/// </summary>
public sealed class MessageDispatcher(
    IServiceScopeFactory scopes, MessagingAccounts accounts, TimeProvider clock, IOptions<DispatchOptions> options, ILogger<MessageDispatcher> logger)
{
    private DispatchOptions Options => options.Value;

    /// <summary>The most messages one pass claims.</summary>
    public int BatchSize => Options.BatchSize;

    /// <summary>Claims and sends one batch. Returns how many messages were claimed (0 when the outbox is empty).</summary>
    public async Task<int> RunOnceAsync(CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var now = clock.GetUtcNow().UtcDateTime;
        var token = Guid.NewGuid();
        var claimed = await ClaimAsync(db, token, now, Options.BatchSize, ct);
        if (claimed == 0)
        {
            return 0;
        }

        var messages = await db.Messages.IgnoreQueryFilters().Where(m => m.ClaimToken == token).OrderBy(m => m.NotBeforeUtc).ToListAsync(ct);
        foreach (var group in messages.GroupBy(m => m.OrganizationId))
        {
            await DispatchAsync(db, group.Key, [.. group], ct);
        }

        return messages.Count;
    }

    /// <summary>
    /// Marks up to <paramref name="batchSize"/> due messages as this pass's, atomically. On PostgreSQL the locked
    /// candidates sit in a materialized CTE: inside <c>IN (subquery)</c> a concurrent update can make PostgreSQL re-run
    /// the SKIP LOCKED subquery and claim rows past the limit (seen in the batch claim, <see cref="Texting.Assignments"/>).
    /// </summary>
    public static async Task<int> ClaimAsync(AppDbContext db, Guid token, DateTime nowUtc, int batchSize, CancellationToken ct)
    {
        if (db.Database.IsNpgsql())
        {
            return await db.Database.ExecuteSqlAsync($"""
                WITH due AS MATERIALIZED (
                    SELECT "Id" FROM "Messages"
                    WHERE "Status" = {(int)MessageStatus.Queued} AND "NotBeforeUtc" <= {nowUtc}
                    ORDER BY "NotBeforeUtc"
                    LIMIT {batchSize}
                    FOR UPDATE SKIP LOCKED)
                UPDATE "Messages" SET "Status" = {(int)MessageStatus.Sending}, "ClaimToken" = {token}, "ClaimedUtc" = {nowUtc}, "UpdatedUtc" = {nowUtc}
                FROM due WHERE "Messages"."Id" = due."Id" AND "Messages"."Status" = {(int)MessageStatus.Queued}
                """, ct);
        }

        // SQLite runs one writer at a time, so the statement as a whole is the claim. An empty outbox is found by a read,
        // which needs no lock; a claim waits its turn at the write gate with the other saves, instead of sleeping in
        // SQLite's busy handler (1, 2, 5 … ms) while a save holds the lock, or making that save sleep.
        if (!await AnyDue.For(db)(db, nowUtc))
        {
            return 0;
        }

        var due = db.Messages.IgnoreQueryFilters()
            .Where(m => m.Status == MessageStatus.Queued && m.NotBeforeUtc <= nowUtc)
            .OrderBy(m => m.NotBeforeUtc)
            .Take(batchSize)
            .Select(m => m.Id);
        using var gate = await db.WriteTurnAsync(ct);
        return await db.Messages.IgnoreQueryFilters()
            .Where(m => due.Contains(m.Id) && m.Status == MessageStatus.Queued)
            .ExecuteUpdateAsync(s => s
                .SetProperty(m => m.Status, MessageStatus.Sending)
                .SetProperty(m => m.ClaimToken, token)
                .SetProperty(m => m.ClaimedUtc, nowUtc)
                .SetProperty(m => m.UpdatedUtc, nowUtc), ct);
    }

    private static readonly CompiledQuery<Func<AppDbContext, DateTime, Task<bool>>> AnyDue = new(() => EF.CompileAsyncQuery(
        (AppDbContext db, DateTime nowUtc) => db.Messages.IgnoreQueryFilters().Any(m => m.Status == MessageStatus.Queued && m.NotBeforeUtc <= nowUtc)));

    private async Task DispatchAsync(AppDbContext db, Guid organizationId, List<Message> messages, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var organization = await db.Organizations.Where(o => o.Id == organizationId).Select(o => new { o.Slug }).FirstAsync(ct);
        var settings = await accounts.GetOrCreateAsync(db, organizationId, now, ct);
        var account = accounts.Account(settings, organization.Slug);
        var phones = messages.Select(m => m.Phone).Distinct().ToList();
        var optedOut = (await db.OptOuts.IgnoreQueryFilters()
            .Where(o => o.OrganizationId == organizationId && phones.Contains(o.PhoneE164))
            .Select(o => o.PhoneE164).ToListAsync(ct)).ToHashSet(StringComparer.Ordinal);
        var contactIds = messages.Where(m => m.ContactId is not null).Select(m => m.ContactId!.Value).Distinct().ToList();
        var contacts = await db.Contacts.IgnoreQueryFilters().Where(c => contactIds.Contains(c.Id)).ToDictionaryAsync(c => c.Id, ct);
        var campaignIds = contacts.Values.Select(c => c.CampaignId).Distinct().ToList();
        var hours = (await db.Campaigns.IgnoreQueryFilters().Where(c => campaignIds.Contains(c.Id)).ToListAsync(ct))
            .ToDictionary(c => c.Id, c => c.ToTextingHours());

        var ready = new List<Message>(messages.Count);
        var windows = new Dictionary<(string Zones, string? State, Guid CampaignId), DateTime?>();
        foreach (var message in messages)
        {
            var contact = message.ContactId is { } id ? contacts.GetValueOrDefault(id) : null;
            if (optedOut.Contains(message.Phone) && message.Kind != MessageKind.OptOutConfirmation)
            {
                Finish(db, message, MessageStatus.Canceled, "canceled", "The number opted out before it was sent.", now);
            }
            else if (contact is { BadNumber: true })
            {
                Finish(db, message, MessageStatus.Canceled, "canceled", "The number cannot receive texts.", now);
            }
            else if (account is null)
            {
                Release(message, now + TimeSpan.FromMinutes(1), "The organization's sending set-up is incomplete.");
            }
            else if (message.RespectsTextingWindow && contact is not null && WindowClosed(message, contact, hours, windows, now) is { } next)
            {
                Release(message, next, null);
            }
            else
            {
                message.OurNumber ??= contact?.SenderNumber ?? StickySender(account.Numbers, message.Phone);
                ready.Add(message);
            }
        }

        if (account is not null && ready.Count > 0)
        {
            ready = await SpendAllowanceAsync(db, settings, ready, now, ct);
            var provider = accounts.Provider(account.Provider);
            var results = new SendResult[ready.Count];
            await Parallel.ForAsync(0, ready.Count, new ParallelOptions { MaxDegreeOfParallelism = Options.Concurrency, CancellationToken = ct }, async (i, token) =>
                results[i] = await SendOneAsync(provider, account, ready[i], token));
            var answeredAt = clock.GetUtcNow().UtcDateTime;
            for (var i = 0; i < ready.Count; i++)
            {
                await RecordAsync(db, ready[i], contacts, results[i], answeredAt, ct);
            }
        }

        await db.SaveChangesInBulkAsync(ct);
        await ApplyEarlyReportsAsync(db, organizationId, [.. ready.Where(m => m.ProviderMessageId is not null).Select(m => m.ProviderMessageId!)], ct);
    }

    private async Task<SendResult> SendOneAsync(ISmsProvider provider, ProviderAccount account, Message message, CancellationToken ct)
    {
        var sms = new OutboundSms(message.Id, message.Phone, message.OurNumber, message.Body, account.StatusWebhookUrl);
        try
        {
            return await provider.SendAsync(sms, account, ct).WaitAsync(Options.SendTimeout, ct); // a network deadline in real time, even under a test's frozen clock
        }
        catch (TimeoutException)
        {
            return new SendResult.Unknown($"The provider did not answer within {Options.SendTimeout.TotalSeconds:0} s.");
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A provider must not throw; if one does, we cannot know whether it sent.
            logger.LogError(ex, "Provider {Provider} threw sending message {MessageId}", provider.Name, message.Id);
            return new SendResult.Unknown($"The provider failed unexpectedly: {ex.Message}");
        }
    }

    private async Task RecordAsync(AppDbContext db, Message message, Dictionary<Guid, Contacts.Contact> contacts, SendResult result, DateTime now, CancellationToken ct)
    {
        message.ClaimToken = null;
        switch (result)
        {
            case SendResult.Accepted accepted:
                message.ProviderMessageId = accepted.ProviderMessageId;
                message.OurNumber = accepted.From ?? message.OurNumber;
                message.SubmittedUtc = now;
                message.UpdatedUtc = now;
                var status = MessageStatuses.Rank(accepted.Status) > MessageStatuses.Rank(MessageStatus.Submitted) ? accepted.Status : MessageStatus.Submitted;
                await StatusUpdates.ApplyAsync(db, message, status, "submitted", null, null, null, now, ct);
                if (message.ContactId is { } id && contacts.TryGetValue(id, out var contact))
                {
                    contact.SenderNumber ??= message.OurNumber;
                    contact.LastMessageUtc = now;
                }

                break;
            case SendResult.Refused { Transient: true } refused when message.Attempts + 1 < Options.MaxAttempts:
                message.Attempts++;
                var backoff = TimeSpan.FromSeconds(Math.Pow(2, message.Attempts)) + TimeSpan.FromMilliseconds(Random.Shared.Next(0, 1000));
                Release(message, now + backoff, refused.Reason);
                break;
            case SendResult.Refused refused:
                message.Attempts++;
                message.ErrorCode = refused.ErrorCode;
                Finish(db, message, MessageStatus.Failed, "refused", refused.Reason, now);
                await StatusUpdates.ActOnErrorAsync(db, message, refused.ErrorCode, now, ct);
                break;
            case SendResult.Unknown unknown:
                Finish(db, message, MessageStatus.Unknown, "unknown", unknown.Reason, now);
                break;
        }
    }

    /// <summary>Status callbacks that beat the send call's answer were kept; apply them now that the id is known.</summary>
    private static async Task ApplyEarlyReportsAsync(AppDbContext db, Guid organizationId, List<string> providerIds, CancellationToken ct)
    {
        if (providerIds.Count == 0)
        {
            return;
        }

        var reports = await db.PendingStatusReports.IgnoreQueryFilters()
            .Where(r => r.OrganizationId == organizationId && providerIds.Contains(r.ProviderMessageId)).ToListAsync(ct);
        if (reports.Count > 0)
        {
            await Reconciler.ApplyPendingAsync(db, reports, ct);
        }
    }

    private static async Task<List<Message>> SpendAllowanceAsync(AppDbContext db, MessagingSettings settings, List<Message> ready, DateTime now, CancellationToken ct)
    {
        var second = new DateTimeOffset(now).ToUnixTimeSeconds();
        var nextSecond = DateTime.UnixEpoch.AddSeconds(second + 1);
        var allowed = ready;
        if (settings.MessagesPerDay is { } perDay)
        {
            var day = second / 86_400;
            var granted = await SendRateLimiter.TakeAsync(db, $"day:{settings.OrganizationId}", day, allowed.Count, perDay, ct);
            allowed = Hold(allowed, granted, DateTime.UnixEpoch.AddDays(day + 1), "The organization's daily limit is reached.");
        }

        if (settings.EffectiveMessagesPerSecond is { } perSecond)
        {
            var granted = await SendRateLimiter.TakeAsync(db, $"org:{settings.OrganizationId}", second, allowed.Count, perSecond, ct);
            allowed = Hold(allowed, granted, nextSecond, null);
        }

        if (settings.MessagesPerSecondPerNumber is { } perNumber)
        {
            var kept = new List<Message>(allowed.Count);
            foreach (var group in allowed.GroupBy(m => m.OurNumber ?? ""))
            {
                var list = group.ToList();
                var granted = await SendRateLimiter.TakeAsync(db, $"number:{settings.OrganizationId}:{group.Key}", second, list.Count, perNumber, ct);
                kept.AddRange(Hold(list, granted, nextSecond, null));
            }

            allowed = kept;
        }

        return allowed;

        static List<Message> Hold(List<Message> messages, int granted, DateTime until, string? reason)
        {
            foreach (var message in messages.Skip(granted))
            {
                Release(message, until, reason);
            }

            return messages.Take(granted).ToList();
        }
    }

    // windows: this pass's decisions by (zones, state, campaign). Most of a batch shares a handful, and evaluating the
    // window (time zone conversions) for every message cost about 4% of a pass.
    private static DateTime? WindowClosed(Message message, Contacts.Contact contact, Dictionary<Guid, TextingHours> hours,
        Dictionary<(string Zones, string? State, Guid CampaignId), DateTime?> windows, DateTime now)
    {
        // A texter may answer a voter who wrote within the last hour, whatever the time (DESIGN.md invariant 4).
        if (message.Kind == MessageKind.Reply && contact.LastInboundUtc is { } lastInbound && now - lastInbound <= TimeSpan.FromHours(1))
        {
            return null;
        }

        var key = (contact.TimeZones, contact.State, contact.CampaignId);
        if (!windows.TryGetValue(key, out var closedUntil))
        {
            var zones = contact.TimeZones.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var decision = TextingWindow.Evaluate(new DateTimeOffset(now), zones, contact.State, hours.GetValueOrDefault(contact.CampaignId, TextingHours.Default));
            closedUntil = decision.Allowed ? null : decision.NextAllowedAt?.UtcDateTime ?? now + TimeSpan.FromHours(1);
            windows[key] = closedUntil;
        }

        return closedUntil;
    }

    /// <summary>Puts a claimed message back in the queue, untouched by any provider, to be claimed after <paramref name="notBefore"/>.</summary>
    private static void Release(Message message, DateTime notBefore, string? reason)
    {
        message.Status = MessageStatus.Queued;
        message.ClaimToken = null;
        message.ClaimedUtc = null;
        message.NotBeforeUtc = notBefore;
        if (reason is not null)
        {
            message.ErrorMessage = reason;
        }
    }

    private static void Finish(AppDbContext db, Message message, MessageStatus status, string detail, string reason, DateTime now)
    {
        message.Status = status;
        message.ClaimToken = null;
        message.ErrorMessage = reason;
        message.UpdatedUtc = now;
        MessageStatusChange.Record(db, message, status, detail, now, message.ErrorCode);
    }

    /// <summary>Sticky sender: a contact's number hashes to the same pool number every time.</summary>
    public static string? StickySender(IReadOnlyList<string> pool, string phone)
    {
        if (pool.Count == 0)
        {
            return null;
        }

        var hash = 0u;
        foreach (var c in phone)
        {
            hash = (hash * 31) + c;
        }

        return pool[(int)(hash % (uint)pool.Count)];
    }
}
