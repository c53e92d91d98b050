using Chorus.Features.Contacts.TimeZones;

namespace Chorus.UnitTests.Features.Contacts.TimeZones;

public sealed class ZipCodeTests
{
    [Theory]
    [InlineData("02134", 2134)]
    [InlineData("02134-1234", 2134)]
    [InlineData("02134 1234", 2134)]
    [InlineData("021341234", 2134)]
    [InlineData("\t99546\n", 99546)]
    public void Reads_five_digit_and_zip_plus_4_codes(string text, int zip5)
    {
        Assert.True(ZipCode.TryParse(text, out var parsed));
        Assert.Equal(zip5, parsed);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("2134")]
    [InlineData("021345")]
    [InlineData("02134-")]
    [InlineData("02134_1234")]
    [InlineData("0213a")]
    [InlineData("０２１３４")]
    public void Refuses_anything_else(string? text)
    {
        Assert.False(ZipCode.TryParse(text, out _));
    }
}
