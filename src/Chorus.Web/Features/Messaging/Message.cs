using Chorus.Features.Campaigns.Templates;
using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Chorus.Features.Messaging;

public enum MessageDirection
{
    Outbound = 0,
    Inbound = 1,
}

/// <summary>Why a message exists: which action or rule produced it.</summary>
public enum MessageKind
{
    /// <summary>A campaign's first text to a contact, sent by a texter's click.</summary>
    Initial = 0,

    /// <summary>A texter's reply in a conversation.</summary>
    Reply = 1,

    /// <summary>The one confirmation of an opt-out (DOMAIN.md §2.3); goes out whatever the hour.</summary>
    OptOutConfirmation = 2,

    /// <summary>Confirms START/UNSTOP/YES after an opt-out; goes out whatever the hour.</summary>
    OptInConfirmation = 3,

    /// <summary>The organization's help text, answering HELP/INFO; goes out whatever the hour.</summary>
    Help = 4,

    /// <summary>A voter's message to us.</summary>
    Incoming = 5,

    /// <summary>
    /// An admin's test of a campaign's initial message to their own phone: belongs to no campaign and no contact, so it
    /// is never a contact's initial message and never counts in campaign figures.
    /// </summary>
    Test = 6,
}

/// <summary>
/// One text, in or out: the outbox row a dispatcher claims and the permanent record of what was said (DESIGN.md
/// invariants 3, 5, 8). Outbound rows are written in the same transaction as the action that caused them and are
/// submitted to the provider at most once.
/// </summary>
public sealed class Message : IOrganizationOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; init; }
    public Guid? CampaignId { get; set; }

    /// <summary>The conversation it belongs to; null for an inbound text nobody could be matched to (the unmatched inbox).</summary>
    public Guid? ContactId { get; set; }

    public MessageDirection Direction { get; init; }
    public MessageKind Kind { get; init; }

    /// <summary>The voter's number (To for outbound, From for inbound), E.164: the key of "every message with this person".</summary>
    public required string Phone { get; init; }

    /// <summary>Our number: From for outbound (null until the provider or the sticky sender decides), To for inbound.</summary>
    public string? OurNumber { get; set; }

    /// <summary>
    /// Exactly as sent or received. Voters' text is untrusted: escape it wherever it is shown. Replaced by
    /// <see cref="PurgedBody"/> once the organization's retention period has passed (Features/Records).
    /// </summary>
    public required string Body { get; set; }

    /// <summary>What <see cref="Body"/> says once retention purged it; <see cref="BodyPurgedUtc"/> says when.</summary>
    public const string PurgedBody = "[purged]";

    /// <summary>When retention replaced the body with <see cref="PurgedBody"/>; null while the text is kept.</summary>
    public DateTime? BodyPurgedUtc { get; set; }

    public int Segments { get; init; }
    public SmsEncoding Encoding { get; init; }

    /// <summary>"simulator" or "twilio".</summary>
    public required string Provider { get; set; }

    public string? ProviderMessageId { get; set; }
    public MessageStatus Status { get; set; }
    public int? ErrorCode { get; set; }
    public string? ErrorMessage { get; set; }
    public string? Carrier { get; set; }

    /// <summary>The texter whose click sent it (outbound), or the texter the reply was routed to (inbound).</summary>
    public Guid? TexterUserId { get; set; }

    /// <summary>The one human action (click, request) that produced it; a second request with the same id sends nothing.</summary>
    public Guid? ActionId { get; init; }

    /// <summary>Whether the dispatcher must hold it until the recipient's texting window opens.</summary>
    public bool RespectsTextingWindow { get; init; } = true;

    /// <summary>Inbound only: the keyword it matched (OptOut, OptIn, Help) or LikelyOptOut for a human to confirm.</summary>
    public string? Keyword { get; set; }

    /// <summary>Inbound only: a "likely opt-out" nobody has confirmed or dismissed yet.</summary>
    public bool NeedsOptOutReview { get; set; }

    public int Attempts { get; set; }

    /// <summary>Not to be claimed before this time (texting window closed, throughput used up, transient failure).</summary>
    public DateTime NotBeforeUtc { get; set; }

    /// <summary>An initial message carrying one of the contact's tracked links (Features/Links): the click rate's denominator.</summary>
    public bool HasTrackedLink { get; set; }

    /// <summary>
    /// An inbound message's wait for an answer: seconds from its arrival to the texter's next reply in the conversation,
    /// set when that reply is queued; null while unanswered. The texters' median response time reads these.
    /// </summary>
    public double? ResponseSeconds { get; set; }

    public Guid? ClaimToken { get; set; }
    public DateTime? ClaimedUtc { get; set; }
    public DateTime? SubmittedUtc { get; set; }
    public DateTime CreatedUtc { get; init; }
    public DateTime UpdatedUtc { get; set; }
}

internal sealed class MessageConfiguration : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> builder)
    {
        builder.Property(m => m.Phone).HasMaxLength(20);
        builder.Property(m => m.OurNumber).HasMaxLength(20);
        builder.Property(m => m.Body).HasMaxLength(1600);
        builder.Property(m => m.Provider).HasMaxLength(20);
        builder.Property(m => m.ProviderMessageId).HasMaxLength(64);
        builder.Property(m => m.ErrorMessage).HasMaxLength(500);
        builder.Property(m => m.Carrier).HasMaxLength(100);
        builder.Property(m => m.Keyword).HasMaxLength(20);

        // Webhooks are idempotent by the provider's id: a second delivery of the same inbound message finds this.
        builder.HasIndex(m => new { m.OrganizationId, m.ProviderMessageId }).IsUnique();

        // The outbox: what the dispatcher claims next.
        builder.HasIndex(m => new { m.Status, m.NotBeforeUtc });
        // A pass reads back the batch it claimed by its token: without this, every pass scanned the whole table.
        // Partial: only messages in flight carry a token, so it stays a few batches small.
        builder.HasIndex(m => m.ClaimToken).HasFilter("\"ClaimToken\" IS NOT NULL").HasDatabaseName("IX_Messages_Claimed");
        builder.HasIndex(m => new { m.OrganizationId, m.Phone, m.CreatedUtc });
        builder.HasIndex(m => new { m.ContactId, m.CreatedUtc });
        // Recent activity (who is texting now) and time-ranged reports.
        builder.HasIndex(m => new { m.OrganizationId, m.CreatedUtc });

        // Retention: the oldest bodies not purged yet, per organization, without scanning what is already purged.
        builder.HasIndex(m => new { m.OrganizationId, m.BodyPurgedUtc, m.CreatedUtc });

        // At most one first message per contact per campaign (invariant 3), whatever races the senders run.
        builder.HasIndex(m => m.ContactId).IsUnique().HasFilter("\"Kind\" = 0").HasDatabaseName("IX_Messages_OneInitialPerContact");
        builder.HasIndex(m => m.ActionId).IsUnique();

        // Median response time per texter: the answered inbound messages of a campaign, in order of their wait.
        builder.HasIndex(m => new { m.CampaignId, m.TexterUserId, m.ResponseSeconds })
            .HasFilter("\"ResponseSeconds\" IS NOT NULL").HasDatabaseName("IX_Messages_ResponseTimes");
    }
}

/// <summary>One step of a message's status history, kept for the record (DOMAIN.md decision 6).</summary>
public sealed class MessageStatusChange : IOrganizationOwned
{
    public long Id { get; init; }
    public Guid OrganizationId { get; init; }
    public Guid MessageId { get; init; }
    public MessageStatus Status { get; init; }

    /// <summary>The provider's own word ("queued", "sent", "undelivered"…) or ours ("claimed", "reconciled").</summary>
    public required string Detail { get; init; }

    public int? ErrorCode { get; init; }
    public DateTime OccurredUtc { get; init; }

    /// <summary>Adds a step to <paramref name="message"/>'s history, saved with the caller's next save.</summary>
    public static void Record(AppDbContext db, Message message, MessageStatus status, string detail, DateTime occurredUtc, int? errorCode = null) =>
        db.MessageStatusChanges.Add(new MessageStatusChange
        {
            OrganizationId = message.OrganizationId,
            MessageId = message.Id,
            Status = status,
            Detail = detail,
            ErrorCode = errorCode,
            OccurredUtc = occurredUtc,
        });
}

internal sealed class MessageStatusChangeConfiguration : IEntityTypeConfiguration<MessageStatusChange>
{
    public void Configure(EntityTypeBuilder<MessageStatusChange> builder)
    {
        builder.Property(c => c.Detail).HasMaxLength(40);
        builder.HasIndex(c => new { c.MessageId, c.OccurredUtc });
    }
}

/// <summary>
/// A status callback for a provider id we did not know yet: callbacks can beat the send call's answer. Kept, never
/// dropped, and applied once the message learns its id.
/// </summary>
public sealed class PendingStatusReport : IOrganizationOwned
{
    public long Id { get; init; }
    public Guid OrganizationId { get; init; }
    public required string ProviderMessageId { get; init; }
    public MessageStatus Status { get; init; }
    public required string Detail { get; init; }
    public int? ErrorCode { get; init; }
    public string? Carrier { get; init; }
    public DateTime ReceivedUtc { get; init; }
}

internal sealed class PendingStatusReportConfiguration : IEntityTypeConfiguration<PendingStatusReport>
{
    public void Configure(EntityTypeBuilder<PendingStatusReport> builder)
    {
        builder.Property(r => r.ProviderMessageId).HasMaxLength(64);
        builder.Property(r => r.Detail).HasMaxLength(40);
        builder.Property(r => r.Carrier).HasMaxLength(100);
        builder.HasIndex(r => new { r.OrganizationId, r.ProviderMessageId });
    }
}

/// <summary>Messages sent in one time window under one throughput key, shared by every instance.</summary>
public sealed class SendRateCounter
{
    public required string Key { get; init; }
    public long Window { get; init; }
    public int Count { get; set; }
}

internal sealed class SendRateCounterConfiguration : IEntityTypeConfiguration<SendRateCounter>
{
    public void Configure(EntityTypeBuilder<SendRateCounter> builder)
    {
        builder.HasKey(c => new { c.Key, c.Window });
        builder.Property(c => c.Key).HasMaxLength(80);
    }
}
