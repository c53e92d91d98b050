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

    [Theory]
    [InlineData("\t=1+1", "'\t=1+1")]
    [InlineData("\r=1+1", "'\r=1+1")]
    [InlineData("=HYPERLINK(\"http://evil\",\"click\")", "'=HYPERLINK(\"http://evil\",\"click\")")]
    [InlineData("Ana", "Ana")]
    [InlineData("a=b", "a=b")]
    [InlineData(null, "")]
    public void Neutralize_prefixes_a_quote_only_before_a_formula_start_tab_or_carriage_return(string? value, string expected)
    {
        var text = CsvCell.Neutralize(value);

        Assert.Equal(expected, text);
    }

    [Theory]
    [InlineData("+12125550123", "+12125550123")]
    [InlineData("+1 212 555 0123", "\"'+1 212 555 0123\"")]
    [InlineData("+1212=1+1", "\"'+1212=1+1\"")]
    [InlineData("+", "\"'+\"")]
    [InlineData("", "\"\"")]
    public void Phone_passes_strict_E164_untouched_and_neutralizes_anything_else(string value, string expected)
    {
        var cell = CsvCell.Phone(value);

        Assert.Equal(expected, cell);
    }

    [Theory]
    [InlineData("2026-11-03 15:00:00", "2026-11-03 15:00:00")]
    [InlineData("needs-response", "needs-response")]
    [InlineData("a,b", "\"a,b\"")]
    [InlineData("say \"hi\"", "\"say \"\"hi\"\"\"")]
    [InlineData("two\r\nlines", "\"two\r\nlines\"")]
    public void Trusted_quotes_only_when_RFC_4180_requires_it(string value, string expected)
    {
        var cell = CsvCell.Trusted(value);

        Assert.Equal(expected, cell);
    }
}
