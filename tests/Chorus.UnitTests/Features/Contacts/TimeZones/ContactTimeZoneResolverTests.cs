using Chorus.Features.Contacts.TimeZones;

namespace Chorus.UnitTests.Features.Contacts.TimeZones;

public sealed class ContactTimeZoneResolverTests
{
    private const string OrgZone = "America/New_York";

    [Fact]
    public void An_explicit_zone_wins_over_zip_code_and_phone()
    {
        var location = ContactTimeZoneResolver.Resolve("America/Denver", "10001", "+12125551234", OrgZone);

        Assert.Equal(["America/Denver"], location.TimeZones);
        Assert.Equal(TimeZoneSource.Explicit, location.Source);
        Assert.Equal("NY", location.ZipState);
        Assert.Equal("NY", location.AreaCodeState);
        Assert.Empty(location.Notes);
    }

    [Theory]
    [InlineData("Mars/Olympus")]
    [InlineData("Eastern Standard Time")]
    [InlineData("America/New York")]
    public void An_unusable_explicit_zone_is_ignored_with_a_reason(string explicitZone)
    {
        var location = ContactTimeZoneResolver.Resolve(explicitZone, "60601", null, OrgZone);

        Assert.Equal(["America/Chicago"], location.TimeZones);
        Assert.Equal(TimeZoneSource.ZipCode, location.Source);
        var note = Assert.Single(location.Notes);
        Assert.Contains(explicitZone, note, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("America/Chicago")]
    [InlineData(" america/chicago ")]
    public void An_explicit_zone_is_returned_in_its_canonical_spelling(string explicitZone)
    {
        var location = ContactTimeZoneResolver.Resolve(explicitZone, null, null, OrgZone);

        Assert.Equal(["America/Chicago"], location.TimeZones);
        Assert.Equal(TimeZoneSource.Explicit, location.Source);
    }

    [Theory]
    [InlineData("32401")]
    [InlineData("32401-1234")]
    [InlineData("32401 1234")]
    [InlineData("324011234")]
    [InlineData(" 32401 ")]
    public void A_zip_code_in_five_digit_or_zip_plus_4_form_gives_its_zone_and_state(string zip)
    {
        // Panama City is in Florida's panhandle, on Central time; the phone's area code says Eastern.
        var location = ContactTimeZoneResolver.Resolve(null, zip, "+13055551234", OrgZone);

        Assert.Equal(["America/Chicago"], location.TimeZones);
        Assert.Equal(TimeZoneSource.ZipCode, location.Source);
        Assert.Equal("FL", location.ZipState);
        Assert.Equal("FL", location.State);
    }

    [Theory]
    [InlineData("3240")]
    [InlineData("324011")]
    [InlineData("32401-12")]
    [InlineData("ABCDE")]
    public void A_malformed_zip_code_falls_through_to_the_phone(string zip)
    {
        var location = ContactTimeZoneResolver.Resolve(null, zip, "+13055551234", OrgZone);

        Assert.Equal(["America/New_York"], location.TimeZones);
        Assert.Equal(TimeZoneSource.PhonePrefix, location.Source);
        Assert.Null(location.ZipState);
        Assert.Equal("FL", location.State);
        Assert.Contains(location.Notes, n => n.Contains(zip.Trim(), StringComparison.Ordinal));
    }

    [Fact]
    public void A_zip_code_missing_from_the_table_falls_through_but_still_gives_the_state()
    {
        var location = ContactTimeZoneResolver.Resolve(null, "96910", "+16715551234", OrgZone);

        Assert.Equal(["Pacific/Guam"], location.TimeZones);
        Assert.Equal(TimeZoneSource.PhonePrefix, location.Source);
        Assert.Equal("GU", location.ZipState);
        Assert.Single(location.Notes);
    }

    [Fact]
    public void A_Puerto_Rico_zip_code_is_on_Atlantic_time()
    {
        var location = ContactTimeZoneResolver.Resolve(null, "00901", null, OrgZone);

        Assert.Equal(["America/Puerto_Rico"], location.TimeZones);
        Assert.Equal("PR", location.ZipState);
    }

    // DOMAIN.md §2.5 vectors, computed with libphonenumber-csharp 9.0.43.
    [Theory]
    [InlineData("+12125551234", "America/New_York")]
    [InlineData("+16025551234", "America/Phoenix")]
    [InlineData("+18085551234", "Pacific/Honolulu")]
    [InlineData("+19075551234", "America/Adak", "America/Anchorage")]
    [InlineData("+16055551234", "America/Denver", "America/North_Dakota/Center")]
    [InlineData("+17875551234", "America/Puerto_Rico")]
    [InlineData("+12192261234", "America/Chicago")]
    [InlineData("+12195551234", "America/New_York")]
    public void The_phone_prefix_gives_libphonenumbers_zones_by_longest_prefix(string phone, params string[] zones)
    {
        var location = ContactTimeZoneResolver.Resolve(null, null, phone, OrgZone);

        Assert.Equal(zones, location.TimeZones);
        Assert.Equal(TimeZoneSource.PhonePrefix, location.Source);
        Assert.Empty(location.Notes);
    }

    [Fact]
    public void A_toll_free_number_could_be_in_any_NANP_zone()
    {
        var location = ContactTimeZoneResolver.Resolve(null, null, "+18005551212", OrgZone);

        Assert.Equal(42, location.TimeZones.Count);
        Assert.Contains("America/Adak", location.TimeZones);
        Assert.Contains("America/St_Johns", location.TimeZones);
        Assert.Contains("Pacific/Saipan", location.TimeZones);
        Assert.Null(location.State);
    }

    [Theory]
    [InlineData("+19115551234")]
    [InlineData("+15551234567")]
    public void A_number_libphonenumber_cannot_place_falls_back_to_the_organization(string phone)
    {
        var location = ContactTimeZoneResolver.Resolve(null, null, phone, OrgZone);

        Assert.Equal([OrgZone], location.TimeZones);
        Assert.Equal(TimeZoneSource.OrganizationDefault, location.Source);
        Assert.Single(location.Notes);
    }

    [Theory]
    [InlineData("2125551234")]
    [InlineData("(212) 555-1234")]
    [InlineData("+1 not a number")]
    public void A_phone_not_in_E164_is_ignored_with_a_reason(string phone)
    {
        var location = ContactTimeZoneResolver.Resolve(null, null, phone, OrgZone);

        Assert.Equal(TimeZoneSource.OrganizationDefault, location.Source);
        Assert.Contains("E.164", Assert.Single(location.Notes), StringComparison.Ordinal);
        Assert.Null(location.AreaCodeState);
    }

    [Fact]
    public void With_nothing_known_the_organization_default_is_used_silently()
    {
        var location = ContactTimeZoneResolver.Resolve(null, "  ", null, "America/Los_Angeles");

        Assert.Equal(["America/Los_Angeles"], location.TimeZones);
        Assert.Equal(TimeZoneSource.OrganizationDefault, location.Source);
        Assert.Empty(location.Notes);
        Assert.Null(location.State);
    }

    [Fact]
    public void An_invalid_organization_zone_is_a_bug()
    {
        Assert.Throws<ArgumentException>(() => ContactTimeZoneResolver.Resolve(null, null, null, "Nowhere/Special"));
    }

    [Theory]
    [InlineData("+14055551234", "OK")]
    [InlineData("+19185551234", "OK")]
    [InlineData("+13055551234", "FL")]
    [InlineData("+12025551234", "DC")]
    [InlineData("+17875551234", "PR")]
    [InlineData("+14165551234", null)]
    [InlineData("+18005551212", null)]
    public void The_area_code_gives_the_state(string phone, string? state)
    {
        var location = ContactTimeZoneResolver.Resolve(null, null, phone, OrgZone);

        Assert.Equal(state, location.AreaCodeState);
    }

    [Fact]
    public void The_zip_code_state_is_the_residence_and_the_area_code_state_is_kept_beside_it()
    {
        var location = ContactTimeZoneResolver.Resolve(null, "75201", "+14055551234", OrgZone);

        Assert.Equal("TX", location.ZipState);
        Assert.Equal("OK", location.AreaCodeState);
        Assert.Equal("TX", location.State);
        Assert.Equal(["America/Chicago"], location.TimeZones);
    }
}
