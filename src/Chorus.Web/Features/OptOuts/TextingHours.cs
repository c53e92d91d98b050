using System.Globalization;

namespace Chorus.Features.OptOuts;

/// <summary>
/// A campaign's texting hours, in the contact's local wall-clock time (DOMAIN.md decision 1: default 09:00–21:00,
/// every day). Start is inclusive and End exclusive: 09:00–21:00 allows 20:59:59 and refuses 21:00.
/// </summary>
/// <remarks>
/// An End earlier than Start is a window that crosses midnight: 20:00–02:00 runs from 8 p.m. to 2 a.m. the next
/// morning. Such a window belongs to the day it starts on, so with Sunday excluded, Saturday 20:00 – Sunday 02:00 is
/// open and Sunday 20:00 – Monday 02:00 is not. Start equal to End is refused by <see cref="Validate"/> (a zero-length
/// window and a 24-hour one would be spelled the same) and, if used anyway, is never open.
/// Times are wall-clock times: on a spring-forward day a window starting at 02:30 opens at 03:00, the first moment
/// the clock reads 02:30 or later; on a fall-back day a window ending at 01:30 is open again while the clock repeats
/// 01:00–01:30, because that is the local time at the contact's location that the rules speak of.
/// </remarks>
public sealed record TextingHours(TimeOnly Start, TimeOnly End, TextingDays Days = TextingDays.Everyday)
{
    public static TextingHours Default { get; } = new(new TimeOnly(9, 0), new TimeOnly(21, 0));

    // 47 CFR 64.1200(c)(1): no telephone solicitation before 8 a.m. or after 9 p.m. at the called party's location.
    // Political texts are not solicitations, so this is a warning, not a refusal (DOMAIN.md §2.4).
    private static readonly TimeOnly FederalEarliest = new(8, 0);
    private static readonly TimeOnly FederalLatest = new(21, 0);

    public bool CrossesMidnight => End < Start;

    /// <summary>Whether a local wall-clock time (any <see cref="DateTimeKind"/>, read as the contact's local time) is inside these hours.</summary>
    public bool Contains(DateTime localTime)
    {
        var time = TimeOnly.FromDateTime(localTime);
        if (Start < End)
        {
            return time >= Start && time < End && Days.Includes(localTime.DayOfWeek);
        }

        if (End < Start)
        {
            var dayBefore = (DayOfWeek)(((int)localTime.DayOfWeek + 6) % 7);
            return (time >= Start && Days.Includes(localTime.DayOfWeek))
                || (time < End && Days.Includes(dayBefore));
        }

        return false;
    }

    /// <summary>
    /// Problems with these hours: errors make them unusable; warnings are legal cautions an organizer may accept.
    /// Empty when the hours are fine.
    /// </summary>
    public IReadOnlyList<TextingHoursProblem> Validate()
    {
        var problems = new List<TextingHoursProblem>();
        if (Start == End)
        {
            problems.Add(new(nameof(End), $"The window starts and ends at {Start.ToString("HH:mm", CultureInfo.InvariantCulture)}, so it would never be open. Choose an end time different from the start.", IsError: true));
        }

        if ((Days & TextingDays.Everyday) == TextingDays.None)
        {
            problems.Add(new(nameof(Days), "Choose at least one day on which texts may be sent.", IsError: true));
        }
        else if ((Days & ~TextingDays.Everyday) != TextingDays.None)
        {
            problems.Add(new(nameof(Days), "The days include a value that is not a day of the week.", IsError: true));
        }

        if (Start != End && (CrossesMidnight || Start < FederalEarliest || End > FederalLatest))
        {
            problems.Add(new(
                nameof(Start),
                "These hours allow texts before 8:00 a.m. or after 9:00 p.m. in the contact's time zone, the hours federal rules set for telephone solicitations (47 CFR 64.1200(c)(1)). Political texts are not solicitations, but carriers and voters expect them to be respected.",
                IsError: false));
        }

        return problems;
    }
}

/// <param name="Field">The <see cref="TextingHours"/> property at fault, for a validation problem response.</param>
/// <param name="Message">A sentence an organizer can act on.</param>
/// <param name="IsError">True when the hours must not be saved; false for a caution.</param>
public sealed record TextingHoursProblem(string Field, string Message, bool IsError);
