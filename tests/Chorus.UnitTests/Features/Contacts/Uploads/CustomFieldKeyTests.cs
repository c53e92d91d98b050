using Chorus.Features.Contacts.Uploads.Parsing;

namespace Chorus.UnitTests.Features.Contacts.Uploads;

public sealed class CustomFieldKeyTests
{
    [Theory]
    [InlineData("Polling Place", "pollingPlace")]
    [InlineData("polling_place", "pollingPlace")]
    [InlineData("POLLING PLACE", "pollingPlace")]
    [InlineData("PollingPlace", "pollingPlace")]
    [InlineData("pollingPlace", "pollingPlace")]
    [InlineData("Voter File VANID", "voterFileVanid")]
    [InlineData("2024 vote?", "field2024Vote")]
    [InlineData("Ward2Precinct", "ward2Precinct")]
    [InlineData("HTMLColor", "htmlColor")]
    [InlineData("Código Postal", "codigoPostal")]
    [InlineData("  e-mail  ", "eMail")]
    [InlineData("#", null)]
    [InlineData("日本", null)]
    public void Derives_a_camel_case_identifier_from_a_header(string header, string? expected)
    {
        var key = CustomFieldKey.FromHeader(header);

        Assert.Equal(expected, key);
        if (key is not null)
        {
            Assert.Matches("^[A-Za-z][A-Za-z0-9_]*$", key);
        }
    }

    [Fact]
    public void Cuts_a_very_long_header_to_the_maximum_length()
    {
        var key = CustomFieldKey.FromHeader(string.Join(' ', Enumerable.Repeat("word", 40)));

        Assert.Equal(CustomFieldKey.MaxLength, key!.Length);
        Assert.True(CustomFieldKey.IsValid(key));
    }
}
