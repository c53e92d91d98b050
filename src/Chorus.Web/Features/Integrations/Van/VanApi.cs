using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Polly;

namespace Chorus.Features.Integrations.Van;

/// <summary>
/// VAN's answer to one call: its status (0 when there was none: refused connection, timeout), its body, and what
/// that means for Chorus (<see cref="ToResult"/>). VAN's errors come as <c>{"errors":[{"code":…,"text":…}]}</c>;
/// <see cref="Message"/> is their text, which is what admins see.
/// </summary>
public sealed record VanAnswer(int Status, string? Reason, string Body, TimeSpan? RetryAfter = null, string? Failure = null)
{
    public bool Ok => Status is >= 200 and < 300;

    /// <summary>For the log: "204 No Content", "400 {"errors":…}".</summary>
    public string Summary => Status == 0 ? $"no answer: {Failure}"
        : Body.Length == 0 ? $"{Status} {Reason}".TrimEnd()
        : $"{Status} {DeliveryResult.Truncate(Body, 3000)}";

    /// <summary>VAN's own words for a failure.</summary>
    public string Message => Failure ?? ErrorText(Body) ?? (Body.Length == 0 ? $"{Status} {Reason}".TrimEnd() : DeliveryResult.Truncate(Body, 500));

    /// <summary>Success, unauthorized (401/403), transient (no answer, 408, 429, 5xx: tried again later) or permanent.</summary>
    public DeliveryResult ToResult(string? response = null) => Status switch
    {
        >= 200 and < 300 => DeliveryResult.Success(response ?? Summary),
        401 or 403 => DeliveryResult.Unauthorized($"VAN refused the credentials ({Status}): {Message}", Summary),
        0 => DeliveryResult.Transient($"VAN could not be reached: {Failure}; it will be tried again."),
        408 or 429 or >= 500 => DeliveryResult.Transient($"VAN answered {Status} ({Message}); it will be tried again.", Summary, RetryAfter),
        _ => DeliveryResult.Permanent($"VAN refused the item ({Status}): {Message}", Summary),
    };

    public static string? ErrorText(string body)
    {
        try
        {
            if (JsonNode.Parse(body) is JsonObject { } root && root["errors"] is JsonArray { Count: > 0 } errors)
            {
                return string.Join(" ", errors.OfType<JsonObject>().Select(e => $"{e["text"]?.ToString()}{(e["code"] is { } code ? $" ({code})" : "")}".Trim()));
            }
        }
        catch (JsonException)
        {
        }

        return null;
    }
}

/// <summary>
/// One integration's VAN API v4 client: Basic auth with the application name and <c>apiKey|mode</c>
/// (DOMAIN.md §5.1), JSON bodies, paths relative to <c>settings.baseUrl</c>. Never throws for VAN's failures or an
/// unreachable VAN: every call comes back as a <see cref="VanAnswer"/>.
/// </summary>
public sealed class VanApi(HttpClient http, VanSettings settings, string applicationName, string apiKey)
{
    public const string HttpClientName = "van";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public VanSettings Settings => settings;

    /// <summary>The client for an integration, or null when its credentials are missing.</summary>
    public static VanApi? For(IHttpClientFactory clients, IntegrationContext integration)
    {
        var (settings, _) = VanSettings.Parse(integration.Settings);
        return integration.Secret("applicationName") is { } name && integration.Secret("apiKey") is { } key
            ? new VanApi(clients.CreateClient(HttpClientName), settings, name, key)
            : null;
    }

    public static VanAnswer MissingCredentials => new(0, null, "", Failure: "the integration has no application name or API key");

    public Task<VanAnswer> GetAsync(string pathOrUrl, CancellationToken ct) => SendAsync(HttpMethod.Get, pathOrUrl, null, ct);

    public Task<VanAnswer> PostAsync(string path, JsonNode body, CancellationToken ct) => SendAsync(HttpMethod.Post, path, body, ct);

    public async Task<VanAnswer> SendAsync(HttpMethod method, string pathOrUrl, JsonNode? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri(settings.BaseUrl, pathOrUrl));
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic",
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"{applicationName}:{apiKey}|{settings.ModeDigit}")));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(Json), Encoding.UTF8, "application/json");
        }

        try
        {
            using var response = await http.SendAsync(request, ct);
            var text = await response.Content.ReadAsStringAsync(ct);
            return new VanAnswer((int)response.StatusCode, response.ReasonPhrase, text, response.Headers.RetryAfter?.Delta);
        }
        catch (Exception ex) when (ex is HttpRequestException or ExecutionRejectedException || (ex is TaskCanceledException && !ct.IsCancellationRequested))
        {
            // Refused connections, timeouts (the client's or the resilience pipeline's): worth trying again later.
            return new VanAnswer(0, null, "", Failure: ex is TaskCanceledException or Polly.Timeout.TimeoutRejectedException ? "the request timed out" : ex.Message);
        }
    }

    /// <summary>The JSON of a successful answer (null for an empty body).</summary>
    public static JsonNode? Parse(VanAnswer answer)
    {
        try
        {
            return answer.Body.Length == 0 ? null : JsonNode.Parse(answer.Body);
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
