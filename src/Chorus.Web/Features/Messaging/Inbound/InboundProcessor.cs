using System.Diagnostics.Metrics;
using Chorus.Features.Audit;
using Chorus.Features.Campaigns.Templates;
using Chorus.Features.Contacts;
using Chorus.Features.Messaging.Dispatch;
using Chorus.Features.Messaging.Events;
using Chorus.Features.Messaging.Keywords;
using Chorus.Features.Messaging.Providers;
using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Pending = Chorus.Infrastructure.Data.GroupCommit<Chorus.Features.Messaging.Inbound.InboundProcessor.Arrival, Chorus.Features.Messaging.Inbound.InboundOutcome>.Pending;

namespace Chorus.Features.Messaging.Inbound;

public enum InboundOutcome
{
    Stored,

    /// <summary>The provider delivered this MessageSid before: nothing new was stored.</summary>
    Duplicate,
}

/// <summary>
/// Takes a voter's text in: stores it once (deduplicated by the provider's id, even when the same webhook arrives
/// twenty times at once), routes it to the conversation it answers and that conversation's texter, acts on keywords
/// (DOMAIN.md decisions 2–4) in the same transaction, and tells live screens. A sender nobody texted lands in the
/// unmatched inbox, never dropped.
/// </summary>
/// <remarks>
/// <para>
/// Group commit: webhooks that arrive while a save is under way wait in a queue, and the next save takes them all, in
/// one transaction (one conversation look-up for the whole batch, one audit-chain lock, one commit). Each webhook is
/// still answered only after its own message is committed, so nothing acknowledged can be lost, and a webhook that
/// arrives alone is saved alone at once. Under 32 concurrent webhooks, one transaction per webhook cost 2.9 ms of CPU
/// each (450/s); saved together, 1.6 ms (980/s) on SQLite (BENCHMARKS.md, inbound).
/// </para>
/// <para>
/// A batch holds one organization and at most one text per sender, so texts from one number are applied in the
/// order they arrived (a START right after a STOP finds the opt-out it lifts). When a batch cannot be saved (a
/// provider's retry of a text already stored, a concurrent opt-out of the same number), each of its texts is saved on
/// its own, with the retries below. The queue is <see cref="GroupCommit{TItem, TResult}"/>: whoever finds it idle
/// drains it.
/// </para>
/// </remarks>
public sealed class InboundProcessor(
    IServiceScopeFactory scopes, IMessageEvents events, OutboxSignal outbox, TimeProvider clock, IMeterFactory meters, ILogger<InboundProcessor> logger)
{
    private const int MaxAttempts = 6;

    /// <summary>The name of the histogram of texts saved per transaction (meter <c>Chorus</c>, exported with the others).</summary>
    public const string BatchSizeInstrument = "chorus.inbound.batch_size";

    private readonly Histogram<int> _batchSizes = meters.Create("Chorus").CreateHistogram<int>(
        BatchSizeInstrument, unit: "{text}", description: "Inbound texts saved in one transaction");

    /// <summary>The most texts saved in one transaction.</summary>
    public const int MaxBatch = 256;

    private GroupCommit<Arrival, InboundOutcome>? _saves;

    /// <summary>A verified webhook's text, for the organization it was sent to.</summary>
    public sealed record Arrival(MessagingSettingsCache.Entry Organization, string Provider, TwilioWebhook.Inbound Inbound)
    {
        // Worked out where the webhook is handled, many at a time, rather than in the drain, which saves one batch at a
        // time: the keyword rules are those of the settings the webhook was verified with either way.
        public KeywordMatch Keyword { get; } = KeywordMatcher.Match(Inbound.Body, Organization.Rules);

        public SegmentCount Segments { get; } = SegmentCounter.Count(Inbound.Body);
    }

    /// <summary>Completes once the text is committed (or was stored before); faults when it could not be stored.</summary>
    public Task<InboundOutcome> ReceiveAsync(Arrival arrival) =>
        LazyInitializer.EnsureInitialized(ref _saves, () => new(SaveAsync, NewBatch, MaxBatch)).SubmitAsync(arrival);

    /// <summary>A batch's rule: one organization, and no sender twice.</summary>
    private static Func<Arrival, bool> NewBatch()
    {
        Guid? organization = null;
        var senders = new HashSet<string>(StringComparer.Ordinal);
        return arrival => (organization ??= arrival.Organization.OrganizationId) == arrival.Organization.OrganizationId && senders.Add(arrival.Inbound.From);
    }

    private async Task SaveAsync(List<Pending> batch)
    {
        // Even a batch of one goes by the bulk save first (measured: 2,249–2,560 webhooks/s when a lone text took EF
        // Core's ordinary save, 2,655–2,784/s when it did not; a third of the batches hold one text). The slower save
        // with its retries is for texts that could not be saved that way, such as a provider's retry of a stored text.
        try
        {
            await SaveTogetherAsync(batch);
            return;
        }
        catch (Exception ex)
        {
            logger.LogDebug(ex, "A batch of {Count} inbound texts could not be saved together; saving each on its own", batch.Count);
        }

        foreach (var waiting in batch)
        {
            try
            {
                waiting.Done.TrySetResult(await SaveAloneAsync(waiting.Item));
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "Inbound {Sid} could not be stored", waiting.Item.Inbound.ProviderMessageId);
                waiting.Done.TrySetException(ex);
            }
        }
    }

    private async Task SaveTogetherAsync(List<Pending> batch)
    {
        var organization = batch[0].Item.Organization;
        await using var scope = Scope(organization, out var db);
        var bySender = (await TextedAsync(db, organization.OrganizationId, [.. batch.Select(w => w.Item.Inbound.From)]))
            .ToLookup(c => c.PhoneE164, StringComparer.Ordinal);
        var staged = new List<(Message Message, bool Queued, KeywordKind Keyword)>(batch.Count);
        foreach (var waiting in batch)
        {
            var inbound = waiting.Item.Inbound;
            var contact = Conversation(bySender[inbound.From], inbound.To);
            staged.Add(await StageAsync(db, waiting.Item, contact, CancellationToken.None));
        }

        await db.SaveChangesInBulkAsync(CancellationToken.None);
        _batchSizes.Record(batch.Count);
        await AfterCommitAsync(organization, staged);
        foreach (var waiting in batch)
        {
            waiting.Done.TrySetResult(InboundOutcome.Stored);
        }
    }

    private async Task<InboundOutcome> SaveAloneAsync(Arrival arrival)
    {
        var (organization, provider, inbound) = arrival;
        await using var scope = Scope(organization, out var db);
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            // The first attempt skips the look-up: the unique index on (OrganizationId, ProviderMessageId) refuses a
            // copy that was stored before, that save rolls back whole (opt-out included), and the retry finds it here.
            if (attempt > 1 && await db.Messages.IgnoreQueryFilters().AnyAsync(m => m.OrganizationId == organization.OrganizationId && m.ProviderMessageId == inbound.ProviderMessageId))
            {
                return InboundOutcome.Duplicate;
            }

            var contact = Conversation(await TextedAsync(db, organization.OrganizationId, [inbound.From]), inbound.To);
            var staged = await StageAsync(db, arrival, contact, CancellationToken.None);
            try
            {
                await db.SaveChangesAsync();
            }
            catch (DbUpdateException ex) when (attempt < MaxAttempts)
            {
                // A concurrent copy of this webhook (or a concurrent opt-out of this number) won the race: look again.
                logger.LogDebug(ex, "Inbound {Sid} collided with a concurrent save (attempt {Attempt})", inbound.ProviderMessageId, attempt);
                await Task.Delay(Random.Shared.Next(1, 10 * attempt));
                continue;
            }

            _batchSizes.Record(1);
            await AfterCommitAsync(organization, [staged]);
            return InboundOutcome.Stored;
        }
    }

    /// <summary>A unit of work for <paramref name="organization"/>, as a request for it would have.</summary>
    private AsyncServiceScope Scope(MessagingSettingsCache.Entry organization, out AppDbContext db)
    {
        var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentOrganization>().Set(organization.OrganizationId, organization.Slug, null);
        db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        // Staging scans each entity it changes as it changes it (StageAsync, Suppression), so the save need not scan
        // every tracked entity: that full scan, and one more behind each STOP's look at the opt-outs already staged,
        // were 8% of the drain's CPU (BENCHMARKS.md, inbound). A pooled context gets the default back when returned.
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        return scope;
    }

    private async Task AfterCommitAsync(MessagingSettingsCache.Entry organization, List<(Message Message, bool Queued, KeywordKind Keyword)> staged)
    {
        if (staged.Any(s => s.Queued))
        {
            outbox.Notify();
        }

        foreach (var (message, _, keyword) in staged)
        {
            await events.PublishAsync(new MessageEvent(organization.OrganizationId, keyword == KeywordKind.OptOut ? "opt-out" : "inbound", message.Id, message.ContactId, message.TexterUserId), CancellationToken.None);
        }
    }

    private async Task<(Message Message, bool Queued, KeywordKind Keyword)> StageAsync(AppDbContext db, Arrival arrival, Contact? contact, CancellationToken ct)
    {
        var (organization, provider, inbound) = arrival;
        var (settings, organizationName) = (organization.Settings, organization.OrganizationName);
        var organizationId = settings.OrganizationId;
        var now = clock.GetUtcNow().UtcDateTime;
        var count = arrival.Segments;
        var message = new Message
        {
            OrganizationId = organizationId,
            CampaignId = contact?.CampaignId,
            ContactId = contact?.Id,
            Direction = MessageDirection.Inbound,
            Kind = MessageKind.Incoming,
            Phone = inbound.From,
            OurNumber = inbound.To,
            Body = inbound.Body,
            Segments = count.Segments,
            Encoding = count.Encoding,
            Provider = provider,
            ProviderMessageId = inbound.ProviderMessageId,
            Status = MessageStatus.Received,
            TexterUserId = contact?.TexterUserId,
            RespectsTextingWindow = false,
            NotBeforeUtc = now,
            CreatedUtc = now,
            UpdatedUtc = now,
        };
        db.Messages.Add(message);
        MessageStatusChange.Record(db, message, MessageStatus.Received, "received", now);
        var voter = new AuditActor(null, $"voter {inbound.From}");
        if (contact is not null)
        {
            contact.LastInboundUtc = now;
            contact.LastMessageUtc = now;
            if (contact.BadNumber)
            {
                // A number that texts in can be texted: the provider's "cannot receive" (a landline or an unreachable
                // carrier, often passing) no longer holds, and a voter who writes back must be answerable.
                contact.BadNumber = false;
                AuditEvent.Record(db, organizationId, voter, "contact.number_reachable", $"contact:{contact.Id}",
                    new { phone = inbound.From, reason = "The voter texted from the number the provider had reported as unable to receive texts." }, now);
            }
        }

        var match = arrival.Keyword;
        var providerAnswered = provider == MessagingSettings.Twilio && settings.TwilioAnswersKeywords && match.ProviderAnswers;
        var reply = (string?)null;
        var replyKind = MessageKind.Help;
        var kind = match.Kind;
        switch (kind)
        {
            case KeywordKind.OptOut:
                message.Keyword = nameof(KeywordKind.OptOut);
                // Only the message that creates the opt-out may confirm it: at most one confirmation (§2.3).
                if (await Suppression.OptOutAsync(db, organizationId, inbound.From, "keyword", Truncate(inbound.Body, OptOuts.OptOut.MaxReasonLength), voter, now, ct) && !providerAnswered)
                {
                    (reply, replyKind) = (settings.OptOutConfirmation, MessageKind.OptOutConfirmation);
                }

                break;
            case KeywordKind.OptIn when await db.OptOuts.IgnoreQueryFilters().FirstOrDefaultAsync(o => o.OrganizationId == organizationId && o.PhoneE164 == inbound.From, ct) is { } optOut:
                message.Keyword = nameof(KeywordKind.OptIn);
                db.OptOuts.Remove(optOut);
                AuditEvent.Record(db, organizationId, voter, "opt_out.removed", $"phone:{inbound.From}",
                    new { source = "keyword", keyword = match.Normalized, optedOutUtc = optOut.CreatedUtc }, now);
                foreach (var optedOut in await db.Contacts.IgnoreQueryFilters()
                    .Where(c => c.OrganizationId == organizationId && c.PhoneE164 == inbound.From && c.ConversationStatus == ConversationStatus.OptedOut).ToListAsync(ct))
                {
                    optedOut.ConversationStatus = ConversationStatus.NeedsResponse;
                    db.Entry(optedOut).DetectChanges();
                }

                if (!providerAnswered)
                {
                    (reply, replyKind) = (settings.OptInConfirmation, MessageKind.OptInConfirmation);
                }

                break;
            case KeywordKind.Help:
                message.Keyword = nameof(KeywordKind.Help);
                if (!providerAnswered)
                {
                    (reply, replyKind) = (settings.HelpText, MessageKind.Help);
                }

                MarkNeedsResponse(contact);
                break;
            case KeywordKind.LikelyOptOut:
                message.Keyword = nameof(KeywordKind.LikelyOptOut);
                message.NeedsOptOutReview = true;
                MarkNeedsResponse(contact);
                break;
            default:
                kind = KeywordKind.None;
                MarkNeedsResponse(contact);
                break;
        }

        if (contact is not null)
        {
            db.Entry(contact).DetectChanges();
        }

        AuditEvent.Record(db, organizationId, voter, "message.received", $"message:{message.Id}",
            new { phone = inbound.From, to = inbound.To, contactId = contact?.Id, keyword = message.Keyword, providerMessageId = inbound.ProviderMessageId }, now);
        if (reply is not null)
        {
            Outbox.Queue(db, organizationId, settings.Provider, inbound.From, reply.Replace("{orgName}", organizationName, StringComparison.Ordinal),
                replyKind, AuditActor.System, now, contact?.CampaignId, contact?.Id, ourNumber: inbound.To);
        }

        return (message, reply is not null, kind);
    }

    /// <summary>
    /// The organization's contacts with these phones that were texted: the only ones a reply can belong to. Tracked,
    /// since the reply updates them.
    /// </summary>
    internal static ValueTask<List<Contact>> TextedAsync(AppDbContext db, Guid organizationId, string[] phones) =>
        TextedAmong.For(db)(db, organizationId, phones).ToListAsync();

    // Compiled: finding the LINQ query's translation was 40% of the batch look-up's CPU, in the serial drain. The
    // organization is a "likely" term so SQLite seeks each phone instead of reading the organization's contacts.
    private static readonly CompiledQuery<Func<AppDbContext, Guid, string[], IAsyncEnumerable<Contact>>> TextedAmong = new(() => EF.CompileAsyncQuery(
        (AppDbContext db, Guid organizationId, string[] phones) => db.Contacts.IgnoreQueryFilters()
            .Where(c => QueryHints.Likely(c.OrganizationId == organizationId) && c.ConversationStatus != ConversationStatus.NotContacted && phones.Contains(c.PhoneE164))));

    /// <summary>
    /// The conversation a reply to our number <paramref name="to"/> belongs to, among the texted contacts with the
    /// sender's phone: the most recent one that number texted (sticky sender), else the most recent of any. One rule
    /// for a text saved alone and for a batch, decided in memory so both databases order missing times alike.
    /// </summary>
    private static Contact? Conversation(IEnumerable<Contact> texted, string to) =>
        texted.Where(c => c.SenderNumber == to).MaxBy(c => c.LastMessageUtc) ?? texted.MaxBy(c => c.LastMessageUtc);

    private static void MarkNeedsResponse(Contact? contact)
    {
        if (contact is { ConversationStatus: not ConversationStatus.OptedOut })
        {
            contact.ConversationStatus = ConversationStatus.NeedsResponse;
        }
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
