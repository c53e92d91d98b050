using System.Globalization;

namespace Chorus.Features.OptOuts;

/// <summary>
/// When an imported opt-out was made, as another tool wrote it: ISO 8601 (a date, or a date and time with or without
/// an offset; our own export's <c>opted_out_utc</c> is one) or the US m/d/yyyy that spreadsheets write, with an
/// optional time. A time without an offset is read as UTC: the file doesn't say which zone it meant. Two-digit years
/// and day-first dates are not read: 1/2/24 could be three different days.
/// </summary>
public static class OptOutDate
{
    private static readonly string[] Formats =
    [
        "yyyy-MM-dd",
        "yyyy-MM-dd'T'HH:mmK",
        "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK",
        "yyyy-MM-dd HH:mmK",
        "yyyy-MM-dd HH:mm:ss.FFFFFFFK",
        "M/d/yyyy",
        "M/d/yyyy H:mm",
        "M/d/yyyy H:mm:ss",
        "M/d/yyyy h:mm tt",
        "M/d/yyyy h:mm:ss tt",
    ];

    /// <summary>The instant in UTC, or null when the text is none of the forms above.</summary>
    public static DateTime? Parse(ReadOnlySpan<char> text) =>
        DateTimeOffset.TryParseExact(text.Trim(), Formats, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? value.UtcDateTime
            : null;
}
