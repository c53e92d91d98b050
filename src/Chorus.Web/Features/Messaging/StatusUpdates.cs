using Chorus.Features.Audit;
using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Messaging;

/// <summary>
/// Applies a provider's word about a message. Idempotent and monotonic (DOMAIN.md §4.2): a repeated or late callback
/// changes nothing, and a message never moves back (delivered never becomes sent). Error codes act (§4.1): 21610
/// records an opt-out, 21211/21614 and 30006 (landline) mark the number bad, 30003–30008 keep their reason.
/// </summary>
public static class StatusUpdates
{
    public const int UnsubscribedRecipient = 21610;
    public const int InvalidToNumber = 21211;
    public const int NotMobileNumber = 21614;
    public const int Landline = 30006;

    /// <summary>Twilio's 30007: a carrier or Twilio filtered the message as spam; counted per campaign.</summary>
    public const int Filtered = 30007;

    /// <summary>Returns whether the message changed.</summary>
    public static async Task<bool> ApplyAsync(
        AppDbContext db, Message message, MessageStatus status, string detail, int? errorCode, string? errorMessage, string? carrier, DateTime nowUtc, CancellationToken ct)
    {
        var changed = false;
        if (carrier is not null && message.Carrier is null)
        {
            message.Carrier = carrier;
            changed = true;
        }

        if (MessageStatuses.Rank(status) > MessageStatuses.Rank(message.Status))
        {
            message.Status = status;
            message.ErrorCode ??= errorCode;
            message.ErrorMessage ??= errorMessage ?? Describe(errorCode);
            MessageStatusChange.Record(db, message, status, detail, nowUtc, errorCode);
            await ActOnErrorAsync(db, message, errorCode, nowUtc, ct);
            changed = true;
        }

        if (changed)
        {
            message.UpdatedUtc = nowUtc;
        }

        return changed;
    }

    public static async Task ActOnErrorAsync(AppDbContext db, Message message, int? errorCode, DateTime nowUtc, CancellationToken ct)
    {
        switch (errorCode)
        {
            case UnsubscribedRecipient:
                await Suppression.OptOutAsync(db, message.OrganizationId, message.Phone, "provider", "The provider reports the recipient replied STOP (21610).", AuditActor.System, nowUtc, ct);
                break;
            case InvalidToNumber or NotMobileNumber or Landline when message.ContactId is { } contactId:
                var contact = await db.Contacts.IgnoreQueryFilters().FirstOrDefaultAsync(c => c.Id == contactId, ct);
                contact?.BadNumber = true;
                break;
        }
    }

    public static string? Describe(int? errorCode) => errorCode switch
    {
        null => null,
        UnsubscribedRecipient => "The recipient has opted out with the provider (21610).",
        InvalidToNumber => "Invalid 'To' phone number (21211).",
        NotMobileNumber => "'To' is not a valid mobile number (21614).",
        30003 => "Unreachable destination handset (30003).",
        30004 => "Message blocked (30004).",
        30005 => "Unknown destination handset (30005).",
        Landline => "Landline or unreachable carrier (30006).",
        Filtered => "Message filtered as spam by the carrier or provider (30007).",
        30008 => "Unknown error (30008).",
        var code => $"Provider error {code}.",
    };
}
