namespace Chorus.Features.Messaging;

/// <summary>
/// Where a message is. Outbound: Queued → Sending (claimed by a dispatcher) → Submitted (the provider took it) → Sent
/// → Delivered | Undelivered, or Failed / Canceled / Unknown → (reconciled) | NeedsReview. Inbound: Received.
/// The numeric order is the progress order: a status callback never moves a message to a lower rank
/// (<see cref="MessageStatuses.Rank"/>), so a late "sent" never undoes "delivered".
/// </summary>
public enum MessageStatus
{
    Queued = 0,
    Sending = 1,

    /// <summary>The submission's outcome is unknown (crash, timeout): the reconciler asks the provider.</summary>
    Unknown = 2,
    Submitted = 3,
    Sent = 4,
    Delivered = 5,
    Undelivered = 6,
    Failed = 7,

    /// <summary>Cancelled before submission (the number opted out, the campaign stopped).</summary>
    Canceled = 8,

    /// <summary>The reconciler could not tell whether the provider has it: a person decides; it is never resent.</summary>
    NeedsReview = 9,
    Received = 10,
}

public static class MessageStatuses
{
    /// <summary>Progress rank for monotonic updates: final states share the top rank.</summary>
    public static int Rank(MessageStatus status) => status switch
    {
        MessageStatus.Queued => 0,
        MessageStatus.Sending => 1,
        MessageStatus.Unknown => 2,
        MessageStatus.NeedsReview => 2,
        MessageStatus.Submitted => 3,
        MessageStatus.Sent => 4,
        _ => 5,
    };

    public static bool IsFinal(MessageStatus status) => Rank(status) == 5;

    /// <summary>Twilio's status words (DOMAIN.md §4.2) in our terms; null for ones we do not track.</summary>
    public static MessageStatus? FromTwilio(string? status) => status?.ToLowerInvariant() switch
    {
        "accepted" or "scheduled" or "queued" or "sending" => MessageStatus.Submitted,
        "sent" => MessageStatus.Sent,
        "delivered" or "read" => MessageStatus.Delivered,
        "undelivered" or "partially_delivered" => MessageStatus.Undelivered,
        "failed" => MessageStatus.Failed,
        "canceled" => MessageStatus.Canceled,
        "receiving" or "received" => MessageStatus.Received,
        _ => null,
    };
}
