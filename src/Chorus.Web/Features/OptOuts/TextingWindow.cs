using Chorus.Features.Contacts.TimeZones;

namespace Chorus.Features.OptOuts;

/// <summary>
/// Texting hours in the contact's local time (DOMAIN.md decision 1, §2.4): the campaign's hours intersected with
/// the state rules that apply, evaluated in every candidate time zone. Pure: the instant is a parameter; pass
/// <c>TimeProvider.GetUtcNow()</c> from the caller.
/// </summary>
public static class TextingWindow
{
    /// <summary>
    /// How far ahead <see cref="TextingWindowDecision.NextAllowedAt"/> is searched. Eight days covers every weekly
    /// pattern of allowed days; beyond it the answer is "never" (zones whose windows do not overlap).
    /// </summary>
    public static readonly TimeSpan SearchHorizon = TimeSpan.FromDays(8);

    // Boundaries are generated from a little before the instant (to find when the current window opened) to a little
    // past the horizon (to find when a window opening at the horizon closes).
    private static readonly TimeSpan LookBack = TimeSpan.FromDays(2);
    private static readonly TimeSpan LookAhead = SearchHorizon + TimeSpan.FromDays(2);

    /// <summary>Evaluates with the rule of one state (or none) from <paramref name="rules"/>, <see cref="StateTextingRules.Default"/> if not given.</summary>
    /// <param name="instant">The moment asked about; its offset does not matter.</param>
    /// <param name="candidateZones">IANA ids, at least one; an unknown id is a bug and throws <see cref="ArgumentException"/>.</param>
    /// <param name="state">USPS state code of the contact, or null when unknown.</param>
    /// <param name="campaignHours">The campaign's hours (or <see cref="TextingHours.Default"/>).</param>
    /// <param name="rules">The state table; <see cref="StateTextingRules.Default"/> when null.</param>
    public static TextingWindowDecision Evaluate(
        DateTimeOffset instant,
        IReadOnlyList<string> candidateZones,
        string? state,
        TextingHours campaignHours,
        StateTextingRules? rules = null)
    {
        var rule = (rules ?? StateTextingRules.Default).For(state);
        return Evaluate(instant, candidateZones, campaignHours, rule is null ? [] : [rule]);
    }

    /// <summary>
    /// Evaluates for a resolved contact, applying the rules of the ZIP code's state (else the area code's) and of the
    /// area code's state when that state presumes residence from it (<see cref="StateTextingRules.ApplicableTo"/>).
    /// </summary>
    public static TextingWindowDecision Evaluate(
        DateTimeOffset instant,
        ContactLocation contact,
        TextingHours campaignHours,
        StateTextingRules? rules = null) =>
        Evaluate(
            instant,
            contact.TimeZones,
            campaignHours,
            (rules ?? StateTextingRules.Default).ApplicableTo(contact.ZipState, contact.AreaCodeState));

    /// <summary>Evaluates with an explicit list of state rules, all of which must be open.</summary>
    public static TextingWindowDecision Evaluate(
        DateTimeOffset instant,
        IReadOnlyList<string> candidateZones,
        TextingHours campaignHours,
        IReadOnlyList<StateTextingRule> stateRules)
    {
        if (candidateZones.Count == 0)
        {
            throw new ArgumentException("At least one time zone is needed.", nameof(candidateZones));
        }

        var zones = candidateZones.Distinct(StringComparer.Ordinal).Select(IanaTimeZones.Find).ToArray();

        bool IsOpen(TimeZoneInfo zone, DateTimeOffset at)
        {
            var local = TimeZoneInfo.ConvertTime(at, zone).DateTime;
            if (!campaignHours.Contains(local))
            {
                return false;
            }

            foreach (var rule in stateRules)
            {
                if (!rule.Contains(local))
                {
                    return false;
                }
            }

            return true;
        }

        bool AllOpen(DateTimeOffset at)
        {
            foreach (var zone in zones)
            {
                if (!IsOpen(zone, at))
                {
                    return false;
                }
            }

            return true;
        }

        var localTimes = zones
            .Select(zone => new ZoneTime(zone.Id, TimeZoneInfo.ConvertTime(instant, zone), IsOpen(zone, instant)))
            .ToArray();
        var allowed = localTimes.All(t => t.Open);

        // Openness only changes at these instants, so checking them in order finds the next opening exactly.
        var boundaries = Boundaries(zones, instant, campaignHours, stateRules);
        DateTimeOffset? next = allowed ? instant : null;
        if (!allowed)
        {
            foreach (var b in boundaries)
            {
                if (b > instant && b <= instant + SearchHorizon && AllOpen(b))
                {
                    next = b;
                    break;
                }
            }
        }

        if (next is not { } opensOrOpen)
        {
            return new TextingWindowDecision(false, localTimes, null, null, null, null);
        }

        var opensAt = allowed ? OpenedAt(boundaries, instant, AllOpen) : opensOrOpen;
        DateTimeOffset? closesAt = null;
        foreach (var b in boundaries)
        {
            if (b > opensOrOpen && !AllOpen(b))
            {
                closesAt = b;
                break;
            }
        }

        var first = zones[0];
        return new TextingWindowDecision(
            allowed,
            localTimes,
            TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(opensAt, first).DateTime),
            closesAt is { } c ? TimeOnly.FromDateTime(TimeZoneInfo.ConvertTime(c, first).DateTime) : null,
            next,
            closesAt);
    }

    // Openness is constant between consecutive boundaries, so the open stretch containing the instant began at the
    // earliest boundary reached by walking back while the stretch before each boundary is open too.
    private static DateTimeOffset OpenedAt(List<DateTimeOffset> boundaries, DateTimeOffset instant, Func<DateTimeOffset, bool> allOpen)
    {
        var i = boundaries.FindLastIndex(b => b <= instant);
        if (i < 0)
        {
            return instant;
        }

        while (i > 0 && allOpen(boundaries[i - 1]))
        {
            i--;
        }

        return boundaries[i];
    }

    /// <summary>
    /// Every instant near <paramref name="instant"/> at which some zone's clock reaches a start or end time (of the
    /// campaign or of a state rule) or midnight, plus every offset change (DST). A start time that falls in a
    /// spring-forward gap never shows on the clock; the zone opens at the transition, which is in the list.
    /// A time that a fall-back repeats is listed twice, once per offset.
    /// </summary>
    private static List<DateTimeOffset> Boundaries(
        TimeZoneInfo[] zones,
        DateTimeOffset instant,
        TextingHours campaignHours,
        IReadOnlyList<StateTextingRule> stateRules)
    {
        var times = new SortedSet<TimeOnly> { TimeOnly.MinValue, campaignHours.Start, campaignHours.End };
        foreach (var window in stateRules.SelectMany(r => r.Windows))
        {
            times.Add(window.Start);
            times.Add(window.End);
        }

        var from = instant - LookBack;
        var to = instant + LookAhead;
        var found = new HashSet<DateTimeOffset>();
        foreach (var zone in zones)
        {
            var firstDay = TimeZoneInfo.ConvertTime(from, zone).Date;
            var lastDay = TimeZoneInfo.ConvertTime(to, zone).Date;
            for (var day = firstDay; day <= lastDay; day = day.AddDays(1))
            {
                foreach (var time in times)
                {
                    var local = day + time.ToTimeSpan();
                    if (zone.IsInvalidTime(local))
                    {
                        continue;
                    }

                    if (zone.IsAmbiguousTime(local))
                    {
                        foreach (var offset in zone.GetAmbiguousTimeOffsets(local))
                        {
                            found.Add(new DateTimeOffset(local, offset).ToUniversalTime());
                        }
                    }
                    else
                    {
                        found.Add(new DateTimeOffset(local, zone.GetUtcOffset(local)).ToUniversalTime());
                    }
                }
            }

            for (var start = from; start < to; start = start.AddDays(1))
            {
                if (OffsetChange(zone, start, start.AddDays(1)) is { } change)
                {
                    found.Add(change);
                }
            }
        }

        var sorted = found.Where(b => b >= from && b <= to).ToList();
        sorted.Sort();
        return sorted;
    }

    // The first instant in (start, end] with the offset in force at end, found by halving the interval down to a
    // second; null when the offset is the same at both ends. Transitions are at whole minutes in every zone we use.
    private static DateTimeOffset? OffsetChange(TimeZoneInfo zone, DateTimeOffset start, DateTimeOffset end)
    {
        var before = zone.GetUtcOffset(start);
        if (zone.GetUtcOffset(end) == before)
        {
            return null;
        }

        var low = start;
        var high = end;
        while (high - low > TimeSpan.FromSeconds(1))
        {
            var middle = low + ((high - low) / 2);
            if (zone.GetUtcOffset(middle) == before)
            {
                low = middle;
            }
            else
            {
                high = middle;
            }
        }

        return new DateTimeOffset(high.UtcTicks - (high.UtcTicks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
    }
}
