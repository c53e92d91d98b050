namespace Chorus.Features.Contacts.TimeZones;

/// <summary>US ZIP codes as the five-digit number the lookup tables are keyed by.</summary>
public static class ZipCode
{
    /// <summary>
    /// Accepts "12345", ZIP+4 as "12345-6789" or "12345 6789", and the nine bare digits voter files often carry;
    /// surrounding spaces are ignored. Anything else (including a four-digit code that lost its leading zero in a
    /// spreadsheet) is refused rather than guessed, so the resolver falls through to the phone prefix.
    /// </summary>
    public static bool TryParse(string? text, out int zip5)
    {
        zip5 = 0;
        if (text is null)
        {
            return false;
        }

        var s = text.AsSpan().Trim();
        var valid = s.Length switch
        {
            5 => AllDigits(s),
            9 => AllDigits(s),
            10 => (s[5] == '-' || s[5] == ' ') && AllDigits(s[..5]) && AllDigits(s[6..]),
            _ => false,
        };
        if (!valid)
        {
            return false;
        }

        for (var i = 0; i < 5; i++)
        {
            zip5 = (zip5 * 10) + (s[i] - '0');
        }

        return true;
    }

    private static bool AllDigits(ReadOnlySpan<char> s)
    {
        foreach (var c in s)
        {
            if (!char.IsAsciiDigit(c))
            {
                return false;
            }
        }

        return true;
    }
}
