namespace Chorus.Features.OptOuts;

/// <summary>
/// The answer to "may this contact be texted at this instant, and if not, when next?".
/// </summary>
/// <param name="Allowed">True when the instant is inside the effective window in every candidate zone.</param>
/// <param name="LocalTimes">The instant in each candidate zone, in the order given, and whether that zone alone is open.</param>
/// <param name="WindowStart">
/// Local time, in the first candidate zone, at which the window that is open now (or opens next) began or begins;
/// null when the window never opens within the search horizon. With several zones this is when the last of them
/// opens, so Adak and Anchorage under 09:00–21:00 read 09:00–20:00 in Adak time.
/// </param>
/// <param name="WindowEnd">Local time, in the first candidate zone, at which that window closes (exclusive).</param>
/// <param name="NextAllowedAt">
/// The earliest instant at or after the one asked about at which every zone is open: the instant itself when
/// <paramref name="Allowed"/>; null when no such instant exists within <see cref="TextingWindow.SearchHorizon"/>.
/// </param>
/// <param name="WindowClosesAt">The instant that window closes; null when it never opens.</param>
public sealed record TextingWindowDecision(
    bool Allowed,
    IReadOnlyList<ZoneTime> LocalTimes,
    TimeOnly? WindowStart,
    TimeOnly? WindowEnd,
    DateTimeOffset? NextAllowedAt,
    DateTimeOffset? WindowClosesAt)
{
    /// <summary>Why a text can't go now, for a person: the local times, and when texting opens again.</summary>
    /// <param name="who">"this contact", "this number"…</param>
    public string Explain(string who) => NextAllowedAt is { } next
        ? $"It is outside {who}'s texting hours ({string.Join(", ", LocalTimes.Select(t => $"{t.LocalTime:HH:mm} in {t.TimeZone}"))}); texting opens again at {next.UtcDateTime:yyyy-MM-dd HH:mm} UTC."
        : $"{char.ToUpperInvariant(who[0])}{who[1..]}'s texting hours never open with this campaign's settings.";
}

/// <param name="TimeZone">IANA id.</param>
/// <param name="LocalTime">The instant as the contact's clock shows it there, with that zone's offset.</param>
/// <param name="Open">Whether this zone by itself is inside the effective window.</param>
public sealed record ZoneTime(string TimeZone, DateTimeOffset LocalTime, bool Open);
