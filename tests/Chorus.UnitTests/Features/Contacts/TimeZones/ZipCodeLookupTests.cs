using Chorus.Features.Contacts.TimeZones;

namespace Chorus.UnitTests.Features.Contacts.TimeZones;

public sealed class ZipCodeLookupTests
{
    [Theory]
    [InlineData(10001, "America/New_York")]
    [InlineData(60601, "America/Chicago")]
    [InlineData(85001, "America/Phoenix")]
    [InlineData(86515, "America/Denver")] // the package says America/Shiprock, a link to Denver
    [InlineData(96813, "Pacific/Honolulu")]
    [InlineData(99501, "America/Anchorage")]
    [InlineData(99546, "America/Adak")] // corrected: the package puts Adak in Anchorage time
    [InlineData(57701, "America/Denver")]
    [InlineData(57101, "America/Chicago")]
    [InlineData(501, "America/New_York")]
    [InlineData(601, "America/Puerto_Rico")]
    [InlineData(802, "America/St_Thomas")]
    [InlineData(96799, "Pacific/Pago_Pago")]
    public void Finds_the_zone_of_a_zip_code(int zip, string zone)
    {
        Assert.Equal(zone, ZipCodeLookup.TimeZoneFor(zip));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(96910)] // Guam shares 969 with zones the table cannot tell apart
    [InlineData(99999 + 1)]
    public void Knows_no_zone_for_codes_outside_the_table(int zip)
    {
        Assert.Null(ZipCodeLookup.TimeZoneFor(zip));
    }

    [Theory]
    [InlineData(32801, "FL")]
    [InlineData(73101, "OK")]
    [InlineData(73301, "TX")] // Austin's IRS prefix sits inside Oklahoma's range
    [InlineData(73960, "TX")] // Texhoma, served from Oklahoma
    [InlineData(20601, "MD")]
    [InlineData(20500, "DC")]
    [InlineData(98101, "WA")]
    [InlineData(6390, "NY")] // Fishers Island, served from Connecticut
    [InlineData(501, "NY")]
    [InlineData(901, "PR")]
    [InlineData(96950, "MP")]
    public void Finds_the_state_of_a_zip_code(int zip, string state)
    {
        Assert.Equal(state, ZipCodeLookup.StateFor(zip));
    }

    [Theory]
    [InlineData(9001)] // AE
    [InlineData(34001)] // AA
    [InlineData(96201)] // AP
    public void Gives_no_state_for_military_post_codes(int zip)
    {
        Assert.Null(ZipCodeLookup.StateFor(zip));
    }

    [Fact]
    public void Every_zone_in_the_table_is_known_on_this_machine()
    {
        var zones = Enumerable.Range(0, 100_000).Select(ZipCodeLookup.TimeZoneFor).OfType<string>().Distinct();

        Assert.All(zones, zone => Assert.True(IanaTimeZones.TryFind(zone, out _), zone));
    }
}
