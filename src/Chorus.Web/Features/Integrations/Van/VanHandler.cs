using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;

namespace Chorus.Features.Integrations.Van;

/// <summary>
/// NGP VAN / EveryAction (API v4). Each outcome a texter records becomes one canvass response on the person whose
/// VANID the contact carries (<see cref="Contacts.Contact.ExternalId"/>, set by the importer from a VANID column): a
/// survey answer as a <c>SurveyResponse</c>, an opt-out as the "Do Not Text" result code, the wrong-number tag as
/// the "Wrong Number" result code, a mapped tag as an <c>ActivistCode</c> "Apply". Result codes, the contact type and
/// the input type are resolved by name from VAN's lookups at delivery (ids differ per VAN committee); survey and
/// activist-code ids come from the integration's mapping. A canvass response carries a result code or responses,
/// never both.
/// </summary>
public sealed class VanHandler(IHttpClientFactory clients, VanCache cache) : IIntegrationHandler
{
    public const string KindName = "van";
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public string Kind => KindName;
    public string DisplayName => "NGP VAN / EveryAction";
    public IReadOnlyList<string> SecretNames => ["applicationName", "apiKey"];

    /// <summary>The survey-question and activist-code mappings are easier made with "VAN mapping" on the page, from VAN's lookups.</summary>
    public string SettingsTemplate => """
        {
          "mode": "MyCampaign",
          "wrongNumberTag": "Wrong number"
        }
        """;

    /// <summary>What an item asks VAN for; stored as the delivery's payload (so the log shows it).</summary>
    public sealed record Push(
        string Kind, long VanId, string? Phone, DateTime DateCanvassed, int? SurveyQuestionId = null, int? SurveyResponseId = null, string? ResultCode = null,
        int? ActivistCodeId = null, string? Question = null, string? Answer = null, string? Tag = null, string? Problem = null)
    {
        public const string Survey = "surveyResponse";
        public const string Result = "resultCode";
        public const string ActivistCode = "activistCode";
        public const string Unmapped = "unmapped";
    }

    public IReadOnlyList<Problem> Validate(JsonElement settings, IReadOnlyDictionary<string, string> secrets)
    {
        var (_, problems) = VanSettings.Parse(settings);
        if (!secrets.ContainsKey("applicationName"))
        {
            problems.Add(new Problem("VAN needs the application name the API key was issued to (secrets.applicationName).", "secrets.applicationName"));
        }

        if (!secrets.ContainsKey("apiKey"))
        {
            problems.Add(new Problem("VAN needs an API key (secrets.apiKey), without the |0 or |1: settings.mode says which.", "secrets.apiKey"));
        }
        else if (secrets["apiKey"].EndsWith("|0", StringComparison.Ordinal) || secrets["apiKey"].EndsWith("|1", StringComparison.Ordinal))
        {
            problems.Add(new Problem("Give the API key without its |0 or |1 ending: settings.mode (MyVoters or MyCampaign) adds it.", "secrets.apiKey"));
        }

        return problems;
    }

    public ValueTask<IReadOnlyList<PlannedDelivery>> PlanAsync(IntegrationContext integration, IntegrationEvent e, AppDbContext db, CancellationToken ct)
    {
        // Only contacts that came from VAN (with a VANID) can be written back; everything else has no person there.
        if (e.Contact is not { } contact || !long.TryParse(contact.ExternalId.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var vanId) || vanId <= 0)
        {
            return ValueTask.FromResult<IReadOnlyList<PlannedDelivery>>([]);
        }

        var (settings, _) = VanSettings.Parse(integration.Settings);
        var subject = $"contact:{contact.Id} vanid:{vanId}";
        var phone = e.Phone ?? contact.Phone;
        var items = new List<PlannedDelivery>();
        switch (e.Kind)
        {
            case IntegrationEvent.SurveyAnswered:
                if (!Guid.TryParse(Str(e.Data, "stepId"), out var stepId) || !settings.SurveyQuestions.TryGetValue(stepId, out var mapping))
                {
                    break; // a question the integration does not map is not VAN's business
                }

                var question = Str(e.Data, "question");
                var answer = Str(e.Data, "answer") ?? "";
                items.Add(mapping.Responses.TryGetValue(answer.Trim(), out var responseId)
                    ? Item($"van.survey:{stepId:N}:{responseId}", new Push(Push.Survey, vanId, phone, e.OccurredUtc, mapping.SurveyQuestionId, responseId, Question: question, Answer: answer))
                    : Item($"van.survey:{stepId:N}:unmapped", new Push(Push.Unmapped, vanId, phone, e.OccurredUtc, mapping.SurveyQuestionId, Question: question, Answer: answer,
                        Problem: $"The answer '{answer}' to '{question ?? stepId.ToString()}' has no VAN survey response in the mapping (settings.surveyQuestions.{stepId}.responses); map it, then run a catch-up.")));
                break;
            case IntegrationEvent.OptedOut:
                items.Add(Item("van.do-not-text", new Push(Push.Result, vanId, phone, e.OccurredUtc, ResultCode: settings.DoNotTextResultCode)));
                break;
            case IntegrationEvent.Tagged:
                foreach (var tag in (e.Data.TryGetProperty("added", out var added) && added.ValueKind == JsonValueKind.Array ? added.EnumerateArray() : default)
                    .Select(t => t.ValueKind == JsonValueKind.String ? t.GetString()!.Trim() : "").Where(t => t.Length > 0))
                {
                    if (string.Equals(tag, settings.WrongNumberTag, StringComparison.OrdinalIgnoreCase))
                    {
                        items.Add(Item("van.wrong-number", new Push(Push.Result, vanId, phone, e.OccurredUtc, ResultCode: settings.WrongNumberResultCode, Tag: tag)));
                    }

                    if (settings.ActivistCodes.TryGetValue(tag, out var activistCodeId))
                    {
                        items.Add(Item($"van.activist-code:{activistCodeId}", new Push(Push.ActivistCode, vanId, phone, e.OccurredUtc, ActivistCodeId: activistCodeId, Tag: tag)));
                    }
                }

                break;
        }

        return ValueTask.FromResult<IReadOnlyList<PlannedDelivery>>(items);

        PlannedDelivery Item(string key, Push push) => new(key, subject, JsonSerializer.Serialize(push, Json));
    }

    public async Task<DeliveryResult> DeliverAsync(IntegrationContext integration, IntegrationDelivery delivery, CancellationToken ct)
    {
        var push = JsonSerializer.Deserialize<Push>(delivery.Payload, Json);
        if (push is null || push.Kind == Push.Unmapped)
        {
            return DeliveryResult.Permanent(push?.Problem ?? "The item cannot be read.");
        }

        if (VanApi.For(clients, integration) is not { } api)
        {
            return DeliveryResult.Unauthorized("The integration has no VAN application name or API key.");
        }

        var (lookups, failure) = await cache.CanvassLookupsAsync(api, integration.Integration, ct);
        if (failure is not null)
        {
            return failure.ToResult();
        }

        var settings = api.Settings;
        if (VanCanvassLookups.Find(lookups!.ContactTypes, settings.ContactType) is not { } contactTypeId)
        {
            return DeliveryResult.Permanent($"VAN has no contact type named '{settings.ContactType}' (it has {VanCanvassLookups.Names(lookups.ContactTypes)}); set settings.contactType.");
        }

        if (VanCanvassLookups.Find(lookups.InputTypes, settings.InputType) is not { } inputTypeId)
        {
            return DeliveryResult.Permanent($"VAN has no input type named '{settings.InputType}' (it has {VanCanvassLookups.Names(lookups.InputTypes)}); set settings.inputType.");
        }

        int? resultCodeId = null;
        if (push.Kind == Push.Result)
        {
            resultCodeId = VanCanvassLookups.Find(lookups.ResultCodes, push.ResultCode ?? "");
            if (resultCodeId is null)
            {
                return DeliveryResult.Permanent($"VAN has no result code named '{push.ResultCode}' (it has {VanCanvassLookups.Names(lookups.ResultCodes)}); correct the name in the settings.");
            }
        }

        var (phoneId, phoneFailure) = await cache.PhoneIdAsync(api, integration.Integration.Id, push.VanId, push.Phone, ct);
        if (phoneFailure is not null)
        {
            return phoneFailure.Status == 404
                ? DeliveryResult.Permanent($"VAN has no person with VANID {push.VanId} in this database ({settings.Mode}): {phoneFailure.Message}", phoneFailure.Summary)
                : phoneFailure.ToResult();
        }

        var body = CanvassResponse(push, contactTypeId, inputTypeId, resultCodeId, phoneId);
        var path = $"people/{push.VanId.ToString(CultureInfo.InvariantCulture)}/canvassResponses";
        var answer = await api.PostAsync(path, body, ct);
        return answer.ToResult($"{answer.Summary}\nsent POST {path} {body.ToJsonString()}");
    }

    public async Task<DeliveryResult> TestAsync(IntegrationContext integration, CancellationToken ct)
    {
        if (VanApi.For(clients, integration) is not { } api)
        {
            return DeliveryResult.Unauthorized("The integration has no VAN application name or API key.");
        }

        var answer = await api.PostAsync("echoes", new JsonObject { ["message"] = "Hello, world!" }, ct);
        return answer.ToResult();
    }

    /// <summary>
    /// The body of <c>POST people/{vanId}/canvassResponses</c>: the canvass context (SMS Text, API, when, which phone)
    /// and either the result code or the responses — VAN refuses both ("if responses are specified, resultCodeId must be null").
    /// </summary>
    internal static JsonObject CanvassResponse(Push push, int contactTypeId, int inputTypeId, int? resultCodeId, int? phoneId)
    {
        var context = new JsonObject
        {
            ["contactTypeId"] = contactTypeId,
            ["inputTypeId"] = inputTypeId,
            ["dateCanvassed"] = DateTime.SpecifyKind(push.DateCanvassed, DateTimeKind.Utc).ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture),
        };
        if (phoneId is { } id)
        {
            context["phoneId"] = id;
        }
        else if (push.Phone is { } phone && phone.StartsWith("+1", StringComparison.Ordinal) && phone.Length == 12)
        {
            // VAN does not have this number for the person: say which number it was (VAN may add it).
            context["phone"] = new JsonObject { ["dialingPrefix"] = "1", ["phoneNumber"] = phone[2..] };
        }

        var body = new JsonObject { ["canvassContext"] = context };
        if (resultCodeId is { } resultCode)
        {
            body["resultCodeId"] = resultCode;
        }
        else if (push.Kind == Push.Survey)
        {
            body["responses"] = new JsonArray(new JsonObject
            {
                ["type"] = "SurveyResponse",
                ["surveyQuestionId"] = push.SurveyQuestionId,
                ["surveyResponseId"] = push.SurveyResponseId,
            });
        }
        else
        {
            body["responses"] = new JsonArray(new JsonObject { ["type"] = "ActivistCode", ["action"] = "Apply", ["activistCodeId"] = push.ActivistCodeId });
        }

        return body;
    }

    private static string? Str(JsonElement data, string name) =>
        data.ValueKind == JsonValueKind.Object && data.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
