namespace Chorus.Infrastructure.Http;

/// <summary>One CSV cell of text someone else wrote (a voter, a spreadsheet, a staff note), safe to open in a spreadsheet.</summary>
public static class CsvCell
{
    /// <summary>
    /// RFC 4180 quoting, and a leading ' on anything a spreadsheet would run as a formula (=, +, -, @), so an export can
    /// never execute what a voter typed. Use it for untrusted text; our own normalized values (E.164 phones) need none.
    /// </summary>
    public static string Quote(string? value)
    {
        value ??= "";
        if (value.Length > 0 && value[0] is '=' or '+' or '-' or '@')
        {
            value = "'" + value;
        }

        return "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }
}
