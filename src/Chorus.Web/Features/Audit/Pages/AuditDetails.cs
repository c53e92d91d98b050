using System.Globalization;
using System.Text.Json;

namespace Chorus.Features.Audit.Pages;

/// <summary>
/// Turns an audit entry's stored JSON into "key value" pairs people can read. The stored text stays the record (and is
/// shown in full on hover); this is only its presentation.
/// </summary>
public static class AuditDetails
{
    public static IReadOnlyList<(string Key, string Value)> Parse(string json)
    {
        try
        {
            using var document = JsonDocument.Parse(json);
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return [("", json)];
            }

            return [.. document.RootElement.EnumerateObject()
                .Where(p => p.Value.ValueKind != JsonValueKind.Null)
                .Select(p => (Humanize(p.Name), Format(p.Value)))];
        }
        catch (JsonException)
        {
            return [("", json)];
        }
    }

    private static string Format(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.True => "yes",
        JsonValueKind.False => "no",
        JsonValueKind.Number => value.GetRawText(),
        _ => value.GetRawText(),
    };

    // "expiresUtc" → "expires (UTC)", "joinLink" → "join link": the keys are camelCase property names.
    private static string Humanize(string key)
    {
        var utc = key.EndsWith("Utc", StringComparison.Ordinal);
        var name = utc ? key[..^3] : key;
        var words = string.Concat(name.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : c.ToString()));
        words = words.Length > 0 ? char.ToLower(words[0], CultureInfo.InvariantCulture) + words[1..] : words;
        return utc ? words + " (UTC)" : words;
    }
}
