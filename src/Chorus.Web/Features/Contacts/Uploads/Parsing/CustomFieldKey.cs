using System.Globalization;
using System.Text;

namespace Chorus.Features.Contacts.Uploads.Parsing;

/// <summary>
/// Merge-field names for custom columns: camelCase ASCII identifiers that scripts can write as {pollingPlace},
/// matching <c>^[A-Za-z][A-Za-z0-9_]*$</c>.
/// </summary>
public static class CustomFieldKey
{
    public const int MaxLength = 64;

    /// <summary>
    /// "Polling Place" → pollingPlace, "POLLING_PLACE" → pollingPlace, "Voter File VANID" → voterFileVanid,
    /// "2024 vote?" → field2024Vote, "Código Postal" → codigoPostal. Null when the header has no ASCII letter or
    /// digit even after removing accents.
    /// </summary>
    public static string? FromHeader(string header)
    {
        var words = Words(RemoveAccents(header));
        if (words.Count == 0)
        {
            return null;
        }

        var key = new StringBuilder();
        foreach (var word in words)
        {
            if (key.Length == 0)
            {
                key.Append(word.ToLowerInvariant());
            }
            else
            {
                key.Append(char.ToUpperInvariant(word[0])).Append(word.AsSpan(1).ToString().ToLowerInvariant());
            }
        }

        if (!char.IsAsciiLetter(key[0]))
        {
            key.Insert(0, "field");
        }

        return key.Length > MaxLength ? key.ToString(0, MaxLength) : key.ToString();
    }

    public static bool IsValid(ReadOnlySpan<char> key)
    {
        if (key.IsEmpty || key.Length > MaxLength || !char.IsAsciiLetter(key[0]))
        {
            return false;
        }

        foreach (var c in key)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }

        return true;
    }

    private static string RemoveAccents(string text)
    {
        var decomposed = text.Normalize(NormalizationForm.FormD);
        var kept = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.NonSpacingMark)
            {
                kept.Append(c);
            }
        }

        return kept.ToString();
    }

    // Runs of ASCII letters and digits, also split where the header was already camelCase or PascalCase
    // ("PollingPlace", "HTMLColor" → HTML, Color) so those keep their word boundaries.
    private static List<string> Words(string text)
    {
        var words = new List<string>();
        var start = -1;
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : ' ';
            if (!char.IsAsciiLetterOrDigit(c))
            {
                if (start >= 0)
                {
                    words.Add(text[start..i]);
                    start = -1;
                }

                continue;
            }

            if (start >= 0 && IsWordBoundary(text, i))
            {
                words.Add(text[start..i]);
                start = i;
            }

            if (start < 0)
            {
                start = i;
            }
        }

        return words;
    }

    private static bool IsWordBoundary(string text, int i)
    {
        var previous = text[i - 1];
        var current = text[i];
        if ((char.IsAsciiLetterLower(previous) || char.IsAsciiDigit(previous)) && char.IsAsciiLetterUpper(current))
        {
            return true;
        }

        return char.IsAsciiLetterUpper(previous) && char.IsAsciiLetterUpper(current)
            && i + 1 < text.Length && char.IsAsciiLetterLower(text[i + 1]);
    }
}
