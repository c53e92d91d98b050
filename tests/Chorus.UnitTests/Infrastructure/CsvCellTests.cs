using Chorus.Infrastructure.Http;

namespace Chorus.UnitTests.Infrastructure;

public sealed class CsvCellTests
{
    [Theory]
    [InlineData("=HYPERLINK(\"http://evil\")", "\"'=HYPERLINK(\"\"http://evil\"\")\"")]
    [InlineData("+1 call me", "\"'+1 call me\"")]
    [InlineData("-2", "\"'-2\"")]
    [InlineData("@SUM(A1)", "\"'@SUM(A1)\"")]
    public void Neutralizes_text_a_spreadsheet_would_run_as_a_formula(string value, string expected)
    {
        var cell = CsvCell.Quote(value);

        Assert.Equal(expected, cell);
    }

    [Theory]
    [InlineData("Room 2, Hall B", "\"Room 2, Hall B\"")]
    [InlineData("line one\nline two", "\"line one\nline two\"")]
    [InlineData(null, "\"\"")]
    public void Quotes_commas_newlines_and_nothing_as_rfc_4180_says(string? value, string expected)
    {
        var cell = CsvCell.Quote(value);

        Assert.Equal(expected, cell);
    }
}
