using System.Globalization;
using Chorus.Infrastructure.Http;

namespace Chorus.Features.Campaigns;

/// <summary>
/// The campaign's texting window as the API shows it: local times "HH:mm" in the contact's time zone and day names.
/// A campaign window must start before it ends on the same day (no windows across midnight: texting at night is
/// exactly what the window exists to prevent).
/// </summary>
public sealed record TextingHoursSettings(string Start, string End, IReadOnlyList<string> Days)
{
    private static readonly string[] DayNames = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"];

    public static TextingHoursSettings From(Campaign campaign) => new(
        campaign.TextingStart.ToString("HH:mm", CultureInfo.InvariantCulture),
        campaign.TextingEnd.ToString("HH:mm", CultureInfo.InvariantCulture),
        [.. Campaign.DaysOf(campaign.TextingDays).Select(d => DayNames[(int)d])]);

    /// <summary>Parses and checks the settings; every problem is reported at once.</summary>
    public Outcome<(TimeOnly Start, TimeOnly End, int DaysMask)> Parse()
    {
        var problems = new List<Problem>();
        var start = ParseTime(Start, "textingHours.start", problems);
        var end = ParseTime(End, "textingHours.end", problems);
        if (start is { } s && end is { } e && e <= s)
        {
            problems.Add(new Problem($"The texting window must end after it starts ({Start}–{End}).", "textingHours"));
        }

        var mask = 0;
        foreach (var day in Days ?? [])
        {
            var name = day?.Trim() ?? "";
            var index = Array.FindIndex(DayNames, n => n.Equals(name, StringComparison.OrdinalIgnoreCase));
            if (index < 0 && !int.TryParse(name, CultureInfo.InvariantCulture, out _) && Enum.TryParse<DayOfWeek>(name, ignoreCase: true, out var full))
            {
                index = (int)full;
            }

            if (index < 0)
            {
                problems.Add(new Problem($"'{day}' is not a day; use Sun, Mon, Tue, Wed, Thu, Fri or Sat.", "textingHours.days"));
                continue;
            }

            mask |= 1 << index;
        }

        if (mask == 0 && problems.All(p => p.Field != "textingHours.days"))
        {
            problems.Add(new Problem("Choose at least one day on which texting is allowed.", "textingHours.days"));
        }

        return problems.Count > 0
            ? Failure.Unprocessable("The texting hours are not valid.", problems)
            : (start!.Value, end!.Value, mask);
    }

    private static TimeOnly? ParseTime(string? text, string field, List<Problem> problems)
    {
        if (TimeOnly.TryParseExact(text?.Trim(), ["HH:mm", "H:mm", "HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            return time;
        }

        problems.Add(new Problem($"'{text}' is not a time; use 24-hour HH:mm, e.g. 09:00.", field));
        return null;
    }
}
