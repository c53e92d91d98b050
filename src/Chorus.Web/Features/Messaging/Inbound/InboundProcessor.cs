using Chorus.Features.Audit;
using Chorus.Features.Campaigns.Templates;
using Chorus.Features.Contacts;
using Chorus.Features.Messaging.Dispatch;
using Chorus.Features.Messaging.Events;
using Chorus.Features.Messaging.Keywords;
using Chorus.Features.Messaging.Providers;
using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

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
public sealed class InboundProcessor(IMessageEvents events, OutboxSignal outbox, TimeProvider clock, ILogger<InboundProcessor> logger)
{
    private const int MaxAttempts = 6;

    public async Task<InboundOutcome> ReceiveAsync(
        AppDbContext db, MessagingSettings settings, string organizationName, KeywordRules rules, string provider, TwilioWebhook.Inbound inbound,
        CancellationToken ct)
    {
        for (var attempt = 1; ; attempt++)
        {
            db.ChangeTracker.Clear();
            // The first attempt skips the look-up: the unique index on (OrganizationId, ProviderMessageId) refuses a
            // copy that was stored before, that save rolls back whole (opt-out included), and the retry finds it here.
            if (attempt > 1 && await db.Messages.IgnoreQueryFilters().AnyAsync(m => m.OrganizationId == settings.OrganizationId && m.ProviderMessageId == inbound.ProviderMessageId, ct))
            {
                return InboundOutcome.Duplicate;
            }

            var (message, queued, keyword) = await StageAsync(db, settings, organizationName, rules, provider, inbound, ct);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateException ex) when (attempt < MaxAttempts)
            {
                // A concurrent copy of this webhook (or a concurrent opt-out of this number) won the race: look again.
                logger.LogDebug(ex, "Inbound {Sid} collided with a concurrent save (attempt {Attempt})", inbound.ProviderMessageId, attempt);
                await Task.Delay(Random.Shared.Next(1, 10 * attempt), ct);
                continue;
            }

            if (queued)
            {
                outbox.Notify();
            }

            await events.PublishAsync(new MessageEvent(settings.OrganizationId, keyword == KeywordKind.OptOut ? "opt-out" : "inbound", message.Id, message.ContactId, message.TexterUserId), ct);
            return InboundOutcome.Stored;
        }
    }

    private async Task<(Message Message, bool Queued, KeywordKind Keyword)> StageAsync(
        AppDbContext db, MessagingSettings settings, string organizationName, KeywordRules rules, string provider, TwilioWebhook.Inbound inbound,
        CancellationToken ct)
    {
        var organizationId = settings.OrganizationId;
        var now = clock.GetUtcNow().UtcDateTime;
        var contact = await FindConversationAsync(db, organizationId, inbound.From, inbound.To, ct);
        var count = SegmentCounter.Count(inbound.Body);
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
        if (contact is not null)
        {
            contact.LastInboundUtc = now;
            contact.LastMessageUtc = now;
        }

        var match = KeywordMatcher.Match(inbound.Body, rules);
        var providerAnswered = provider == MessagingSettings.Twilio && settings.TwilioAnswersKeywords && match.ProviderAnswers;
        var voter = new AuditActor(null, $"voter {inbound.From}");
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
    /// The conversation a reply answers: the organization's most recent contact with this number that was texted from
    /// the number the reply went to (sticky sender), else the most recent texted contact with this number.
    /// </summary>
    private static async Task<Contact?> FindConversationAsync(AppDbContext db, Guid organizationId, string from, string to, CancellationToken ct)
    {
        var texted = db.Contacts.IgnoreQueryFilters()
            .Where(c => c.OrganizationId == organizationId && c.PhoneE164 == from && c.ConversationStatus != ConversationStatus.NotContacted);
        return await texted.Where(c => c.SenderNumber == to).OrderByDescending(c => c.LastMessageUtc).FirstOrDefaultAsync(ct)
            ?? await texted.OrderByDescending(c => c.LastMessageUtc).FirstOrDefaultAsync(ct);
    }

    private static void MarkNeedsResponse(Contact? contact)
    {
        if (contact is { ConversationStatus: not ConversationStatus.OptedOut })
        {
            contact.ConversationStatus = ConversationStatus.NeedsResponse;
        }
    }

    private static string Truncate(string text, int length) => text.Length <= length ? text : text[..length];
}
