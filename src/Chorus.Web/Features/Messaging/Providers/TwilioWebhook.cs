using System.Globalization;
using Microsoft.Extensions.Primitives;

namespace Chorus.Features.Messaging.Providers;

/// <summary>
/// Reads Twilio-format webhooks (DOMAIN.md §4.2–4.3): the inbound message and the status callback. The simulator posts
/// the same format, so both providers share this parser, the signature check and the endpoints' code path.
/// </summary>
public static class TwilioWebhook
{
    /// <param name="ProviderMessageId">MessageSid.</param>
    /// <param name="From">E.164 sender (the voter).</param>
    /// <param name="To">E.164 number it was sent to (ours).</param>
    /// <param name="Body">As the voter wrote it; untrusted.</param>
    /// <param name="MediaCount">NumMedia.</param>
    public sealed record Inbound(string ProviderMessageId, string From, string To, string Body, int MediaCount);

    /// <param name="ProviderMessageId">MessageSid.</param>
    /// <param name="Status">Mapped from MessageStatus.</param>
    /// <param name="ProviderStatus">The provider's own word, for the history.</param>
    /// <param name="ErrorCode">ErrorCode, on failed and undelivered.</param>
    /// <param name="From">The sending number, when given.</param>
    /// <param name="To">The recipient, when given.</param>
    /// <param name="Carrier">The recipient's carrier, when the provider reports it.</param>
    public sealed record StatusReport(string ProviderMessageId, MessageStatus Status, string ProviderStatus, int? ErrorCode, string? From, string? To, string? Carrier);

    /// <summary>The longest MessageSid we store; Twilio's are 34 characters.</summary>
    public const int MaxSidLength = 64;

    /// <summary>The longest inbound body we accept; Twilio's limit is 1,600 characters.</summary>
    public const int MaxBodyLength = 1600;

    public static Inbound? ReadInbound(IReadOnlyDictionary<string, StringValues> form, out string? error)
    {
        var sid = Value(form, "MessageSid") ?? Value(form, "SmsMessageSid") ?? Value(form, "SmsSid");
        var from = Value(form, "From");
        var to = Value(form, "To");
        var body = Value(form, "Body") ?? "";
        error = sid is null || sid.Length > MaxSidLength ? "MessageSid is missing or too long."
            : from is null || to is null ? "From and To are required."
            : body.Length > MaxBodyLength ? $"Body is longer than {MaxBodyLength} characters."
            : null;
        return error is null
            ? new Inbound(sid!, from!, to!, body, int.TryParse(Value(form, "NumMedia"), NumberStyles.None, CultureInfo.InvariantCulture, out var media) ? media : 0)
            : null;
    }

    public static StatusReport? ReadStatus(IReadOnlyDictionary<string, StringValues> form, out string? error)
    {
        var sid = Value(form, "MessageSid") ?? Value(form, "SmsSid");
        var word = Value(form, "MessageStatus") ?? Value(form, "SmsStatus");
        var status = MessageStatuses.FromTwilio(word);
        error = sid is null || sid.Length > MaxSidLength ? "MessageSid is missing or too long."
            : word is null ? "MessageStatus is missing."
            : status is null ? $"Unknown MessageStatus '{word}'."
            : null;
        if (error is not null)
        {
            return null;
        }

        int? code = int.TryParse(Value(form, "ErrorCode"), NumberStyles.None, CultureInfo.InvariantCulture, out var c) && c != 0 ? c : null;
        return new StatusReport(sid!, status!.Value, word!, code, Value(form, "From"), Value(form, "To"), Value(form, "Carrier"));
    }

    private static string? Value(IReadOnlyDictionary<string, StringValues> form, string name) =>
        form.TryGetValue(name, out var values) && !StringValues.IsNullOrEmpty(values) ? values[0] : null;
}
