using System.Globalization;
using System.Text.Json;
using Chorus.Infrastructure.Http;

namespace Chorus.Features.Integrations.Van;

/// <summary>A Chorus survey question's counterpart in VAN: its survey question and, per answer, the survey response.</summary>
public sealed record VanQuestionMapping(int SurveyQuestionId, IReadOnlyDictionary<string, int> Responses);

/// <summary>
/// A VAN integration's settings (plain JSON, never secret): the database mode, the address, the names the lookups are
/// resolved by, and the mappings from Chorus's script questions and tags to VAN's ids (which the admin picks from
/// <c>GET /integrations/{id}/van/lookups</c>). Parsed leniently once validated; <see cref="Parse"/> says what is wrong.
/// </summary>
public sealed class VanSettings
{
    public const string DefaultBaseUrl = "https://api.securevan.com/v4/";
    public const string MyVoters = "MyVoters";
    public const string MyCampaign = "MyCampaign";

    /// <summary>"MyVoters" (the voter file, <c>|0</c>) or "MyCampaign" (<c>|1</c>).</summary>
    public string Mode { get; private init; } = MyCampaign;

    /// <summary>Ends with a slash, so relative paths ("people/1") resolve under it.</summary>
    public Uri BaseUrl { get; private init; } = new(DefaultBaseUrl);

    public string ContactType { get; private init; } = "SMS Text";
    public string InputType { get; private init; } = "API";
    public string DoNotTextResultCode { get; private init; } = "Do Not Text";
    public string WrongNumberResultCode { get; private init; } = "Wrong Number";

    /// <summary>The Chorus tag that means "wrong number" (case does not matter).</summary>
    public string WrongNumberTag { get; private init; } = "Wrong number";

    /// <summary>The export job type saved lists are exported with (VAN's <c>type</c>; Spoke uses 8).</summary>
    public int ExportJobTypeId { get; private init; } = 8;

    /// <summary>By script question id (<c>stepId</c>).</summary>
    public IReadOnlyDictionary<Guid, VanQuestionMapping> SurveyQuestions { get; private init; } = new Dictionary<Guid, VanQuestionMapping>();

    /// <summary>Chorus tag name (any case) → VAN activist code id.</summary>
    public IReadOnlyDictionary<string, int> ActivistCodes { get; private init; } = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);

    /// <summary>The digit after the API key: 0 for My Voters, 1 for My Campaign.</summary>
    public int ModeDigit => Mode == MyVoters ? 0 : 1;

    /// <summary>The settings, and every problem with them (field names like <c>settings.mode</c>).</summary>
    public static (VanSettings Settings, List<Problem> Problems) Parse(JsonElement json)
    {
        var problems = new List<Problem>();
        if (json.ValueKind != JsonValueKind.Object)
        {
            return (new VanSettings(), [new Problem("settings is a JSON object.", "settings")]);
        }

        var mode = Text(json, "mode", problems);
        if (mode is null)
        {
            problems.Add(new Problem($"Say which VAN database the key is for: settings.mode is \"{MyVoters}\" (the voter file, key|0) or \"{MyCampaign}\" (key|1).", "settings.mode"));
        }
        else if (mode is not (MyVoters or MyCampaign))
        {
            problems.Add(new Problem($"settings.mode is \"{MyVoters}\" or \"{MyCampaign}\", not \"{mode}\".", "settings.mode"));
        }

        var baseUrl = new Uri(DefaultBaseUrl);
        if (Text(json, "baseUrl", problems) is { } url)
        {
            if (Uri.TryCreate(url, UriKind.Absolute, out var parsed) && (parsed.Scheme == Uri.UriSchemeHttps || parsed.Scheme == Uri.UriSchemeHttp) && parsed.Query.Length == 0)
            {
                baseUrl = parsed.AbsoluteUri.EndsWith('/') ? parsed : new Uri(parsed.AbsoluteUri + "/");
            }
            else
            {
                problems.Add(new Problem($"settings.baseUrl is the address of VAN's API, such as {DefaultBaseUrl}.", "settings.baseUrl"));
            }
        }

        var exportJobTypeId = 8;
        if (json.TryGetProperty("exportJobTypeId", out var type) && type.ValueKind != JsonValueKind.Null)
        {
            if (type.ValueKind != JsonValueKind.Number || !type.TryGetInt32(out exportJobTypeId) || exportJobTypeId <= 0)
            {
                problems.Add(new Problem("settings.exportJobTypeId is a positive whole number (VAN's export job type).", "settings.exportJobTypeId"));
                exportJobTypeId = 8;
            }
        }

        var settings = new VanSettings
        {
            Mode = mode is MyVoters ? MyVoters : MyCampaign,
            BaseUrl = baseUrl,
            ContactType = Text(json, "contactType", problems) ?? "SMS Text",
            InputType = Text(json, "inputType", problems) ?? "API",
            DoNotTextResultCode = Text(json, "doNotTextResultCode", problems) ?? "Do Not Text",
            WrongNumberResultCode = Text(json, "wrongNumberResultCode", problems) ?? "Wrong Number",
            WrongNumberTag = Text(json, "wrongNumberTag", problems) ?? "Wrong number",
            ExportJobTypeId = exportJobTypeId,
            SurveyQuestions = Questions(json, problems),
            ActivistCodes = ActivistCodeMap(json, problems),
        };
        return (settings, problems);
    }

    private static string? Text(JsonElement json, string name, List<Problem> problems)
    {
        if (!json.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String || string.IsNullOrWhiteSpace(value.GetString()) || value.GetString()!.Length > 200)
        {
            problems.Add(new Problem($"settings.{name} is text (up to 200 characters), or left out for the default.", $"settings.{name}"));
            return null;
        }

        return value.GetString()!.Trim();
    }

    private static Dictionary<Guid, VanQuestionMapping> Questions(JsonElement json, List<Problem> problems)
    {
        var mappings = new Dictionary<Guid, VanQuestionMapping>();
        if (!json.TryGetProperty("surveyQuestions", out var questions) || questions.ValueKind == JsonValueKind.Null)
        {
            return mappings;
        }

        const string shape = "settings.surveyQuestions maps each script question's stepId to {\"surveyQuestionId\": 123, \"responses\": {\"Yes\": 456, \"No\": 457}}.";
        if (questions.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new Problem(shape, "settings.surveyQuestions"));
            return mappings;
        }

        foreach (var question in questions.EnumerateObject())
        {
            var field = $"settings.surveyQuestions.{question.Name}";
            if (!Guid.TryParse(question.Name, out var stepId))
            {
                problems.Add(new Problem($"'{question.Name}' is not a script question's stepId (a GUID). {shape}", field));
                continue;
            }

            if (question.Value.ValueKind != JsonValueKind.Object || Id(question.Value, "surveyQuestionId") is not { } surveyQuestionId)
            {
                problems.Add(new Problem($"Question {stepId}: surveyQuestionId is a positive whole number. {shape}", field));
                continue;
            }

            var responses = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
            if (question.Value.TryGetProperty("responses", out var answers) && answers.ValueKind != JsonValueKind.Null)
            {
                if (answers.ValueKind != JsonValueKind.Object)
                {
                    problems.Add(new Problem($"Question {stepId}: responses maps each answer to a VAN surveyResponseId. {shape}", field));
                    continue;
                }

                foreach (var answer in answers.EnumerateObject())
                {
                    if (answer.Value.ValueKind == JsonValueKind.Number && answer.Value.TryGetInt32(out var responseId) && responseId > 0 && answer.Name.Trim().Length > 0)
                    {
                        responses[answer.Name.Trim()] = responseId;
                    }
                    else
                    {
                        problems.Add(new Problem($"Question {stepId}: the answer '{answer.Name}' maps to a positive whole number (a VAN surveyResponseId).", field));
                    }
                }
            }

            mappings[stepId] = new VanQuestionMapping(surveyQuestionId, responses);
        }

        return mappings;
    }

    private static Dictionary<string, int> ActivistCodeMap(JsonElement json, List<Problem> problems)
    {
        var codes = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        if (!json.TryGetProperty("activistCodes", out var map) || map.ValueKind == JsonValueKind.Null)
        {
            return codes;
        }

        if (map.ValueKind != JsonValueKind.Object)
        {
            problems.Add(new Problem("settings.activistCodes maps a tag name to a VAN activistCodeId, e.g. {\"Volunteer\": 4321}.", "settings.activistCodes"));
            return codes;
        }

        foreach (var tag in map.EnumerateObject())
        {
            if (tag.Value.ValueKind == JsonValueKind.Number && tag.Value.TryGetInt32(out var id) && id > 0 && tag.Name.Trim().Length > 0)
            {
                codes[tag.Name.Trim()] = id;
            }
            else
            {
                problems.Add(new Problem($"settings.activistCodes: the tag '{tag.Name}' maps to a positive whole number (a VAN activistCodeId).", "settings.activistCodes"));
            }
        }

        return codes;
    }

    private static int? Id(JsonElement json, string name) =>
        json.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var id) && id > 0 ? id
        : json.TryGetProperty(name, out value) && value.ValueKind == JsonValueKind.String && int.TryParse(value.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out id) && id > 0 ? id
        : null;
}
