using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Chorus.IntegrationTests.Infrastructure;

/// <summary>One request the fake received, as it arrived.</summary>
public sealed record FakeActionNetworkRequest(string Method, string Path, string Query, string? Token, string Body, int Status);

/// <summary>A person in the fake: what the signup helper and the importers read.</summary>
public sealed record FakeAnPerson(string Id, string? GivenName, string? FamilyName, string? Phone, string? PhoneStatus, string? PostalCode);

/// <summary>
/// Action Network's OSDI API (DOMAIN.md §5.2) on 127.0.0.1 and a free port, under <c>/api/v2/</c>: the entry point,
/// <c>tags</c> (paged), <c>tags/{id}/taggings</c> (paged GET; POST tags a person), <c>lists</c> and
/// <c>lists/{id}/items</c> (paged), <c>people/{id}</c> and the Person Signup Helper <c>POST people/</c>. Every request
/// must carry the right <c>OSDI-API-Token</c> (else 401 with Action Network's <c>{"error": …}</c>); collections are HAL
/// with <c>_embedded</c> and <c>_links.next</c>; bodies are checked like the real API (a person needs a phone or an
/// email, phone statuses are Action Network's, a tagging names a person of this group by link). It records everything
/// and fails on command (<see cref="FailNext"/>).
/// </summary>
public sealed class FakeActionNetwork : IAsyncDisposable
{
    public const string InvalidKeyMessage = "API Key invalid or not present";
    private static readonly string[] PhoneStatuses = ["subscribed", "unsubscribed", "bouncing", "previous bounce", "spam complaint", "previous spam complaint"];
    private readonly WebApplication _app;
    private readonly Lock _gate = new();
    private readonly List<FakeActionNetworkRequest> _requests = [];
    private readonly Dictionary<string, FakeAnPerson> _people = new(StringComparer.Ordinal);
    private readonly List<string> _peopleOrder = [];
    private readonly Dictionary<string, string> _tags = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _lists = new(StringComparer.Ordinal);
    private readonly List<(string TagId, string PersonId)> _taggings = [];
    private readonly List<JsonObject> _signups = [];
    private readonly Queue<HttpStatusCode> _faults = new();

    private FakeActionNetwork(string apiKey)
    {
        ApiKey = apiKey;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    public string ApiKey { get; set; }

    /// <summary>e.g. http://127.0.0.1:41234/api/v2/, for the integration's baseUrl.</summary>
    public string BaseUrl { get; private set; } = "";

    public int PageSize { get; set; } = 25;

    public IReadOnlyList<FakeActionNetworkRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Taggings accepted by POST, in order.</summary>
    public IReadOnlyList<(string TagId, string PersonId)> PostedTaggings
    {
        get
        {
            lock (_gate)
            {
                return [.. _posted];
            }
        }
    }

    /// <summary>Signup helper bodies accepted, in order.</summary>
    public IReadOnlyList<JsonObject> Signups
    {
        get
        {
            lock (_gate)
            {
                return [.. _signups.Select(s => (JsonObject)s.DeepClone())];
            }
        }
    }

    private readonly List<(string TagId, string PersonId)> _posted = [];

    public static async Task<FakeActionNetwork> StartAsync(string apiKey = "an-test-key")
    {
        var fake = new FakeActionNetwork(apiKey);
        await fake._app.StartAsync();
        fake.BaseUrl = fake._app.Urls.Single().TrimEnd('/') + "/api/v2/";
        return fake;
    }

    public FakeAnPerson AddPerson(string? givenName, string? familyName, string? phone, string? phoneStatus = "subscribed", string? postalCode = null)
    {
        var person = new FakeAnPerson(Guid.NewGuid().ToString(), givenName, familyName, phone, phoneStatus, postalCode);
        lock (_gate)
        {
            _people[person.Id] = person;
            _peopleOrder.Add(person.Id);
        }

        return person;
    }

    public FakeAnPerson? Person(string id)
    {
        lock (_gate)
        {
            return _people.GetValueOrDefault(id);
        }
    }

    public string AddTag(string name, IEnumerable<FakeAnPerson>? people = null)
    {
        var id = Guid.NewGuid().ToString();
        lock (_gate)
        {
            _tags[id] = name;
            _taggings.AddRange((people ?? []).Select(p => (id, p.Id)));
        }

        return id;
    }

    public string AddList(IEnumerable<FakeAnPerson> people)
    {
        var id = Guid.NewGuid().ToString();
        lock (_gate)
        {
            _lists[id] = [.. people.Select(p => p.Id)];
        }

        return id;
    }

    /// <summary>The next <paramref name="times"/> requests (of any kind, after the key is checked) answer <paramref name="status"/>.</summary>
    public void FailNext(HttpStatusCode status, int times = 1)
    {
        lock (_gate)
        {
            for (var i = 0; i < times; i++)
            {
                _faults.Enqueue(status);
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        using var reader = new StreamReader(request.Body);
        var body = await reader.ReadToEndAsync(context.RequestAborted);
        var token = request.Headers["OSDI-API-Token"].ToString();
        var (status, answer) = Answer(request.Method, request.Path.Value ?? "", request.Query, token, body);
        lock (_gate)
        {
            _requests.Add(new FakeActionNetworkRequest(request.Method, request.Path.Value ?? "", request.QueryString.Value ?? "", token.Length == 0 ? null : token, body, (int)status));
        }

        context.Response.StatusCode = (int)status;
        context.Response.ContentType = "application/hal+json";
        await context.Response.WriteAsync(answer.ToJsonString(), context.RequestAborted);
    }

    private (HttpStatusCode, JsonNode) Answer(string method, string path, IQueryCollection query, string token, string body)
    {
        if (!path.StartsWith("/api/v2", StringComparison.Ordinal))
        {
            return Error(HttpStatusCode.NotFound, "Not found");
        }

        if (token != ApiKey)
        {
            return Error(HttpStatusCode.Unauthorized, InvalidKeyMessage);
        }

        lock (_gate)
        {
            if (_faults.TryDequeue(out var fault))
            {
                return Error(fault, fault == HttpStatusCode.TooManyRequests ? "Too many requests" : "Server error");
            }
        }

        var segments = path["/api/v2".Length..].Split('/', StringSplitOptions.RemoveEmptyEntries);
        var page = int.TryParse(query["page"], NumberStyles.None, CultureInfo.InvariantCulture, out var p) && p > 0 ? p : 1;
        lock (_gate)
        {
            return (method, segments) switch
            {
                ("GET", []) => (HttpStatusCode.OK, new JsonObject
                {
                    ["motd"] = "Welcome to the Action Network OSDI API v2 Entry Point!",
                    ["_links"] = new JsonObject { ["osdi:tags"] = Href("tags"), ["osdi:people"] = Href("people"), ["osdi:lists"] = Href("lists") },
                }),
                ("GET", ["tags"]) => Paged("tags", "osdi:tags", [.. _tags.Select(t => Tag(t.Key, t.Value))], page),
                ("GET", ["tags", var id]) when _tags.TryGetValue(id, out var name) => (HttpStatusCode.OK, Tag(id, name)),
                ("GET", ["tags", var id, "taggings"]) when _tags.ContainsKey(id) =>
                    Paged($"tags/{id}/taggings", "osdi:taggings", [.. _taggings.Where(t => t.TagId == id).Select(t => Item("taggings", id, t.PersonId))], page),
                ("POST", ["tags", var id, "taggings"]) when _tags.ContainsKey(id) => PostTagging(id, body),
                ("GET", ["lists"]) => Paged("lists", "osdi:lists", [.. _lists.Keys.Select(l => new JsonObject { ["identifiers"] = Ids(l), ["name"] = $"List {l[..4]}", ["_links"] = new JsonObject { ["self"] = Href($"lists/{l}") } })], page),
                ("GET", ["lists", var id, "items"]) when _lists.TryGetValue(id, out var members) =>
                    Paged($"lists/{id}/items", "osdi:items", [.. members.Select(m => Item("items", id, m))], page),
                ("GET", ["people", var id]) when _people.TryGetValue(id, out var person) => (HttpStatusCode.OK, PersonJson(person)),
                ("POST", ["people"]) => Signup(body),
                _ => Error(HttpStatusCode.NotFound, "Not found"),
            };
        }
    }

    private (HttpStatusCode, JsonNode) PostTagging(string tagId, string body)
    {
        string? href;
        try
        {
            href = JsonNode.Parse(body)?["_links"]?["osdi:person"]?["href"]?.GetValue<string>();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            return Error(HttpStatusCode.BadRequest, "Invalid JSON");
        }

        var prefix = BaseUrl + "people/";
        if (href is null || !href.StartsWith(prefix, StringComparison.Ordinal) || !_people.ContainsKey(href[prefix.Length..]))
        {
            return Error(HttpStatusCode.BadRequest, "A tagging needs _links.osdi:person.href naming a person of this group.");
        }

        var personId = href[prefix.Length..];
        if (!_taggings.Contains((tagId, personId)))
        {
            _taggings.Add((tagId, personId));
        }

        _posted.Add((tagId, personId));
        return (HttpStatusCode.OK, Item("taggings", tagId, personId));
    }

    private (HttpStatusCode, JsonNode) Signup(string body)
    {
        JsonObject? root;
        try
        {
            root = JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return Error(HttpStatusCode.BadRequest, "Invalid JSON");
        }

        if (root?["person"] is not JsonObject person)
        {
            return Error(HttpStatusCode.BadRequest, "The signup helper takes {\"person\": {…}}.");
        }

        var emails = person["email_addresses"] as JsonArray;
        var phones = person["phone_numbers"] as JsonArray;
        if (emails?.Any(e => e?["address"] is not JsonValue) == true)
        {
            return Error(HttpStatusCode.BadRequest, "Each email address needs an address.");
        }

        if ((emails?.Count ?? 0) == 0 && (phones?.Count ?? 0) == 0)
        {
            return Error(HttpStatusCode.BadRequest, "A person needs an email address or a phone number.");
        }

        var phone = phones?.FirstOrDefault() as JsonObject;
        var number = phone?["number"]?.GetValue<string>();
        var status = phone?["status"]?.GetValue<string>();
        if (phone is not null && (number is null || number.Length < 10 || !number.All(char.IsAsciiDigit)))
        {
            return Error(HttpStatusCode.BadRequest, "phone_numbers[].number is digits with the country code.");
        }

        if (status is not null && !PhoneStatuses.Contains(status, StringComparer.Ordinal))
        {
            return Error(HttpStatusCode.BadRequest, $"'{status}' is not a phone status.");
        }

        _signups.Add((JsonObject)root.DeepClone());
        var existing = number is null ? null : _people.Values.FirstOrDefault(p => p.Phone == number);
        var given = person["given_name"]?.GetValue<string>();
        var family = person["family_name"]?.GetValue<string>();
        var postal = person["postal_addresses"]?[0]?["postal_code"]?.GetValue<string>();
        var saved = existing is null
            ? new FakeAnPerson(Guid.NewGuid().ToString(), given, family, number, status ?? "unsubscribed", postal) // new people's mobile defaults to unsubscribed
            : existing with { GivenName = given ?? existing.GivenName, FamilyName = family ?? existing.FamilyName, PhoneStatus = status ?? existing.PhoneStatus, PostalCode = postal ?? existing.PostalCode };
        if (existing is null)
        {
            _peopleOrder.Add(saved.Id);
        }

        _people[saved.Id] = saved;
        return (HttpStatusCode.OK, PersonJson(saved));
    }

    private (HttpStatusCode, JsonNode) Paged(string path, string name, List<JsonObject> items, int page)
    {
        var pages = Math.Max(1, (items.Count + PageSize - 1) / PageSize);
        var links = new JsonObject { ["self"] = Href($"{path}?page={page}") };
        if (page < pages)
        {
            links["next"] = Href($"{path}?page={page + 1}");
        }

        return (HttpStatusCode.OK, new JsonObject
        {
            ["total_pages"] = pages,
            ["per_page"] = PageSize,
            ["page"] = page,
            ["total_records"] = items.Count,
            ["_links"] = links,
            ["_embedded"] = new JsonObject { [name] = new JsonArray([.. items.Skip((page - 1) * PageSize).Take(PageSize)]) },
        });
    }

    private JsonObject Tag(string id, string name) => new() { ["identifiers"] = Ids(id), ["name"] = name, ["_links"] = new JsonObject { ["self"] = Href($"tags/{id}") } };

    private JsonObject Item(string kind, string parentId, string personId) => new()
    {
        ["identifiers"] = Ids($"{parentId[..8]}-{personId}"),
        ["_links"] = new JsonObject { ["self"] = Href($"{(kind == "items" ? "lists" : "tags")}/{parentId}/{kind}/{personId}"), ["osdi:person"] = Href($"people/{personId}") },
    };

    private JsonObject PersonJson(FakeAnPerson p)
    {
        var person = new JsonObject { ["identifiers"] = Ids(p.Id), ["given_name"] = p.GivenName, ["family_name"] = p.FamilyName };
        person["phone_numbers"] = p.Phone is null
            ? new JsonArray()
            : new JsonArray(new JsonObject { ["primary"] = true, ["number"] = p.Phone, ["number_type"] = "Mobile", ["status"] = p.PhoneStatus });
        person["postal_addresses"] = p.PostalCode is null ? new JsonArray() : new JsonArray(new JsonObject { ["primary"] = true, ["postal_code"] = p.PostalCode, ["country"] = "US" });
        person["email_addresses"] = new JsonArray();
        person["_links"] = new JsonObject { ["self"] = Href($"people/{p.Id}") };
        return person;
    }

    private static JsonArray Ids(string id) => [$"action_network:{id}"];

    private JsonObject Href(string relative) => new() { ["href"] = BaseUrl + relative };

    private static (HttpStatusCode, JsonNode) Error(HttpStatusCode status, string message) => (status, new JsonObject { ["error"] = message });
}
