using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Chorus.Features.Integrations.Webhooks;

/// <summary>
/// Outbound webhooks: every event the webhook subscribes to is POSTed, as JSON signed with the webhook's secret
/// (<see cref="WebhookSignature"/>), to the URL in its settings. The framework stores one item per event with an
/// idempotency key (sent as <c>Chorus-Webhook-Id</c>), retries with backoff and keeps the delivery log; this class
/// knows the payload, the signature and what the receiver's answers mean (410 Gone switches the webhook off).
/// </summary>
public sealed class WebhookHandler(IHttpClientFactory http, TimeProvider clock, IOptions<WebhookOptions> webhookOptions,
    IOptions<IntegrationsOptions> integrationsOptions) : IIntegrationHandler
{
    public const string KindName = "webhook";
    public const string HttpClientName = "Chorus.Webhooks";
    public const string SecretName = "signingSecret";
    public const int MaxUrlLength = 2000;
    private const int MaxResponseChars = 4000;

    private static readonly JsonSerializerOptions PayloadJson = new(JsonSerializerDefaults.Web)
    {
        // The body is JSON for machines, not HTML: a phone's "+" stays "+" rather than "\u002B".
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string Kind => KindName;
    public string DisplayName => "Outbound webhook";
    public IReadOnlyList<string> SecretNames => [SecretName];

    public string SettingsTemplate => """
        {
          "url": "https://example.org/chorus-events",
          "events": ["contact.opted_out", "survey.answered"]
        }
        """;

    /// <summary>The body: stable <c>id</c> per event, its type and time, the organization, the contact it concerns and the event's data.</summary>
    public sealed record Payload(string Id, string Type, DateTime OccurredAt, PayloadOrganization Organization, string? Phone, PayloadContact? Contact, JsonElement Data);

    public sealed record PayloadOrganization(string Slug);

    public sealed record PayloadContact(Guid Id, Guid CampaignId, string Phone, string FirstName, string LastName, string ExternalId);

    public IReadOnlyList<Problem> Validate(JsonElement settings, IReadOnlyDictionary<string, string> secrets)
    {
        var problems = new List<Problem>();
        var url = settings.TryGetProperty("url", out var u) && u.ValueKind == JsonValueKind.String ? u.GetString() : null;
        if (CheckUrl(url, webhookOptions.Value.AllowLoopbackHttp) is { } urlProblem)
        {
            problems.Add(new Problem(urlProblem, "settings.url"));
        }

        if (settings.TryGetProperty("events", out var events) && events.ValueKind is not JsonValueKind.Null)
        {
            var known = string.Join(", ", IntegrationEvent.All);
            if (events.ValueKind != JsonValueKind.Array)
            {
                problems.Add(new Problem($"settings.events is a list of event types ({known}); leave it out or empty for all of them.", "settings.events"));
            }
            else
            {
                foreach (var e in events.EnumerateArray())
                {
                    if (e.ValueKind != JsonValueKind.String || !IntegrationEvent.All.Contains(e.GetString(), StringComparer.Ordinal))
                    {
                        problems.Add(new Problem($"'{(e.ValueKind == JsonValueKind.String ? e.GetString() : e.GetRawText())}' is not an event type; they are {known}.", "settings.events"));
                    }
                }
            }
        }

        if (secrets.TryGetValue(SecretName, out var secret) && secret.Length is < WebhookSignature.MinSecretLength or > WebhookSignature.MaxSecretLength)
        {
            problems.Add(new Problem(
                $"A signing secret has {WebhookSignature.MinSecretLength} to {WebhookSignature.MaxSecretLength} characters; leave it out and call rotate-secret to have Chorus make one.",
                $"secrets.{SecretName}"));
        }

        return problems;
    }

    /// <summary>
    /// Why <paramref name="url"/> cannot receive webhooks, or null when it can: an absolute https:// URL without
    /// credentials; http:// only to this machine (localhost, 127.0.0.1, [::1]) and only when the server allows it.
    /// </summary>
    public static string? CheckUrl(string? url, bool allowLoopbackHttp)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return "Say where to send events: settings.url is an https:// address.";
        }

        if (url.Length > MaxUrlLength)
        {
            return $"settings.url is longer than {MaxUrlLength} characters.";
        }

        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("https" or "http") || string.IsNullOrEmpty(uri.Host))
        {
            return $"settings.url must be an https:// address; '{DeliveryResult.Truncate(url.Trim(), 100)}' is not a web address Chorus can post to.";
        }

        if (uri.Scheme == "http" && !(allowLoopbackHttp && uri.IsLoopback))
        {
            return allowLoopbackHttp
                ? $"settings.url must use https:// (events carry voters' numbers and messages); plain http:// is accepted only for localhost. '{uri.GetLeftPart(UriPartial.Authority)}' is neither."
                : $"settings.url must use https:// (events carry voters' numbers and messages), not '{uri.GetLeftPart(UriPartial.Authority)}'.";
        }

        if (!string.IsNullOrEmpty(uri.UserInfo))
        {
            return "settings.url must not contain a user name or password; the receiver checks the signature instead.";
        }

        return null;
    }

    public async ValueTask<IReadOnlyList<PlannedDelivery>> PlanAsync(IntegrationContext integration, IntegrationEvent e, AppDbContext db, CancellationToken ct)
    {
        if (!Subscribes(integration.Settings, e.Kind))
        {
            return [];
        }

        var slug = await db.Organizations.IgnoreQueryFilters().AsNoTracking().Where(o => o.Id == integration.Integration.OrganizationId).Select(o => o.Slug).FirstAsync(ct);
        var contact = e.Contact is { } c ? new PayloadContact(c.Id, c.CampaignId, c.Phone, c.FirstName, c.LastName, c.ExternalId) : null;
        var payload = new Payload(e.Id.ToString("D"), e.Kind, DateTime.SpecifyKind(e.OccurredUtc, DateTimeKind.Utc), new PayloadOrganization(slug), e.Phone, contact, e.Data);
        var subject = contact is not null ? $"contact:{contact.Id}" : e.Phone is null ? "" : $"phone:{e.Phone}";
        return [new PlannedDelivery(KindName, subject, JsonSerializer.Serialize(payload, PayloadJson))];
    }

    /// <summary>Whether the settings take events of this kind: those in <c>events</c>, or all when it is absent or empty.</summary>
    public static bool Subscribes(JsonElement settings, string kind) =>
        !(settings.ValueKind == JsonValueKind.Object && settings.TryGetProperty("events", out var events) && events.ValueKind == JsonValueKind.Array && events.GetArrayLength() > 0)
        || events.EnumerateArray().Any(e => e.ValueKind == JsonValueKind.String && e.GetString() == kind);

    public async Task<DeliveryResult> DeliverAsync(IntegrationContext integration, IntegrationDelivery delivery, CancellationToken ct)
    {
        var result = await PostAsync(integration, delivery.IdempotencyKey, delivery.Payload, ct);
        return result.Gone
            ? DeliveryResult.SwitchOff(
                "The receiver answered 410 Gone: it no longer wants these events, so the webhook has been switched off. Switch it on again to resume.", result.Result.Response)
            : result.Result;
    }

    public async Task<DeliveryResult> TestAsync(IntegrationContext integration, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var id = Guid.CreateVersion7().ToString("D");
        var ping = JsonSerializer.Serialize(new { id, type = "ping", occurredAt = now }, PayloadJson);
        var result = await PostAsync(integration, $"ping/{id}", ping, ct);
        return result.Gone ? DeliveryResult.Permanent("The receiver answered 410 Gone: events sent to it would switch this webhook off.", result.Result.Response) : result.Result;
    }

    private async Task<(DeliveryResult Result, bool Gone)> PostAsync(IntegrationContext integration, string webhookId, string body, CancellationToken ct)
    {
        if (integration.Secret(SecretName) is not { } secret)
        {
            return (DeliveryResult.Unauthorized(
                $"The webhook has no signing secret yet, so nothing is sent: POST …/integrations/{integration.Integration.Id}/webhook/rotate-secret makes one (events wait until then)."), false);
        }

        var url = integration.Setting("url");
        if (CheckUrl(url, webhookOptions.Value.AllowLoopbackHttp) is { } problem)
        {
            return (DeliveryResult.Permanent($"The webhook's URL is not accepted any more: {problem}"), false);
        }

        var bytes = Encoding.UTF8.GetBytes(body);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(url!.Trim(), UriKind.Absolute))
        {
            Content = new ByteArrayContent(bytes) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") } },
        };
        request.Headers.Add(WebhookSignature.IdHeader, webhookId);
        request.Headers.Add(WebhookSignature.TimestampHeader, timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture));
        request.Headers.Add(WebhookSignature.SignatureHeader, WebhookSignature.Sign(secret, timestamp, bytes));
        request.Headers.UserAgent.Add(new ProductInfoHeaderValue("Chorus-Webhooks", "1"));

        var timeout = integrationsOptions.Value.RequestTimeout;
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(timeout);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await http.CreateClient(HttpClientName).SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token);

            // Only the start of the receiver's answer is kept for the log; a receiver that streams a large body is not read to its end.
            var start = await ReadStartAsync(response.Content, deadline.Token);
            response.Content.Dispose();
            response.Content = new StringContent(start);
            var code = (int)response.StatusCode;
            if (response.StatusCode == HttpStatusCode.Gone)
            {
                return (DeliveryResult.Permanent("410 Gone", $"410 {await response.Content.ReadAsStringAsync(ct)}".TrimEnd()), true);
            }

            if (code is >= 300 and < 400)
            {
                return (DeliveryResult.Permanent(
                    $"The receiver redirected ({code}) to '{response.Headers.Location}'; webhooks do not follow redirects, so point the webhook at the final address.",
                    $"{code} {response.Headers.Location}"), false);
            }

            return (await DeliveryResult.FromHttpAsync(response, ct), false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return (DeliveryResult.Transient($"The receiver did not answer within {timeout.TotalSeconds:0.#} s; it will be tried again."), false);
        }
        catch (HttpRequestException ex)
        {
            return (DeliveryResult.Transient(
                $"The receiver could not be reached after {Stopwatch.GetElapsedTime(started).TotalSeconds:0.#} s ({ex.HttpRequestError}): {ex.Message}"), false);
        }
    }

    private static async Task<string> ReadStartAsync(HttpContent content, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var buffer = new char[MaxResponseChars];
        var read = 0;
        while (read < buffer.Length && await reader.ReadAsync(buffer.AsMemory(read), ct) is > 0 and var n)
        {
            read += n;
        }

        return new string(buffer, 0, read);
    }
}
