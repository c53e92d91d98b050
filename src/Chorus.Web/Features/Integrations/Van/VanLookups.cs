using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Caching.Memory;

namespace Chorus.Features.Integrations.Van;

/// <summary>Something VAN names and numbers: a contact type, a result code, an activist code, a survey response.</summary>
public sealed record VanNamed(int Id, string Name);

public sealed record VanSurveyQuestion(int Id, string Name, string? ScriptQuestion, IReadOnlyList<VanNamed> Responses);

/// <summary>What a canvass response needs resolved by name: contact types, input types and result codes.</summary>
public sealed record VanCanvassLookups(IReadOnlyList<VanNamed> ContactTypes, IReadOnlyList<VanNamed> InputTypes, IReadOnlyList<VanNamed> ResultCodes)
{
    /// <summary>The id of the one named <paramref name="name"/> (ignoring case), or null.</summary>
    public static int? Find(IReadOnlyList<VanNamed> items, string name) =>
        items.FirstOrDefault(i => string.Equals(i.Name.Trim(), name.Trim(), StringComparison.OrdinalIgnoreCase))?.Id;

    public static string Names(IReadOnlyList<VanNamed> items) => items.Count == 0 ? "none" : string.Join(", ", items.Select(i => $"'{i.Name}'"));
}

/// <summary>Everything the mapping screen offers: the canvass lookups plus active survey questions and activist codes.</summary>
public sealed record VanAllLookups(VanCanvassLookups Canvass, IReadOnlyList<VanSurveyQuestion> SurveyQuestions, IReadOnlyList<VanNamed> ActivistCodes);

/// <summary>
/// Reads VAN's lookups and a person's phones, and keeps them for a while per integration (lookups five minutes,
/// phones half an hour), so a burst of canvass responses costs VAN one person read each and a few lookup calls in all.
/// The cache key includes the integration's last change, so new settings or credentials read afresh. Failures are
/// never kept.
/// </summary>
public sealed class VanCache : IDisposable
{
    public static readonly TimeSpan LookupLifetime = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan PhoneLifetime = TimeSpan.FromMinutes(30);
    private const int MaxPages = 50;
    private readonly MemoryCache _cache = new(new MemoryCacheOptions { SizeLimit = 200_000 });

    public async Task<(VanCanvassLookups? Lookups, VanAnswer? Failure)> CanvassLookupsAsync(VanApi api, Integration integration, CancellationToken ct)
    {
        var key = $"van:canvass:{Version(integration)}";
        if (_cache.TryGetValue(key, out VanCanvassLookups? cached) && cached is not null)
        {
            return (cached, null);
        }

        var lists = new List<IReadOnlyList<VanNamed>>();
        foreach (var (path, id) in new[] { ("canvassResponses/contactTypes", "contactTypeId"), ("canvassResponses/inputTypes", "inputTypeId"), ("canvassResponses/resultCodes", "resultCodeId") })
        {
            var (items, failure) = await ReadAllAsync(api, path, ct);
            if (failure is not null)
            {
                return (null, failure);
            }

            lists.Add([.. items.Select(i => Named(i, id)).OfType<VanNamed>()]);
        }

        var lookups = new VanCanvassLookups(lists[0], lists[1], lists[2]);
        _cache.Set(key, lookups, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = LookupLifetime, Size = 1 });
        return (lookups, null);
    }

    public async Task<(VanAllLookups? Lookups, VanAnswer? Failure)> AllLookupsAsync(VanApi api, Integration integration, CancellationToken ct)
    {
        var key = $"van:all:{Version(integration)}";
        if (_cache.TryGetValue(key, out VanAllLookups? cached) && cached is not null)
        {
            return (cached, null);
        }

        var (canvass, failure) = await CanvassLookupsAsync(api, integration, ct);
        if (failure is not null)
        {
            return (null, failure);
        }

        var (questions, questionFailure) = await ReadAllAsync(api, "surveyQuestions?statuses=Active&$top=200", ct);
        if (questionFailure is not null)
        {
            return (null, questionFailure);
        }

        var (codes, codeFailure) = await ReadAllAsync(api, "activistCodes?statuses=Active&$top=200", ct);
        if (codeFailure is not null)
        {
            return (null, codeFailure);
        }

        var all = new VanAllLookups(
            canvass!,
            [.. questions.Select(q => Named(q, "surveyQuestionId") is { } named
                ? new VanSurveyQuestion(named.Id, named.Name, q["scriptQuestion"]?.ToString(),
                    [.. (q["responses"] as JsonArray ?? []).OfType<JsonObject>().Select(r => Named(r, "surveyResponseId")).OfType<VanNamed>()])
                : null).OfType<VanSurveyQuestion>()],
            [.. codes.Select(c => Named(c, "activistCodeId")).OfType<VanNamed>()]);
        _cache.Set(key, all, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = LookupLifetime, Size = 1 });
        return (all, null);
    }

    /// <summary>
    /// The VAN phone id of <paramref name="phoneE164"/> on the person, null when VAN does not have that number for
    /// them (the canvass context then carries the number itself); a failure when VAN did not answer or has no such person.
    /// </summary>
    public async Task<(int? PhoneId, VanAnswer? Failure)> PhoneIdAsync(VanApi api, Guid integrationId, long vanId, string? phoneE164, CancellationToken ct)
    {
        var key = $"van:phones:{integrationId}:{vanId}";
        if (!_cache.TryGetValue(key, out List<(int PhoneId, string Digits)>? phones) || phones is null)
        {
            var answer = await api.GetAsync($"people/{vanId.ToString(CultureInfo.InvariantCulture)}?$expand=phones", ct);
            if (!answer.Ok)
            {
                return (null, answer);
            }

            phones = [.. (VanApi.Parse(answer)?["phones"] as JsonArray ?? []).OfType<JsonObject>()
                .Select(p => (Id: Int(p["phoneId"]), Digits: Digits(p["phoneNumber"]?.ToString(), p["dialingPrefix"]?.ToString() ?? p["countryCode"]?.ToString())))
                .Where(p => p.Id is not null).Select(p => (p.Id!.Value, p.Digits))];
            _cache.Set(key, phones, new MemoryCacheEntryOptions { AbsoluteExpirationRelativeToNow = PhoneLifetime, Size = 1 });
        }

        var wanted = phoneE164 is null ? "" : Digits(phoneE164, null);
        return (phones.Where(p => p.Digits.Length > 0 && p.Digits == wanted).Select(p => (int?)p.PhoneId).FirstOrDefault(), null);
    }

    public void Dispose() => _cache.Dispose();

    // Changed settings or credentials read afresh, whatever the clock says.
    private static string Version(Integration integration) =>
        $"{integration.Id}:{integration.UpdatedUtc.Ticks}:{integration.Settings.GetHashCode(StringComparison.Ordinal)}:{(integration.SecretsProtected ?? "").GetHashCode(StringComparison.Ordinal)}";

    /// <summary>International digits: "+1 (202) 555-0123", "2025550123" with prefix 1, and "12025550123" all become "12025550123".</summary>
    internal static string Digits(string? number, string? dialingPrefix)
    {
        var digits = new string((number ?? "").Where(char.IsAsciiDigit).ToArray());
        var prefix = new string((dialingPrefix ?? "").Where(char.IsAsciiDigit).ToArray());
        if (digits.Length == 0)
        {
            return "";
        }

        if (number!.TrimStart().StartsWith('+'))
        {
            return digits;
        }

        // VAN keeps US and Canadian numbers as ten digits; a bare ten-digit number is North American.
        if (prefix.Length == 0 && digits.Length == 10)
        {
            prefix = "1";
        }

        return prefix.Length > 0 && !(digits.Length > 10 && digits.StartsWith(prefix, StringComparison.Ordinal)) ? prefix + digits : digits;
    }

    // VAN's list endpoints answer either an array or a page {items, count, nextPageLink}; pages are followed.
    private static async Task<(List<JsonObject> Items, VanAnswer? Failure)> ReadAllAsync(VanApi api, string path, CancellationToken ct)
    {
        var items = new List<JsonObject>();
        string? next = path;
        for (var page = 0; next is not null && page < MaxPages; page++)
        {
            var answer = await api.GetAsync(next, ct);
            if (!answer.Ok)
            {
                return (items, answer);
            }

            var json = VanApi.Parse(answer);
            var array = json as JsonArray ?? json?["items"] as JsonArray ?? [];
            items.AddRange(array.OfType<JsonObject>());
            next = json is JsonObject { } pageObject && pageObject["nextPageLink"]?.ToString() is { Length: > 0 } link ? link : null;
        }

        return (items, null);
    }

    private static VanNamed? Named(JsonObject item, string idProperty) =>
        Int(item[idProperty]) is { } id ? new VanNamed(id, item["name"]?.ToString() ?? item["mediumName"]?.ToString() ?? id.ToString(CultureInfo.InvariantCulture)) : null;

    private static int? Int(JsonNode? node) =>
        node is JsonValue value && (value.TryGetValue<int>(out var number) || (value.TryGetValue<string>(out var text) && int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out number)))
            ? number : null;
}
