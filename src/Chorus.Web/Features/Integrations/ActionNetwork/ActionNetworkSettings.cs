using System.Text.Json;
using Chorus.Infrastructure.Http;

namespace Chorus.Features.Integrations.ActionNetwork;

/// <summary>
/// An Action Network integration's settings (plain JSON, never secret):
/// <code>
/// {
///   "baseUrl": "https://actionnetwork.org/api/v2/",
///   "tags": { "Volunteer": "Volunteer prospect", "Internal": null },
///   "onlyMappedTags": false,
///   "surveyAnswers": "mapped",
///   "answerTags": { "Can you volunteer?": { "Yes": "Volunteer prospect" } },
///   "optIns": "ignore",
///   "skipUnsubscribedPhones": true
/// }
/// </code>
/// </summary>
public sealed record ActionNetworkSettings(
    Uri BaseUrl,
    IReadOnlyDictionary<string, string?> Tags,
    bool OnlyMappedTags,
    string SurveyAnswers,
    IReadOnlyDictionary<string, IReadOnlyDictionary<string, string>> AnswerTags,
    string OptIns,
    bool SkipUnsubscribedPhones)
{
    public const string DefaultBaseUrl = "https://actionnetwork.org/api/v2/";

    /// <summary>Survey answers: only those in <c>answerTags</c> (default), every answer as "question: answer", or none.</summary>
    public static readonly IReadOnlyList<string> SurveyAnswerModes = ["mapped", "all", "none"];

    /// <summary>START after an opt-out: nothing (default; re-subscribing someone in the CRM is a consent decision), or "subscribed".</summary>
    public static readonly IReadOnlyList<string> OptInModes = ["ignore", "subscribe"];

    public const int MaxTagLength = 200;

    /// <summary>The Action Network tag a Chorus tag becomes: its mapping, else the same name (null: not pushed).</summary>
    public string? TagFor(string chorusTag)
    {
        if (Tags.TryGetValue(chorusTag, out var mapped))
        {
            return string.IsNullOrWhiteSpace(mapped) ? null : mapped.Trim();
        }

        return OnlyMappedTags ? null : chorusTag;
    }

    /// <summary>The Action Network tag a survey answer becomes, per <see cref="SurveyAnswers"/>; null when it is not pushed.</summary>
    public string? TagFor(string? question, string? answer)
    {
        if (SurveyAnswers == "none" || string.IsNullOrWhiteSpace(answer))
        {
            return null;
        }

        if (question is not null && AnswerTags.TryGetValue(question, out var answers) && answers.TryGetValue(answer, out var tag) && !string.IsNullOrWhiteSpace(tag))
        {
            return tag.Trim();
        }

        if (SurveyAnswers != "all")
        {
            return null;
        }

        var name = string.IsNullOrWhiteSpace(question) ? answer.Trim() : $"{question.Trim()}: {answer.Trim()}";
        return name.Length > MaxTagLength ? name[..MaxTagLength] : name;
    }

    /// <summary>Reads settings the handler validated; anything missing takes its default.</summary>
    public static ActionNetworkSettings From(JsonElement settings)
    {
        var problems = new List<Problem>();
        return Parse(settings, problems);
    }

    public static ActionNetworkSettings Parse(JsonElement s, List<Problem> problems)
    {
        var isObject = s.ValueKind == JsonValueKind.Object;
        JsonElement Get(string name) => isObject && s.TryGetProperty(name, out var v) ? v : default;

        var baseUrl = new Uri(DefaultBaseUrl);
        var rawBase = Get("baseUrl");
        if (rawBase.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(rawBase.GetString()))
        {
            var text = rawBase.GetString()!.Trim();
            if (Uri.TryCreate(text.EndsWith('/') ? text : text + "/", UriKind.Absolute, out var parsed) && parsed.Scheme is "https" or "http" && parsed.Query.Length == 0)
            {
                baseUrl = parsed;
            }
            else
            {
                problems.Add(new Problem("baseUrl is the Action Network API's address, e.g. https://actionnetwork.org/api/v2/.", "settings.baseUrl"));
            }
        }
        else if (rawBase.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null or JsonValueKind.String))
        {
            problems.Add(new Problem("baseUrl is text, e.g. https://actionnetwork.org/api/v2/.", "settings.baseUrl"));
        }

        var tags = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        var rawTags = Get("tags");
        if (rawTags.ValueKind == JsonValueKind.Object)
        {
            foreach (var tag in rawTags.EnumerateObject())
            {
                if (tag.Value.ValueKind == JsonValueKind.String && tag.Value.GetString()!.Trim().Length <= MaxTagLength)
                {
                    tags[tag.Name] = tag.Value.GetString();
                }
                else if (tag.Value.ValueKind == JsonValueKind.Null)
                {
                    tags[tag.Name] = null;
                }
                else
                {
                    problems.Add(new Problem($"tags maps a Chorus tag to an Action Network tag name (up to {MaxTagLength} characters), or to null to keep it in Chorus; '{tag.Name}' is neither.", "settings.tags"));
                }
            }
        }
        else if (rawTags.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null))
        {
            problems.Add(new Problem("tags is an object of Chorus tag → Action Network tag name, e.g. {\"Volunteer\": \"Volunteer prospect\"}.", "settings.tags"));
        }

        var answerTags = new Dictionary<string, IReadOnlyDictionary<string, string>>(StringComparer.OrdinalIgnoreCase);
        var rawAnswers = Get("answerTags");
        if (rawAnswers.ValueKind == JsonValueKind.Object)
        {
            foreach (var question in rawAnswers.EnumerateObject())
            {
                if (question.Value.ValueKind != JsonValueKind.Object
                    || question.Value.EnumerateObject().Any(a => a.Value.ValueKind != JsonValueKind.String || a.Value.GetString()!.Trim().Length is 0 or > MaxTagLength))
                {
                    problems.Add(new Problem($"answerTags maps a question to its answers' Action Network tags, e.g. {{\"Can you volunteer?\": {{\"Yes\": \"Volunteer\"}}}}; '{question.Name}' is not like that.", "settings.answerTags"));
                    continue;
                }

                answerTags[question.Name] = question.Value.EnumerateObject().ToDictionary(a => a.Name, a => a.Value.GetString()!, StringComparer.OrdinalIgnoreCase);
            }
        }
        else if (rawAnswers.ValueKind is not (JsonValueKind.Undefined or JsonValueKind.Null))
        {
            problems.Add(new Problem("answerTags is an object of question → {answer → Action Network tag}.", "settings.answerTags"));
        }

        var surveyAnswers = Choice(Get("surveyAnswers"), SurveyAnswerModes, "surveyAnswers", problems);
        var optIns = Choice(Get("optIns"), OptInModes, "optIns", problems);
        return new ActionNetworkSettings(baseUrl, tags, Flag(Get("onlyMappedTags"), false, "onlyMappedTags", problems), surveyAnswers, answerTags, optIns,
            Flag(Get("skipUnsubscribedPhones"), true, "skipUnsubscribedPhones", problems));
    }

    private static string Choice(JsonElement value, IReadOnlyList<string> choices, string name, List<Problem> problems)
    {
        if (value.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
        {
            return choices[0];
        }

        if (value.ValueKind == JsonValueKind.String && choices.Contains(value.GetString()!.Trim(), StringComparer.Ordinal))
        {
            return value.GetString()!.Trim();
        }

        problems.Add(new Problem($"{name} is one of {string.Join(", ", choices)}.", $"settings.{name}"));
        return choices[0];
    }

    private static bool Flag(JsonElement value, bool byDefault, string name, List<Problem> problems)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.True:
                return true;
            case JsonValueKind.False:
                return false;
            case JsonValueKind.Undefined or JsonValueKind.Null:
                return byDefault;
            default:
                problems.Add(new Problem($"{name} is true or false.", $"settings.{name}"));
                return byDefault;
        }
    }
}
