namespace Chorus.Features.Messaging.Providers;

/// <summary>
/// One SMS provider (the built-in simulator, Twilio, …). Implementations are stateless singletons: everything that
/// differs per organization arrives in <see cref="ProviderAccount"/>. Webhooks of every provider that speaks Twilio's
/// format (the simulator does, on purpose) are verified and parsed by <see cref="TwilioWebhook"/>.
/// </summary>
public interface ISmsProvider
{
    /// <summary>"simulator" or "twilio": the name in settings and in webhook paths.</summary>
    string Name { get; }

    /// <summary>
    /// Submits one message. Never throws for provider or network trouble: the answer says whether the provider
    /// accepted it, refused it (and whether trying again later may help), or whether nobody can tell.
    /// </summary>
    Task<SendResult> SendAsync(OutboundSms message, ProviderAccount account, CancellationToken cancellationToken);

    /// <summary>
    /// Looks for a message whose submission outcome is unknown (for reconciliation): by To, From and a time range,
    /// since the provider's id was never learned.
    /// </summary>
    Task<LookupResult> LookupAsync(LookupQuery query, ProviderAccount account, CancellationToken cancellationToken);
}

/// <summary>What the dispatcher hands a provider.</summary>
/// <param name="MessageId">Ours; providers that accept a client reference may pass it on.</param>
/// <param name="To">E.164.</param>
/// <param name="From">E.164 sending number, or null to let the messaging service choose.</param>
/// <param name="Body">Exactly the text to send.</param>
/// <param name="StatusCallbackUrl">Where the provider posts this message's status changes.</param>
public sealed record OutboundSms(Guid MessageId, string To, string? From, string Body, string StatusCallbackUrl);

/// <summary>An organization's provider set-up, with its secret decrypted, as the provider needs it for one call.</summary>
/// <param name="OrganizationId">Whose account it is.</param>
/// <param name="OrganizationSlug">Appears in webhook paths.</param>
/// <param name="Provider">"simulator" or "twilio".</param>
/// <param name="AccountSid">Twilio Account SID (or API key SID); for the simulator, a made-up one.</param>
/// <param name="AuthToken">The secret that signs webhooks (and authenticates API calls).</param>
/// <param name="MessagingServiceSid">Twilio Messaging Service, when sending through one.</param>
/// <param name="Numbers">Sending numbers (E.164) when sending from a pool.</param>
/// <param name="ApiBaseUrl">Overrides the provider's API address (a fake Twilio on loopback in tests).</param>
/// <param name="PublicBaseUrl">Where providers reach us: the root of the webhook URLs.</param>
public sealed record ProviderAccount(
    Guid OrganizationId,
    string OrganizationSlug,
    string Provider,
    string AccountSid,
    string AuthToken,
    string? MessagingServiceSid,
    IReadOnlyList<string> Numbers,
    string? ApiBaseUrl,
    string PublicBaseUrl)
{
    public string InboundWebhookUrl => $"{PublicBaseUrl.TrimEnd('/')}/webhooks/{Provider}/{OrganizationSlug}/inbound";

    public string StatusWebhookUrl => $"{PublicBaseUrl.TrimEnd('/')}/webhooks/{Provider}/{OrganizationSlug}/status";
}

/// <summary>The outcome of one submission.</summary>
public abstract record SendResult
{
    private SendResult()
    {
    }

    /// <summary>The provider took the message: from now on it is theirs, and its status arrives by callback.</summary>
    /// <param name="ProviderMessageId">e.g. Twilio's SM… sid.</param>
    /// <param name="From">The number it goes out from, when the provider says (a messaging service picks one).</param>
    /// <param name="Status">The provider's status at acceptance (queued, accepted, sent …), mapped.</param>
    public sealed record Accepted(string ProviderMessageId, string? From, MessageStatus Status) : SendResult;

    /// <summary>The provider said no, for sure; nothing was sent.</summary>
    /// <param name="ErrorCode">The provider's code (21610, 21211 …) when it gave one.</param>
    /// <param name="Reason">Human-readable, for the message record.</param>
    /// <param name="Transient">True for 429, 5xx before acceptance, connection refused: try again later.</param>
    public sealed record Refused(int? ErrorCode, string Reason, bool Transient) : SendResult;

    /// <summary>Nobody knows whether it was accepted (timeout, connection lost mid-request): never resend blindly.</summary>
    public sealed record Unknown(string Reason) : SendResult;
}

/// <param name="To">E.164 recipient.</param>
/// <param name="From">E.164 sender, or null when a messaging service chose it.</param>
/// <param name="Body">The text, to tell two messages to the same number apart.</param>
/// <param name="NotBefore">Earliest creation time to consider (a little before the submission began).</param>
/// <param name="NotAfter">Latest creation time to consider.</param>
public sealed record LookupQuery(string To, string? From, string Body, DateTimeOffset NotBefore, DateTimeOffset NotAfter);

public abstract record LookupResult
{
    private LookupResult()
    {
    }

    public sealed record Found(string ProviderMessageId, string? From, MessageStatus Status, int? ErrorCode) : LookupResult;

    /// <summary>The provider has no such message: it was never accepted.</summary>
    public sealed record NotFound : LookupResult;

    /// <summary>The provider could not be asked (or cannot answer): leave it for a person.</summary>
    public sealed record Unavailable(string Reason) : LookupResult;
}
