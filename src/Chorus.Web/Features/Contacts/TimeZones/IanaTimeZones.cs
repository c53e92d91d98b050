using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Chorus.Features.Contacts.TimeZones;

/// <summary>
/// Looks up IANA time zone ids ("America/Chicago") on this machine, once per id. Windows ids ("Central Standard
/// Time") are refused even though .NET on Linux can convert them: contact data, libphonenumber and our tables all
/// speak IANA, and a second vocabulary would make two spellings of one zone compare unequal.
/// </summary>
public static class IanaTimeZones
{
    // Longer than any real id (the longest is 32 characters); keeps junk from a CSV column out of the lookup.
    private const int MaxIdLength = 64;

    // Only zones that exist are cached, so arbitrary strings from contact uploads cannot grow the cache.
    private static readonly ConcurrentDictionary<string, TimeZoneInfo> Found = new(StringComparer.Ordinal);

    public static bool TryFind([NotNullWhen(true)] string? id, [NotNullWhen(true)] out TimeZoneInfo? zone)
    {
        zone = null;
        if (string.IsNullOrWhiteSpace(id) || id.Length > MaxIdLength)
        {
            return false;
        }

        if (Found.TryGetValue(id, out zone))
        {
            return true;
        }

        try
        {
            var candidate = TimeZoneInfo.FindSystemTimeZoneById(id);
            if (!candidate.HasIanaId)
            {
                return false;
            }

            zone = Found.GetOrAdd(id, candidate);
            return true;
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return false;
        }
    }

    public static TimeZoneInfo Find(string id) =>
        TryFind(id, out var zone)
            ? zone
            : throw new ArgumentException($"'{id}' is not an IANA time zone id known on this machine.", nameof(id));
}
