namespace Chorus.Infrastructure.Http;

/// <summary>One CSV cell of text someone else wrote (a voter, a spreadsheet, a staff note), safe to open in a spreadsheet.</summary>
public static class CsvCell
{
    /// <summary>
    /// RFC 4180 quoting, and a leading ' on anything a spreadsheet would run as a formula (see <see cref="Neutralize"/>),
    /// so an export can never execute what a voter typed. Use it for untrusted text; our own normalized values (E.164
    /// phones, ids, timestamps) go through <see cref="Trusted"/> or <see cref="Phone"/>.
    /// </summary>
    public static string Quote(string? value) => "\"" + Neutralize(value).Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    /// <summary>
    /// The text with a leading ' when it starts with a character Excel, LibreOffice or Google Sheets would read as the
    /// start of a formula: = + - @, or a tab or carriage return before one (OWASP "CSV Injection"). The ' shows in the
    /// cell, which is the price of safety: "-5" from a voter's spreadsheet comes back as "'-5".
    /// </summary>
    public static string Neutralize(string? value)
    {
        value ??= "";
        return value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + value : value;
    }

    /// <summary>
    /// A value Chorus produced itself (an id, a number, a timestamp, an enum name): quoted only when RFC 4180 requires
    /// it (a comma, a quote or a line break), never neutralized. Never use it for text a person typed.
    /// </summary>
    public static string Trusted(string? value)
    {
        value ??= "";
        return value.AsSpan().IndexOfAny(",\"\r\n") < 0 ? value : "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    /// <summary>
    /// A phone number. A strict E.164 value (+ then 1–15 digits: the only form Chorus stores once a number is
    /// normalized) passes as is, so the column stays a usable phone number; a spreadsheet reads "+12125550123" as the
    /// number 12125550123, not as a formula, because nothing in it can call a function. Anything else is treated as
    /// untrusted text and neutralized.
    /// </summary>
    public static string Phone(string? value) => IsE164(value) ? value! : Quote(value);

    private static bool IsE164(string? value)
    {
        if (value is not { Length: >= 2 and <= 16 } || value[0] != '+')
        {
            return false;
        }

        foreach (var c in value.AsSpan(1))
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
