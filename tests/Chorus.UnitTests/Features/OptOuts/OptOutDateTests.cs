using Chorus.Features.OptOuts;

namespace Chorus.UnitTests.Features.OptOuts;

public sealed class OptOutDateTests
{
    [Theory]
    [InlineData("2024-03-15", "2024-03-15T00:00:00Z")]
    [InlineData(" 2024-03-15 ", "2024-03-15T00:00:00Z")]
    [InlineData("2024-03-15T08:30:15.1234567Z", "2024-03-15T08:30:15.1234567Z")] // our own export (opted_out_utc)
    [InlineData("2024-03-15T08:30:15Z", "2024-03-15T08:30:15Z")]
    [InlineData("2024-03-15T08:30:15", "2024-03-15T08:30:15Z")] // no offset: UTC
    [InlineData("2024-03-15T08:30:15-04:00", "2024-03-15T12:30:15Z")]
    [InlineData("2024-03-15T08:30+01:00", "2024-03-15T07:30:00Z")]
    [InlineData("2024-03-15 08:30:15", "2024-03-15T08:30:15Z")]
    [InlineData("3/7/2024", "2024-03-07T00:00:00Z")]
    [InlineData("03/07/2024", "2024-03-07T00:00:00Z")]
    [InlineData("12/31/2023 23:05", "2023-12-31T23:05:00Z")]
    [InlineData("12/31/2023 11:05 PM", "2023-12-31T23:05:00Z")]
    [InlineData("12/31/2023 11:05:09 PM", "2023-12-31T23:05:09Z")]
    public void Reads_iso_8601_and_us_dates_as_utc_instants(string text, string expected)
    {
        var parsed = OptOutDate.Parse(text);

        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture).UtcDateTime, parsed);
        Assert.Equal(DateTimeKind.Utc, parsed!.Value.Kind);
    }

    [Theory]
    [InlineData("")]
    [InlineData("7 March")]
    [InlineData("3/7/24")] // a two-digit year: which century?
    [InlineData("15/3/2024")] // day first: not a US date
    [InlineData("2024-02-30")]
    [InlineData("yesterday")]
    [InlineData("2024-03-15T25:00:00Z")]
    public void Reads_nothing_else(string text)
    {
        Assert.Null(OptOutDate.Parse(text));
    }
}
