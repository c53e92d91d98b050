using Chorus.Features.Contacts.TimeZones;
using PhoneNumbers;

namespace Chorus.UnitTests.Features.Contacts.TimeZones;

public sealed class AreaCodeStatesTests
{
    private static readonly HashSet<string> Territories = ["PR", "VI", "GU", "MP", "AS"];

    [Theory]
    [InlineData(405, "OK")]
    [InlineData(539, "OK")]
    [InlineData(580, "OK")]
    [InlineData(918, "OK")]
    [InlineData(305, "FL")]
    [InlineData(850, "FL")]
    [InlineData(301, "MD")]
    [InlineData(206, "WA")]
    [InlineData(564, "WA")]
    [InlineData(907, "AK")]
    [InlineData(787, "PR")]
    [InlineData(671, "GU")]
    public void Knows_the_state_of_an_area_code(int areaCode, string state)
    {
        Assert.Equal(state, AreaCodeStates.StateFor(areaCode));
    }

    [Theory]
    [InlineData(416)] // Toronto
    [InlineData(876)] // Jamaica
    [InlineData(800)] // toll-free
    [InlineData(555)]
    public void Knows_no_state_for_non_US_or_non_geographic_codes(int areaCode)
    {
        Assert.Null(AreaCodeStates.StateFor(areaCode));
    }

    // The table is generated from libphonenumber (eng/zip-timezones/area-code-states.cs); this notices a package
    // upgrade that adds a US area code, so the table gets regenerated.
    [Fact]
    public void Covers_every_US_area_code_libphonenumber_can_place()
    {
        var util = PhoneNumberUtil.GetInstance();
        var geocoder = PhoneNumberOfflineGeocoder.GetInstance();
        var missing = new List<int>();

        for (var npa = 200; npa <= 999; npa++)
        {
            var number = util.Parse($"+1{npa}5550100", null);
            var region = util.GetRegionCodeForNumber(number);
            var placed = util.IsValidNumber(number)
                && ((region == "US" && geocoder.GetDescriptionForNumber(number, Locale.English).Length > 0) || Territories.Contains(region ?? ""));
            if (placed && AreaCodeStates.StateFor(npa) is null)
            {
                missing.Add(npa);
            }
        }

        Assert.Empty(missing);
        Assert.True(AreaCodeStates.Count > 300);
    }
}
