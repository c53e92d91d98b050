using System.Collections.Concurrent;
using System.Text.Json;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;

namespace Chorus.Features.Integrations.ActionNetwork;

/// <summary>
/// Action Network (OSDI v2, DOMAIN.md §5.2): tags added in Chorus and survey answers become taggings, opt-outs mark
/// the person's phone "unsubscribed" through the Person Signup Helper, and START marks it "subscribed" only when the
/// settings say so. People are found by the contact's external id (an Action Network person id, as an import from
/// Action Network stores it) or else by phone through the signup helper.
/// </summary>
public sealed class ActionNetworkHandler(IHttpClientFactory clients, TimeProvider clock) : IIntegrationHandler
{
    public const string KindName = "action-network";
    public const string SecretApiKey = "apiKey";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly TimeSpan TagCacheFor = TimeSpan.FromMinutes(10);
    private readonly ConcurrentDictionary<(Guid Integration, string Tag), (string Id, DateTimeOffset At)> _tagIds = new();

    /// <summary>What one item asks of Action Network.</summary>
    public sealed record Push(string Action, string Phone, string? PersonId, string? Tag, string? Status, string? GivenName, string? FamilyName, string? PostalCode);

    public const string Tagging = "tagging";
    public const string Signup = "signup";

    public string Kind => KindName;
    public string DisplayName => "Action Network";

    public string SettingsTemplate => """
        {
          "tags": { "Volunteer prospect": "SMS volunteer prospect" },
          "onlyMappedTags": false,
          "surveyAnswers": "mapped",
          "answerTags": { "Can you volunteer?": { "Yes": "Volunteer prospect" } },
          "optIns": "ignore"
        }
        """;
    public IReadOnlyList<string> SecretNames => [SecretApiKey];

    public IReadOnlyList<Problem> Validate(JsonElement settings, IReadOnlyDictionary<string, string> secrets)
    {
        var problems = new List<Problem>();
        if (!secrets.TryGetValue(SecretApiKey, out var key) || string.IsNullOrWhiteSpace(key))
        {
            problems.Add(new Problem("Action Network needs an API key (Start Organizing → Details → API & Sync); it is sent as OSDI-API-Token.", $"secrets.{SecretApiKey}"));
        }

        ActionNetworkSettings.Parse(settings, problems);
        return problems;
    }

    public ValueTask<IReadOnlyList<PlannedDelivery>> PlanAsync(IntegrationContext integration, IntegrationEvent e, AppDbContext db, CancellationToken ct)
    {
        var settings = ActionNetworkSettings.From(integration.Settings);
        var contact = e.Contact;
        var phone = e.Phone ?? contact?.Phone;
        if (phone is null)
        {
            return ValueTask.FromResult<IReadOnlyList<PlannedDelivery>>([]);
        }

        var subject = contact is null ? $"phone:{phone}" : $"contact:{contact.Id}";
        var personId = ActionNetworkClient.PersonIdFrom(contact?.ExternalId);
        PlannedDelivery Item(string key, string action, string? tag, string? status) =>
            new(key, subject, JsonSerializer.Serialize(new Push(action, phone, personId, tag, status, contact?.FirstName, contact?.LastName, contact?.Zip), Json));

        var items = new List<PlannedDelivery>();
        switch (e.Kind)
        {
            case IntegrationEvent.Tagged when contact is not null && e.Data.TryGetProperty("added", out var added) && added.ValueKind == JsonValueKind.Array:
                foreach (var chorusTag in added.EnumerateArray().Where(t => t.ValueKind == JsonValueKind.String).Select(t => t.GetString()!))
                {
                    if (settings.TagFor(chorusTag) is { } tag)
                    {
                        items.Add(Item($"tag:{DeliveryResult.Truncate(chorusTag, 150)}", Tagging, tag, null));
                    }
                }

                break;
            case IntegrationEvent.SurveyAnswered when contact is not null:
                if (settings.TagFor(Text(e.Data, "question"), Text(e.Data, "answer")) is { } answerTag)
                {
                    items.Add(Item("answer", Tagging, answerTag, null));
                }

                break;
            case IntegrationEvent.OptedOut:
                items.Add(Item("unsubscribe", Signup, null, "unsubscribed"));
                break;
            case IntegrationEvent.OptedIn when settings.OptIns == "subscribe":
                items.Add(Item("subscribe", Signup, null, "subscribed"));
                break;
        }

        return ValueTask.FromResult<IReadOnlyList<PlannedDelivery>>(items);
    }

    public async Task<DeliveryResult> DeliverAsync(IntegrationContext integration, IntegrationDelivery delivery, CancellationToken ct)
    {
        if (JsonSerializer.Deserialize<Push>(delivery.Payload, Json) is not { } push)
        {
            return DeliveryResult.Permanent("The item's payload is not an Action Network push.");
        }

        var client = Client(integration);
        if (push.Action == Signup)
        {
            var signed = await client.SignupAsync(push.Phone, push.GivenName, push.FamilyName, push.PostalCode, push.Status, ct);
            return signed.Failure ?? DeliveryResult.Success($"200 person {signed.Value}: phone {push.Status}");
        }

        if (push.Action != Tagging || string.IsNullOrWhiteSpace(push.Tag))
        {
            return DeliveryResult.Permanent($"Unknown Action Network push '{push.Action}'.");
        }

        // The tag first: when it does not exist nobody is created in Action Network for nothing.
        var tagId = await TagIdAsync(integration, client, push.Tag, ct);
        if (tagId.Failure is { } tagFailure)
        {
            return tagFailure;
        }

        if (tagId.Value is null)
        {
            return DeliveryResult.Permanent($"Action Network has no tag named '{push.Tag}'. Create it there (or change the mapping), then replay this item.");
        }

        var personId = push.PersonId;
        if (personId is null)
        {
            var found = await client.SignupAsync(push.Phone, push.GivenName, push.FamilyName, push.PostalCode, status: null, ct);
            if (found.Failure is { } signupFailure)
            {
                return signupFailure;
            }

            personId = found.Value!;
        }

        var tagged = await client.TagAsync(tagId.Value, personId, ct);
        if (tagged.Failure is { } failure)
        {
            if (failure.Outcome == DeliveryOutcome.Permanent && failure.Response?.StartsWith("404", StringComparison.Ordinal) == true)
            {
                _tagIds.TryRemove(TagKey(integration, push.Tag), out _); // the tag was deleted: look it up again next time
            }

            return failure;
        }

        return DeliveryResult.Success(DeliveryResult.Truncate($"200 tagged person {personId} with '{push.Tag}' ({tagId.Value}) {ActionNetworkClient.Link(tagged.Value, "self")}".TrimEnd(), IntegrationDelivery.MaxResponseLength));
    }

    public async Task<DeliveryResult> TestAsync(IntegrationContext integration, CancellationToken ct)
    {
        var answer = await Client(integration).EntryPointAsync(ct);
        if (answer.Failure is { } failure)
        {
            return failure;
        }

        var motd = answer.Value.ValueKind == JsonValueKind.Object && answer.Value.TryGetProperty("motd", out var m) && m.ValueKind == JsonValueKind.String ? m.GetString() : null;
        return DeliveryResult.Success(motd ?? "Action Network answered.");
    }

    public ActionNetworkClient Client(IntegrationContext integration) =>
        new(clients.CreateClient(ActionNetworkClient.HttpClientName), ActionNetworkSettings.From(integration.Settings).BaseUrl, integration.Secret(SecretApiKey) ?? "");

    private async Task<AnAnswer<string?>> TagIdAsync(IntegrationContext integration, ActionNetworkClient client, string tag, CancellationToken ct)
    {
        var key = TagKey(integration, tag);
        var now = clock.GetUtcNow();
        if (_tagIds.TryGetValue(key, out var cached) && now - cached.At < TagCacheFor)
        {
            return new AnAnswer<string?>(cached.Id, null);
        }

        var found = await client.FindTagAsync(tag, ct);
        if (found.Value is { } id)
        {
            _tagIds[key] = (id, now);
        }

        return found;
    }

    private static (Guid, string) TagKey(IntegrationContext integration, string tag) => (integration.Integration.Id, tag.Trim().ToUpperInvariant());

    private static string? Text(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
