using Chorus.Features.Records;

namespace Chorus.UnitTests.Features.Records;

public sealed class RecordPhoneTests
{
    [Theory]
    [InlineData("(212) 456-7890")]
    [InlineData("212.456.7890")]
    [InlineData("+1 212 456 7890")]
    [InlineData("+12124567890")]
    [InlineData("1-212-456-7890")]
    public void Any_common_way_of_writing_a_number_reads_as_the_same_E164(string typed)
    {
        var phone = RecordPhone.Parse(typed, "US");

        Assert.Equal("+12124567890", phone.Value);
    }

    [Theory]
    [InlineData("(202) 555-0123", "+12025550123")]
    [InlineData("800-555-1234", "+18005551234")]
    public void Numbers_Chorus_would_never_text_can_still_be_looked_up(string typed, string expected)
    {
        var phone = RecordPhone.Parse(typed, "US");

        Assert.Equal(expected, phone.Value);
    }

    [Theory]
    [InlineData("12345")]
    [InlineData("call me")]
    [InlineData("")]
    [InlineData(null)]
    public void Something_that_is_not_a_number_is_refused_with_an_example_of_one(string? typed)
    {
        var phone = RecordPhone.Parse(typed, "US");

        Assert.NotNull(phone.Failure);
        Assert.Contains("(212) 456-7890", phone.Failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_number_without_a_country_code_is_read_in_the_organizations_region()
    {
        var phone = RecordPhone.Parse("020 7946 0958", "GB");

        Assert.Equal("+442079460958", phone.Value);
    }

    [Fact]
    public void The_cutoff_is_whole_calendar_years_before_now()
    {
        var cutoff = RetentionPolicy.CutoffFor(new DateTime(2031, 3, 1, 12, 0, 0, DateTimeKind.Utc), 5);

        Assert.Equal(new DateTime(2026, 3, 1, 12, 0, 0, DateTimeKind.Utc), cutoff);
    }
}
