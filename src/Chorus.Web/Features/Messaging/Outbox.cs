using Chorus.Features.Audit;
using Chorus.Features.Campaigns.Templates;
using Chorus.Infrastructure.Data;

namespace Chorus.Features.Messaging;

/// <summary>
/// Writes outbound messages. A message is only ever added to the caller's unit of work, so it is stored in the same
/// transaction as the action that caused it (a texter's click, a STOP reply) or not at all; the dispatcher sends it.
/// </summary>
public static class Outbox
{
    /// <param name="db">The caller's context; the message is saved with the caller's next save.</param>
    /// <param name="organizationId">Whose message.</param>
    /// <param name="provider">The organization's provider at queueing time.</param>
    /// <param name="phone">E.164 recipient.</param>
    /// <param name="body">Exactly what to send.</param>
    /// <param name="kind">Why it is sent; confirmations and help go out whatever the hour.</param>
    /// <param name="actor">Who caused it, for the record.</param>
    /// <param name="nowUtc">Now.</param>
    /// <param name="campaignId">The campaign, when it belongs to one.</param>
    /// <param name="contactId">The conversation, when it belongs to one.</param>
    /// <param name="texterUserId">The texter whose click sent it.</param>
    /// <param name="actionId">The click's id: a repeated click with the same id is refused by a unique index.</param>
    /// <param name="ourNumber">The sticky sender, when the contact already has one.</param>
    public static Message Queue(
        AppDbContext db,
        Guid organizationId,
        string provider,
        string phone,
        string body,
        MessageKind kind,
        AuditActor actor,
        DateTime nowUtc,
        Guid? campaignId = null,
        Guid? contactId = null,
        Guid? texterUserId = null,
        Guid? actionId = null,
        string? ourNumber = null)
    {
        var count = SegmentCounter.Count(body);
        var message = new Message
        {
            OrganizationId = organizationId,
            CampaignId = campaignId,
            ContactId = contactId,
            Direction = MessageDirection.Outbound,
            Kind = kind,
            Phone = phone,
            OurNumber = ourNumber,
            Body = body,
            Segments = count.Segments,
            Encoding = count.Encoding,
            Provider = provider,
            Status = MessageStatus.Queued,
            TexterUserId = texterUserId,
            ActionId = actionId,
            RespectsTextingWindow = kind is MessageKind.Initial or MessageKind.Reply,
            NotBeforeUtc = nowUtc,
            CreatedUtc = nowUtc,
            UpdatedUtc = nowUtc,
        };
        db.Messages.Add(message);
        MessageStatusChange.Record(db, message, MessageStatus.Queued, "queued", nowUtc);
        AuditEvent.Record(db, organizationId, actor, "message.queued", $"message:{message.Id}",
            new { kind = kind.ToString(), phone, campaignId, contactId, segments = count.Segments }, nowUtc);
        return message;
    }
}
