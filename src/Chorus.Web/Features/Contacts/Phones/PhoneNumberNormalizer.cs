using System.Globalization;
using PhoneNumbers;

namespace Chorus.Features.Contacts.Phones;

/// <summary>
/// Turns what people type into phone cells into E.164, or says why the number can't be texted
/// (DOMAIN.md §6, decision 5). libphonenumber decides validity; <see cref="NanpRules"/> adds what it misses.
/// Immutable and thread-safe: build one per organization setting and share it.
/// </summary>
/// <remarks>
/// libphonenumber's <c>Parse</c> costs about 10 µs of CPU and several allocations per number, which alone would
/// take more than an import's whole 8 s budget for a million rows. Almost every real number is a plain US number in one of a
/// few layouts, so a fast path reads ASCII digits and common punctuation itself, applies the NANP rules with
/// arithmetic and takes validity from <see cref="NanpAreaCodeTable"/>, which was itself derived from
/// libphonenumber. Anything else (letters, extensions, other countries, unusual digits, area codes whose validity
/// varies by exchange) goes to libphonenumber. Both paths end in the same rule order, and a test checks they agree.
/// </remarks>
public sealed class PhoneNumberNormalizer
{
    private const long TenDigits = 10_000_000_000;

    private static readonly PhoneNumberUtil Util = PhoneNumberUtil.GetInstance();

    private readonly string _defaultRegion;
    private readonly bool _defaultRegionUsesFastPath;
    private readonly IReadOnlySet<string>? _allowedRegions;
    private readonly string?[] _uniformRegionByAreaCode;
    private readonly bool[] _allowedByAreaCode = new bool[1000];

    public PhoneNumberNormalizer(PhoneNumberNormalizerOptions? options = null)
    {
        options ??= new PhoneNumberNormalizerOptions();
        if (!Util.GetSupportedRegions().Contains(options.DefaultRegion))
        {
            throw new ArgumentException($"'{options.DefaultRegion}' is not a region libphonenumber knows.", nameof(options));
        }

        _defaultRegion = options.DefaultRegion;
        _defaultRegionUsesFastPath = UsesFastPath(_defaultRegion);
        _allowedRegions = options.AllowedRegions;
        _uniformRegionByAreaCode = [.. NanpAreaCodeTable.RegionByAreaCode];
        for (var npa = 0; npa < 1000; npa++)
        {
            var region = _uniformRegionByAreaCode[npa];
            _allowedByAreaCode[npa] = region is not null && IsAllowed(region);
        }
    }

    /// <summary>US default region, US and territories allowed.</summary>
    public static PhoneNumberNormalizer Default { get; } = new();

    public PhoneNumberResult Normalize(string? raw) => Normalize(raw.AsSpan(), out _);

    public PhoneNumberResult Normalize(ReadOnlySpan<char> raw) => Normalize(raw, out _);

    /// <summary>As <see cref="Normalize(ReadOnlySpan{char})"/>, with another default region for this call only.</summary>
    public PhoneNumberResult Normalize(ReadOnlySpan<char> raw, string defaultRegion)
    {
        if (!Util.GetSupportedRegions().Contains(defaultRegion))
        {
            throw new ArgumentException($"'{defaultRegion}' is not a region libphonenumber knows.", nameof(defaultRegion));
        }

        return Normalize(raw, defaultRegion, UsesFastPath(defaultRegion), allowFastPath: true, out _);
    }

    internal PhoneNumberResult Normalize(ReadOnlySpan<char> raw, out bool usedFastPath) =>
        Normalize(raw, _defaultRegion, _defaultRegionUsesFastPath, allowFastPath: true, out usedFastPath);

    /// <summary>The answer with libphonenumber alone; the fast path must always agree with it.</summary>
    internal PhoneNumberResult NormalizeWithLibphonenumberOnly(ReadOnlySpan<char> raw) =>
        Normalize(raw, _defaultRegion, _defaultRegionUsesFastPath, allowFastPath: false, out _);

    // Only for the US and Canada does libphonenumber read every "NXX NXX XXXX" or "1 NXX NXX XXXX" as that
    // ten-digit national number; other NANP regions expand 7-digit local numbers or refuse other areas' numbers.
    // Numbers written with +1 mean the same whatever the default region.
    private static bool UsesFastPath(string region) => region is "US" or "CA";

    private PhoneNumberResult Normalize(
        ReadOnlySpan<char> raw, string defaultRegion, bool nationalFastPath, bool allowFastPath, out bool usedFastPath)
    {
        usedFastPath = false;
        scoped var text = raw.Trim();
        if (text.IsEmpty)
        {
            return PhoneNumberResult.Rejected(PhoneNumberRejection.Missing);
        }

        Span<char> repaired = stackalloc char[SpreadsheetNumbers.MaxDigits];
        switch (SpreadsheetNumbers.Repair(text, repaired, out var repairedLength))
        {
            case SpreadsheetRepair.Repaired:
                text = repaired[..repairedLength];
                break;
            case SpreadsheetRepair.DigitsLost:
                return PhoneNumberResult.Rejected(PhoneNumberRejection.ScientificNotation);
            case SpreadsheetRepair.None:
                break;
        }

        if (allowFastPath && TryFastPath(text, nationalFastPath, out var fast))
        {
            usedFastPath = true;
            return fast;
        }

        return NormalizeWithLibphonenumber(text, defaultRegion);
    }

    /// <summary>ASCII digits with spaces, dashes, dots, parentheses or slashes, and an optional leading "+1".</summary>
    private bool TryFastPath(ReadOnlySpan<char> text, bool nationalFastPath, out PhoneNumberResult result)
    {
        result = default;
        long digits = 0;
        var count = 0;
        var plus = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            var digit = (uint)(c - '0');
            if (digit <= 9)
            {
                if (++count > 11)
                {
                    return false;
                }

                digits = (digits * 10) + digit;
            }
            else if (c == '+' && i == 0 && text.Length > 1 && char.IsAsciiDigit(text[1]))
            {
                plus = true;
            }
            else if (c is not (' ' or '-' or '.' or '(' or ')' or '/'))
            {
                return false;
            }
        }

        long national;
        if (count == 11 && digits / TenDigits == 1 && (plus || nationalFastPath))
        {
            national = digits - TenDigits;
        }
        else if (count == 10 && !plus && nationalFastPath)
        {
            national = digits;
        }
        else if (count == 7 && !plus && nationalFastPath)
        {
            result = PhoneNumberResult.Rejected(PhoneNumberRejection.TooShort);
            return true;
        }
        else
        {
            return false;
        }

        var npa = (int)(national / 10_000_000);
        if (npa < 200)
        {
            // libphonenumber reads a leading 0 or 1 in other ways (a trunk prefix, a second "1"); let it decide.
            return false;
        }

        var nxx = (int)(national / 10_000 % 1000);
        var line = (int)(national % 10_000);
        var rejection = CheckBeforeValidity(npa, nxx);
        if (rejection != PhoneNumberRejection.None)
        {
            result = PhoneNumberResult.Rejected(rejection);
            return true;
        }

        var region = _uniformRegionByAreaCode[npa];
        if (region is null)
        {
            return false;
        }

        rejection = NanpRules.CheckValidNumber(nxx, line);
        if (rejection != PhoneNumberRejection.None)
        {
            result = PhoneNumberResult.Rejected(rejection);
            return true;
        }

        result = _allowedByAreaCode[npa]
            ? PhoneNumberResult.Accepted(FormatNanpE164(national), region)
            : PhoneNumberResult.Rejected(PhoneNumberRejection.RegionNotAllowed, region);
        return true;
    }

    private PhoneNumberResult NormalizeWithLibphonenumber(ReadOnlySpan<char> text, string defaultRegion)
    {
        PhoneNumber number;
        try
        {
            number = Util.Parse(text.ToString(), defaultRegion);
        }
        catch (NumberParseException e)
        {
            return PhoneNumberResult.Rejected(e.ErrorType is ErrorType.TOO_SHORT_NSN or ErrorType.TOO_SHORT_AFTER_IDD
                ? PhoneNumberRejection.TooShort
                : PhoneNumberRejection.Unparseable);
        }

        var hadExtension = number.HasExtension && number.Extension.Length > 0;
        if (number.CountryCode == 1)
        {
            return CheckNanpNumber(number, hadExtension);
        }

        var region = Util.GetRegionCodeForNumber(number);
        if (region is null || !Util.IsValidNumberForRegion(number, region))
        {
            return PhoneNumberResult.Rejected(PhoneNumberRejection.InvalidNumber);
        }

        return IsAllowed(region)
            ? PhoneNumberResult.Accepted(Util.Format(number, PhoneNumberFormat.E164), region, hadExtension)
            : PhoneNumberResult.Rejected(PhoneNumberRejection.RegionNotAllowed, region);
    }

    private PhoneNumberResult CheckNanpNumber(PhoneNumber number, bool hadExtension)
    {
        // The national significant number keeps leading zeros, which NationalNumber drops.
        var significant = Util.GetNationalSignificantNumber(number);
        if (significant.Length < 10)
        {
            return PhoneNumberResult.Rejected(PhoneNumberRejection.TooShort);
        }

        if (significant.Length > 10)
        {
            return PhoneNumberResult.Rejected(PhoneNumberRejection.InvalidNumber);
        }

        var national = long.Parse(significant, CultureInfo.InvariantCulture);
        var npa = (int)(national / 10_000_000);
        var nxx = (int)(national / 10_000 % 1000);
        var line = (int)(national % 10_000);
        var rejection = CheckBeforeValidity(npa, nxx);
        if (rejection != PhoneNumberRejection.None)
        {
            return PhoneNumberResult.Rejected(rejection);
        }

        // This is IsValidNumber's own logic, without looking the region up twice.
        var region = Util.GetRegionCodeForNumber(number);
        if (region is null || !Util.IsValidNumberForRegion(number, region))
        {
            return PhoneNumberResult.Rejected(PhoneNumberRejection.InvalidNumber);
        }

        rejection = NanpRules.CheckValidNumber(nxx, line);
        if (rejection != PhoneNumberRejection.None)
        {
            return PhoneNumberResult.Rejected(rejection);
        }

        return IsAllowed(region)
            ? PhoneNumberResult.Accepted(FormatNanpE164(national), region, hadExtension)
            : PhoneNumberResult.Rejected(PhoneNumberRejection.RegionNotAllowed, region);
    }

    private static PhoneNumberRejection CheckBeforeValidity(int npa, int nxx)
    {
        var rejection = NanpRules.CheckAreaCode(npa);
        return rejection != PhoneNumberRejection.None ? rejection : NanpRules.CheckExchangeFormat(nxx);
    }

    private bool IsAllowed(string region) => _allowedRegions is null || _allowedRegions.Contains(region);

    private static string FormatNanpE164(long national) =>
        string.Create(12, national, static (span, value) =>
        {
            span[0] = '+';
            span[1] = '1';
            for (var i = 11; i >= 2; i--)
            {
                span[i] = (char)('0' + (value % 10));
                value /= 10;
            }
        });
}
