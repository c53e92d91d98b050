using System.Globalization;
using Chorus.Features.Contacts.Phones;
using PhoneNumbers;

namespace Chorus.UnitTests.Features.Contacts.Phones;

/// <summary>
/// The fast path must give exactly the answer libphonenumber plus the NANP rules give, or the importer would
/// accept or reject a number depending on how it was typed.
/// </summary>
public sealed class FastPathCrossCheckTests
{
    private static readonly string[] Layouts =
    [
        "{0}{1}{2}",
        "({0}) {1}-{2}",
        "{0}-{1}-{2}",
        "{0}.{1}.{2}",
        "1{0}{1}{2}",
        "1-{0}-{1}-{2}",
        "1 ({0}) {1} {2}",
        "+1{0}{1}{2}",
        "+1 ({0}) {1}-{2}",
        "+1 {0} {1} {2}",
        "+1-{0}-{1}-{2}",
        "  {0} {1} {2}  ",
        "{0}/{1}-{2}",
        "{0}\t{1}\t{2}",
        "(({0})) {1}--{2}.",
        "{0}{1}{2}.0",
        "{1}-{2}",
        "{0}{1}{2}0",
        "+{0}{1}{2}",
        "11{0}{1}{2}",
    ];

    [Theory]
    [InlineData("US", true)]
    [InlineData("US", false)]
    [InlineData("CA", true)]
    [InlineData("GU", true)]
    public void Fast_path_agrees_with_libphonenumber_on_generated_numbers(string defaultRegion, bool usAndTerritoriesOnly)
    {
        var normalizer = new PhoneNumberNormalizer(new PhoneNumberNormalizerOptions
        {
            DefaultRegion = defaultRegion,
            AllowedRegions = usAndTerritoriesOnly ? PhoneNumberNormalizerOptions.UnitedStatesAndTerritories : null,
        });
        var random = new Random(20_240_611);
        var mismatches = new List<string>();
        var fastPathCount = 0;
        const int Count = 4000;

        for (var i = 0; i < Count; i++)
        {
            var raw = GenerateNumber(random);
            var fast = normalizer.Normalize(raw, out var usedFastPath);
            var reference = normalizer.NormalizeWithLibphonenumberOnly(raw);
            fastPathCount += usedFastPath ? 1 : 0;
            if (fast != reference)
            {
                mismatches.Add($"'{raw}': fast {fast.Rejection} {fast.E164} {fast.RegionCode}, libphonenumber {reference.Rejection} {reference.E164} {reference.RegionCode}");
            }
        }

        Assert.Empty(mismatches);
        if (defaultRegion is "US" or "CA")
        {
            Assert.True(fastPathCount > Count / 2, $"only {fastPathCount} of {Count} numbers took the fast path");
        }
    }

    // Sampling decides which area codes are uniform; this proves it for every exchange of each one, so a
    // libphonenumber upgrade that makes validity depend on the exchange somewhere new fails here.
    [Fact]
    public void Every_exchange_of_an_area_code_the_fast_path_trusts_is_valid_in_that_region()
    {
        var util = PhoneNumberUtil.GetInstance();
        var table = NanpAreaCodeTable.RegionByAreaCode;
        var uniform = Enumerable.Range(0, 1000).Where(npa => table[npa] is not null).ToArray();
        var wrong = new System.Collections.Concurrent.ConcurrentBag<string>();

        Parallel.ForEach(uniform, npa =>
        {
            for (var nxx = 200; nxx <= 999; nxx++)
            {
                var line = (nxx * 37) % 10_000;
                var number = new PhoneNumber.Builder()
                    .SetCountryCode(1)
                    .SetNationalNumber((ulong)((npa * 10_000_000L) + (nxx * 10_000L) + line))
                    .Build();
                var region = util.GetRegionCodeForNumber(number);
                if (region != table[npa] || !util.IsValidNumberForRegion(number, region))
                {
                    wrong.Add(string.Create(CultureInfo.InvariantCulture, $"{npa}-{nxx}-{line:D4}: {region ?? "invalid"}, table says {table[npa]}"));
                }
            }
        });

        Assert.Empty(wrong);
        Assert.True(uniform.Length > 300, $"only {uniform.Length} uniform area codes");
        Assert.Equal("US", table[212]);
        Assert.Equal("PR", table[787]);
    }

    [Fact]
    public void Leaves_area_codes_whose_validity_varies_below_the_area_code_to_libphonenumber()
    {
        var table = NanpAreaCodeTable.RegionByAreaCode;

        Assert.Null(table[671]); // Guam: only some exchanges are valid
        Assert.Null(table[340]); // US Virgin Islands
        Assert.Null(table[876]); // Jamaica: valid down to the line number in places
        Assert.Null(table[983]); // Colorado overlay: 983-6XX is not valid yet
        Assert.Null(table[555]);
        Assert.Null(table[800]);
    }

    private static string GenerateNumber(Random random)
    {
        // Bias towards the interesting corners: fictional 555-01XX, N11 exchanges, special area codes.
        var npa = random.Next(10) switch
        {
            0 => random.Next(0, 200),
            1 => new[] { 800, 822, 880, 888, 900, 500, 520, 521, 600, 710, 911, 292, 370, 960, 555, 787, 671, 340, 684, 670, 983, 416, 876 }[random.Next(23)],
            _ => random.Next(200, 1000),
        };
        var nxx = random.Next(10) switch
        {
            0 => random.Next(0, 200),
            1 => 555,
            2 => (random.Next(2, 10) * 100) + 11,
            _ => random.Next(200, 1000),
        };
        var line = nxx == 555 && random.Next(2) == 0 ? random.Next(50, 250) : random.Next(0, 10_000);
        var layout = Layouts[random.Next(Layouts.Length)];
        return string.Format(CultureInfo.InvariantCulture, layout, npa.ToString("D3", CultureInfo.InvariantCulture), nxx.ToString("D3", CultureInfo.InvariantCulture), line.ToString("D4", CultureInfo.InvariantCulture));
    }
}
