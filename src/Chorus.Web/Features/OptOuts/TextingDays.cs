namespace Chorus.Features.OptOuts;

/// <summary>
/// Days of the week as flags, so a set of allowed days is one value that compares by value, binds from
/// configuration ("Monday, Tuesday") and stores as one integer column.
/// </summary>
[Flags]
public enum TextingDays
{
    None = 0,
    Sunday = 1 << DayOfWeek.Sunday,
    Monday = 1 << DayOfWeek.Monday,
    Tuesday = 1 << DayOfWeek.Tuesday,
    Wednesday = 1 << DayOfWeek.Wednesday,
    Thursday = 1 << DayOfWeek.Thursday,
    Friday = 1 << DayOfWeek.Friday,
    Saturday = 1 << DayOfWeek.Saturday,
    Weekdays = Monday | Tuesday | Wednesday | Thursday | Friday,
    Weekends = Saturday | Sunday,
    Everyday = Weekdays | Weekends,
}

public static class TextingDaysExtensions
{
    public static bool Includes(this TextingDays days, DayOfWeek day) => (days & (TextingDays)(1 << (int)day)) != 0;
}
