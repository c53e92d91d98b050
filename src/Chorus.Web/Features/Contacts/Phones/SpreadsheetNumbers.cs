namespace Chorus.Features.Contacts.Phones;

internal enum SpreadsheetRepair
{
    None,
    Repaired,
    DigitsLost,
}

/// <summary>
/// Undoes what spreadsheets do to phone numbers kept in number cells. Excel exports "2124567890.0" when the
/// cell has a decimal format, and "2.12457E+09" when the column is too narrow or the format is General.
/// </summary>
/// <remarks>
/// Scientific notation is read back only when every digit is still there ("2.124567890E+09"). When the mantissa
/// is shorter than the exponent ("2.12456789E+09", "2.12457E+09") the missing digits were rounded away, not
/// zeros: 2124567890 and 2124567891 export alike. Guessing would text a stranger, so those are rejected with
/// <see cref="PhoneNumberRejection.ScientificNotation"/> and a message that says how to re-export.
/// </remarks>
internal static class SpreadsheetNumbers
{
    public const int MaxDigits = 20;

    public static SpreadsheetRepair Repair(ReadOnlySpan<char> text, Span<char> digits, out int length)
    {
        length = 0;

        // A ".0" suffix ends in 0 and scientific notation has an E; every other number skips both scans below.
        if (text[^1] != '0' && text.IndexOfAny('E', 'e') < 0)
        {
            return SpreadsheetRepair.None;
        }

        var dot = text.IndexOf('.');
        if (dot > 0 && dot <= MaxDigits && IsDigits(text[..dot]) && IsZeros(text[(dot + 1)..]))
        {
            text[..dot].CopyTo(digits);
            length = dot;
            return SpreadsheetRepair.Repaired;
        }

        var e = text.IndexOfAny('E', 'e');
        if (e <= 0)
        {
            return SpreadsheetRepair.None;
        }

        var exponentText = text[(e + 1)..];
        if (exponentText.StartsWith('+'))
        {
            exponentText = exponentText[1..];
        }

        if (exponentText.IsEmpty || exponentText.Length > 2 || !IsDigits(exponentText))
        {
            return SpreadsheetRepair.None;
        }

        var mantissa = text[..e];
        var point = mantissa.IndexOf('.');
        var whole = point < 0 ? mantissa : mantissa[..point];
        var fraction = point < 0 ? [] : mantissa[(point + 1)..];
        if (whole.IsEmpty || !IsDigits(whole) || !IsDigits(fraction))
        {
            return SpreadsheetRepair.None;
        }

        var exponent = int.Parse(exponentText, provider: System.Globalization.CultureInfo.InvariantCulture);
        if (fraction.Length > exponent || whole.Length + exponent > MaxDigits)
        {
            // Not a whole number, or too long to be a phone number: not a spreadsheet phone number at all.
            return SpreadsheetRepair.None;
        }

        if (fraction.Length < exponent)
        {
            return SpreadsheetRepair.DigitsLost;
        }

        whole.CopyTo(digits);
        fraction.CopyTo(digits[whole.Length..]);
        length = whole.Length + fraction.Length;
        return SpreadsheetRepair.Repaired;
    }

    private static bool IsDigits(ReadOnlySpan<char> text) => !text.ContainsAnyExceptInRange('0', '9');

    private static bool IsZeros(ReadOnlySpan<char> text) => !text.IsEmpty && !text.ContainsAnyExcept('0');
}
