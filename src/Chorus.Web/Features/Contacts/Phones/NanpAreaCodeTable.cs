using PhoneNumbers;

namespace Chorus.Features.Contacts.Phones;

/// <summary>
/// For each NANP area code, the region libphonenumber places every one of its numbers in, or null when the fast
/// path must ask libphonenumber number by number. Derived once per process from libphonenumber itself, so a
/// package upgrade that adds an area code updates the fast path with it.
/// </summary>
/// <remarks>
/// libphonenumber describes the US, Canada and Puerto Rico by whole area codes: every exchange 200–999 of a
/// listed area code is valid, with rare exceptions by exchange (Colorado's new 983 overlay, where 983-6XX is not
/// valid yet). The other NANP regions (Guam, the Virgin Islands, the Caribbean) are described exchange by
/// exchange and sometimes down to the line number (Jamaica's 876-606-0XXX), so their area codes always go to
/// libphonenumber; they are rare in US lists. Asking libphonenumber about all 640,000 area code/exchange pairs
/// takes seconds, so for the three area-code-level regions we ask about sixteen exchanges per area code, two for
/// each leading digit, the level where exceptions like 983's start. An area code that answers the same for all
/// sixteen is "uniform"; any other goes to libphonenumber every time. <c>FastPathCrossCheckTests</c> checks every
/// exchange of every uniform area code against libphonenumber, so a metadata change that sampling misses fails a
/// test instead of misfiling numbers.
/// </remarks>
internal static class NanpAreaCodeTable
{
    private static readonly HashSet<string> AreaCodeLevelRegions = new(StringComparer.Ordinal) { "US", "CA", "PR" };

    private static readonly Lazy<string?[]> Table = new(Build);

    /// <summary>Indexed by area code 0–999.</summary>
    public static IReadOnlyList<string?> RegionByAreaCode => Table.Value;

    private static string?[] Build()
    {
        var util = PhoneNumberUtil.GetInstance();
        var regions = new string?[1000];
        for (var npa = 200; npa <= 999; npa++)
        {
            if (NanpRules.CheckAreaCode(npa) == PhoneNumberRejection.None)
            {
                regions[npa] = UniformRegion(util, npa);
            }
        }

        return regions;
    }

    private static string? UniformRegion(PhoneNumberUtil util, int npa)
    {
        string? region = null;
        for (var leading = 2; leading <= 9; leading++)
        {
            // Two exchanges per leading digit, spread differently for each area code, with varied line numbers.
            for (var k = 0; k < 2; k++)
            {
                var spread = k == 0 ? (npa * 7) + (leading * 13) : (npa * 3) + (leading * 31) + 50;
                var nxx = (leading * 100) + (spread % 100);
                var line = ((npa * 31) + (nxx * 17)) % 10000;
                var number = new PhoneNumber.Builder()
                    .SetCountryCode(1)
                    .SetNationalNumber((ulong)((npa * 10_000_000L) + (nxx * 10_000L) + line))
                    .Build();
                var sampleRegion = util.GetRegionCodeForNumber(number);
                if (sampleRegion is null || !AreaCodeLevelRegions.Contains(sampleRegion) || !util.IsValidNumberForRegion(number, sampleRegion))
                {
                    return null;
                }

                region ??= sampleRegion;
                if (!string.Equals(region, sampleRegion, StringComparison.Ordinal))
                {
                    return null;
                }
            }
        }

        return region;
    }
}
