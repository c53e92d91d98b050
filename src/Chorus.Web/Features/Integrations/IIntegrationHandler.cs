using System.Text.Json;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;

namespace Chorus.Features.Integrations;

/// <summary>An integration as its handler sees it: the row, its settings parsed, its credentials decrypted.</summary>
public sealed record IntegrationContext(Integration Integration, JsonElement Settings, IReadOnlyDictionary<string, string> Secrets)
{
    public string? Secret(string name) => Secrets.TryGetValue(name, out var value) && !string.IsNullOrEmpty(value) ? value : null;

    public string? Setting(string name) =>
        Settings.ValueKind == JsonValueKind.Object && Settings.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}

/// <summary>
/// One item a handler wants written for an event. <c>Key</c> distinguishes items of one event ("van.response",
/// "tag:Volunteer"); the feed prefixes the event id, which makes it unique per integration. <c>Subject</c> is for the
/// log ("contact:…"); <c>Payload</c> is what <see cref="IIntegrationHandler.DeliverAsync"/> gets back.
/// </summary>
public sealed record PlannedDelivery(string Key, string Subject, string Payload);

public enum DeliveryOutcome
{
    Succeeded,

    /// <summary>Worth trying again later: timeouts, 429, 5xx, connection failures.</summary>
    Transient,

    /// <summary>The other system refused the credentials: the integration shows "unauthorized" and the item waits.</summary>
    Unauthorized,

    /// <summary>Refused for good (400/404/422, a missing mapping); retrying would not help.</summary>
    Permanent,

    /// <summary>
    /// The other system wants nothing more (a webhook's 410 Gone): the item fails and the framework switches the
    /// integration off, audited; its other items wait until an admin switches it back on.
    /// </summary>
    SwitchOff,
}

/// <summary>What one attempt came to, with the other system's answer for the log.</summary>
public sealed record DeliveryResult(DeliveryOutcome Outcome, string? Response, string? Error = null, TimeSpan? RetryAfter = null)
{
    public static DeliveryResult Success(string? response) => new(DeliveryOutcome.Succeeded, response);

    public static DeliveryResult Transient(string error, string? response = null, TimeSpan? retryAfter = null) => new(DeliveryOutcome.Transient, response, error, retryAfter);

    public static DeliveryResult Unauthorized(string error, string? response = null) => new(DeliveryOutcome.Unauthorized, response, error);

    public static DeliveryResult Permanent(string error, string? response = null) => new(DeliveryOutcome.Permanent, response, error);

    public static DeliveryResult SwitchOff(string error, string? response = null) => new(DeliveryOutcome.SwitchOff, response, error);

    /// <summary>The usual reading of an HTTP answer: 2xx success, 401/403 unauthorized, 408/429/5xx transient, else permanent.</summary>
    public static async Task<DeliveryResult> FromHttpAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        var summary = $"{(int)response.StatusCode} {Truncate(body, IntegrationDelivery.MaxResponseLength - 10)}".TrimEnd();
        var code = (int)response.StatusCode;
        return code switch
        {
            >= 200 and < 300 => Success(summary),
            401 or 403 => Unauthorized($"The service refused the credentials ({code}): {Truncate(body, 500)}", summary),
            408 or 429 or >= 500 => Transient($"The service answered {code}; it will be tried again.", summary, response.Headers.RetryAfter?.Delta),
            _ => Permanent($"The service refused the item ({code}): {Truncate(body, 500)}", summary),
        };
    }

    public static string Truncate(string text, int max) => text.Length <= max ? text : text[..max];
}

/// <summary>
/// One kind of integration (NGP VAN, Action Network, outbound webhook …). Registered as a singleton
/// (<c>services.AddSingleton&lt;IIntegrationHandler, MyHandler&gt;()</c>); the framework owns storage, the feed of
/// events, retries with backoff, idempotency, health and the admin log; the handler knows the other system.
/// </summary>
public interface IIntegrationHandler
{
    /// <summary>The kind's name in the API and in <see cref="Integration.Kind"/>: lowercase, e.g. "van".</summary>
    string Kind { get; }

    /// <summary>A name for people: "NGP VAN / EveryAction".</summary>
    string DisplayName { get; }

    /// <summary>The credential names the kind takes (write-only in the API).</summary>
    IReadOnlyList<string> SecretNames { get; }

    /// <summary>Example settings (JSON) the Integrations page starts the form with, so admins see what the kind takes.</summary>
    string SettingsTemplate => "{}";

    /// <summary>
    /// Checks settings and credentials before they are saved; problems name their field. <paramref name="secrets"/>
    /// holds what will be stored (the kept values when a request leaves a secret out).
    /// </summary>
    IReadOnlyList<Problem> Validate(JsonElement settings, IReadOnlyDictionary<string, string> secrets);

    /// <summary>The items an event calls for in the other system; none when it does not care about the event.</summary>
    ValueTask<IReadOnlyList<PlannedDelivery>> PlanAsync(IntegrationContext integration, IntegrationEvent e, AppDbContext db, CancellationToken ct);

    /// <summary>Writes one item. Must not throw for the other system's failures: map them to a <see cref="DeliveryResult"/>.</summary>
    Task<DeliveryResult> DeliverAsync(IntegrationContext integration, IntegrationDelivery delivery, CancellationToken ct);

    /// <summary>A harmless call that proves the credentials and the address work ("Test connection").</summary>
    Task<DeliveryResult> TestAsync(IntegrationContext integration, CancellationToken ct);
}
