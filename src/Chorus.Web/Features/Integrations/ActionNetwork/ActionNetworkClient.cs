using System.Net.Http.Headers;
using System.Net.Mime;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Chorus.Features.Integrations.ActionNetwork;

/// <summary>A value Action Network gave, or why it did not (already mapped for the delivery log).</summary>
public readonly record struct AnAnswer<T>(T? Value, DeliveryResult? Failure)
{
    public static implicit operator AnAnswer<T>(DeliveryResult failure) => new(default, failure);
}

/// <summary>
/// The calls Chorus makes to Action Network's OSDI API (DOMAIN.md §5.2): every request carries <c>OSDI-API-Token</c>,
/// answers are HAL+JSON, collections are paged with <c>_links.next</c>. Links are followed only when they point into
/// the configured API (the token is never sent anywhere else). Failures come back as <see cref="DeliveryResult"/>s
/// with Action Network's own error message (<c>{"error": "…"}</c>).
/// </summary>
public sealed class ActionNetworkClient(HttpClient http, Uri baseUrl, string apiKey)
{
    public const string HttpClientName = "action-network";
    public const string TokenHeader = "OSDI-API-Token";
    private const string IdentifierPrefix = "action_network:";

    public Uri BaseUrl { get; } = baseUrl;

    /// <summary>The API entry point (a harmless GET that proves the key).</summary>
    public Task<AnAnswer<JsonElement>> EntryPointAsync(CancellationToken ct) => GetAsync(BaseUrl, ct);

    public async Task<AnAnswer<JsonElement>> GetAsync(Uri url, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Get, url, null, ct);
        return await ReadAsync(response, ct);
    }

    public async Task<AnAnswer<JsonElement>> PostAsync(string relative, JsonObject body, CancellationToken ct)
    {
        using var response = await SendAsync(HttpMethod.Post, new Uri(BaseUrl, relative), body, ct);
        return await ReadAsync(response, ct);
    }

    /// <summary>
    /// The pages of a collection (items are under <c>_embedded</c>, e.g. "osdi:tags"), following <c>_links.next</c>
    /// until there is none. A failure ends the walk with <see cref="AnAnswer{T}.Failure"/> set.
    /// </summary>
    public async IAsyncEnumerable<AnAnswer<JsonElement>> PagesAsync(string relative, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken ct)
    {
        Uri? next = new(BaseUrl, relative);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        while (next is not null && seen.Add(next.AbsoluteUri))
        {
            var page = await GetAsync(next, ct);
            yield return page;
            if (page.Failure is not null)
            {
                yield break;
            }

            next = Link(page.Value, "next") is { } href ? Resolve(href) : null;
            if (Link(page.Value, "next") is { } unsafeHref && next is null)
            {
                yield return DeliveryResult.Permanent($"Action Network's next page ({unsafeHref}) is outside the configured API address {BaseUrl}; it was not followed.");
                yield break;
            }
        }
    }

    /// <summary>The tag with this name (Action Network compares names as written), or null when there is none.</summary>
    public async Task<AnAnswer<string?>> FindTagAsync(string name, CancellationToken ct)
    {
        await foreach (var page in PagesAsync("tags", ct))
        {
            if (page.Failure is { } failure)
            {
                return failure;
            }

            foreach (var tag in Embedded(page.Value, "osdi:tags"))
            {
                if (tag.TryGetProperty("name", out var tagName) && tagName.ValueKind == JsonValueKind.String
                    && string.Equals(tagName.GetString()?.Trim(), name.Trim(), StringComparison.OrdinalIgnoreCase))
                {
                    return new AnAnswer<string?>(ResourceId(tag), null);
                }
            }
        }

        return new AnAnswer<string?>(null, null);
    }

    /// <summary>
    /// The Person Signup Helper (<c>POST people/</c>): finds the person by phone (or creates them) and updates what is
    /// given; returns their id. Never sends an email Chorus does not have.
    /// </summary>
    public async Task<AnAnswer<string>> SignupAsync(string phoneE164, string? givenName, string? familyName, string? postalCode, string? status, CancellationToken ct)
    {
        var number = new JsonObject { ["number"] = PhoneNumber(phoneE164), ["number_type"] = "Mobile" };
        if (status is not null)
        {
            number["status"] = status;
        }

        var person = new JsonObject { ["phone_numbers"] = new JsonArray(number) };
        if (!string.IsNullOrWhiteSpace(givenName))
        {
            person["given_name"] = givenName.Trim();
        }

        if (!string.IsNullOrWhiteSpace(familyName))
        {
            person["family_name"] = familyName.Trim();
        }

        if (!string.IsNullOrWhiteSpace(postalCode))
        {
            person["postal_addresses"] = new JsonArray(new JsonObject { ["postal_code"] = postalCode.Trim() });
        }

        var answer = await PostAsync("people/", new JsonObject { ["person"] = person }, ct);
        if (answer.Failure is { } failure)
        {
            return failure;
        }

        return ResourceId(answer.Value) is { } id
            ? new AnAnswer<string>(id, null)
            : DeliveryResult.Permanent("Action Network accepted the person but its answer had no person id.", Summary(answer.Value));
    }

    /// <summary>Tags a person: <c>POST tags/{tagId}/taggings</c> with the person's link.</summary>
    public Task<AnAnswer<JsonElement>> TagAsync(string tagId, string personId, CancellationToken ct) =>
        PostAsync($"tags/{Uri.EscapeDataString(tagId)}/taggings", new JsonObject
        {
            ["_links"] = new JsonObject { ["osdi:person"] = new JsonObject { ["href"] = PersonUrl(personId).AbsoluteUri } },
        }, ct);

    public Uri PersonUrl(string personId) => new(BaseUrl, $"people/{Uri.EscapeDataString(personId)}");

    /// <summary>A link from Action Network, as an address inside the configured API, or null when it points elsewhere.</summary>
    public Uri? Resolve(string href)
    {
        if (!Uri.TryCreate(BaseUrl, href, out var url))
        {
            return null;
        }

        return url.Scheme == BaseUrl.Scheme && string.Equals(url.Authority, BaseUrl.Authority, StringComparison.OrdinalIgnoreCase)
            && url.AbsolutePath.StartsWith(BaseUrl.AbsolutePath, StringComparison.Ordinal) ? url : null;
    }

    /// <summary>Action Network's numbers are digits with the country code ("12024561111").</summary>
    public static string PhoneNumber(string e164) => e164.TrimStart('+');

    public static string? Link(JsonElement resource, string rel) =>
        resource.ValueKind == JsonValueKind.Object && resource.TryGetProperty("_links", out var links) && links.ValueKind == JsonValueKind.Object
        && links.TryGetProperty(rel, out var link) && link.ValueKind == JsonValueKind.Object && link.TryGetProperty("href", out var href) && href.ValueKind == JsonValueKind.String
            ? href.GetString()
            : null;

    public static IEnumerable<JsonElement> Embedded(JsonElement resource, string name) =>
        resource.ValueKind == JsonValueKind.Object && resource.TryGetProperty("_embedded", out var embedded) && embedded.ValueKind == JsonValueKind.Object
        && embedded.TryGetProperty(name, out var items)
            ? items.ValueKind == JsonValueKind.Array ? items.EnumerateArray() : items.ValueKind == JsonValueKind.Object ? [items] : []
            : [];

    /// <summary>A resource's Action Network id: its "action_network:…" identifier, else the last segment of its self link.</summary>
    public static string? ResourceId(JsonElement resource)
    {
        if (resource.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (resource.TryGetProperty("identifiers", out var identifiers) && identifiers.ValueKind == JsonValueKind.Array)
        {
            foreach (var identifier in identifiers.EnumerateArray())
            {
                if (identifier.ValueKind == JsonValueKind.String && identifier.GetString()!.StartsWith(IdentifierPrefix, StringComparison.Ordinal))
                {
                    return identifier.GetString()![IdentifierPrefix.Length..];
                }
            }
        }

        return Link(resource, "self") is { } self ? LastSegment(self) : null;
    }

    /// <summary>The person id a link to a person ends with.</summary>
    public static string? LastSegment(string href)
    {
        var path = Uri.TryCreate(href, UriKind.Absolute, out var url) ? url.AbsolutePath : href.Split('?')[0];
        var segment = path.TrimEnd('/').Split('/').LastOrDefault();
        return string.IsNullOrEmpty(segment) ? null : Uri.UnescapeDataString(segment);
    }

    /// <summary>A contact's external id as an Action Network person id ("action_network:…" or a bare id), or null when it is not one.</summary>
    public static string? PersonIdFrom(string? externalId)
    {
        if (string.IsNullOrWhiteSpace(externalId))
        {
            return null;
        }

        var id = externalId.Trim();
        id = id.StartsWith(IdentifierPrefix, StringComparison.Ordinal) ? id[IdentifierPrefix.Length..] : id;
        return Guid.TryParse(id, out _) ? id : null;
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri url, JsonObject? body, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Add(TokenHeader, apiKey);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/hal+json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(MediaTypeNames.Application.Json));
        if (body is not null)
        {
            request.Content = new StringContent(body.ToJsonString(), Encoding.UTF8, MediaTypeNames.Application.Json);
        }

        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, ct);
        }
        catch (Polly.ExecutionRejectedException ex)
        {
            // The resilience handler's timeout, open circuit or limiter: to callers it is a service that could not be reached.
            throw new HttpRequestException($"Action Network did not answer in time ({ex.GetType().Name}).", ex);
        }
    }

    private static async Task<AnAnswer<JsonElement>> ReadAsync(HttpResponseMessage response, CancellationToken ct)
    {
        var code = (int)response.StatusCode;
        if (code is < 200 or >= 300)
        {
            var body = await response.Content.ReadAsStringAsync(ct);
            var summary = DeliveryResult.Truncate($"{code} {body}".TrimEnd(), IntegrationDelivery.MaxResponseLength);
            var message = ErrorMessage(body) ?? DeliveryResult.Truncate(body, 500);
            return code switch
            {
                401 or 403 => DeliveryResult.Unauthorized($"Action Network refused the API key ({code}): {message}", summary),
                408 or 429 or >= 500 => DeliveryResult.Transient($"Action Network answered {code}; it will be tried again. {message}".TrimEnd(), summary, response.Headers.RetryAfter?.Delta),
                _ => DeliveryResult.Permanent($"Action Network refused the request ({code}): {message}", summary),
            };
        }

        try
        {
            await using var stream = await response.Content.ReadAsStreamAsync(ct);
            using var document = await JsonDocument.ParseAsync(stream, cancellationToken: ct);
            return new AnAnswer<JsonElement>(document.RootElement.Clone(), null);
        }
        catch (JsonException)
        {
            return DeliveryResult.Transient($"Action Network answered {code} with something that is not JSON; it will be tried again.");
        }
    }

    /// <summary>Action Network's error body is <c>{"error": "…"}</c>.</summary>
    private static string? ErrorMessage(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.String
                ? error.GetString()
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>An answer for the delivery log: its id and self link, not the whole person.</summary>
    public static string Summary(JsonElement resource, string status = "200") =>
        $"{status} {(ResourceId(resource) is { } id ? $"id {id}" : "")} {Link(resource, "self")}".Trim();
}
