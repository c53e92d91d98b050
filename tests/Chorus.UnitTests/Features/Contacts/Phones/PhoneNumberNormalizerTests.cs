using Chorus.Features.Contacts.Phones;

namespace Chorus.UnitTests.Features.Contacts.Phones;

public sealed class PhoneNumberNormalizerTests
{
    private static readonly PhoneNumberNormalizer Normalizer = PhoneNumberNormalizer.Default;

    // DOMAIN.md §6.1: the layouts libphonenumber reads as +12124567890.
    [Theory]
    [InlineData("(212) 456-7890")]
    [InlineData("212.456.7890")]
    [InlineData("1-212-456-7890")]
    [InlineData("+12124567890")]
    [InlineData("+1 212 456 7890")]
    [InlineData("  2124567890 ")]
    [InlineData("2124567890")]
    [InlineData("212/456-7890")]
    [InlineData("[212] 456-7890")]
    [InlineData("212–456–7890")]
    [InlineData("+ 1 212 456 7890")]
    [InlineData("tel:+12124567890")]
    [InlineData("２１２４５６７８９０")]
    [InlineData("٢١٢٤٥٦٧٨٩٠")]
    [InlineData("011 1 212 456 7890")]
    public void Reads_common_layouts_of_a_US_number_as_E164(string raw)
    {
        var result = Normalizer.Normalize(raw);

        Assert.True(result.IsAccepted, result.Message);
        Assert.Equal("+12124567890", result.E164);
        Assert.Equal("US", result.RegionCode);
        Assert.Null(result.Message);
    }

    [Theory]
    [InlineData("2124567890.0")]
    [InlineData("2124567890.00")]
    [InlineData("12124567890.0")]
    [InlineData("2.124567890E+09")]
    [InlineData("2.124567890E9")]
    [InlineData("1.2124567890E+10")]
    public void Reads_spreadsheet_number_cells_back_when_no_digit_was_lost(string raw)
    {
        var result = Normalizer.Normalize(raw);

        Assert.Equal("+12124567890", result.E164);
    }

    [Fact]
    public void Reads_a_spreadsheet_number_whose_last_digit_is_nonzero_only_when_written_in_full()
    {
        var full = Normalizer.Normalize("2.124567891E+09");
        var rounded = Normalizer.Normalize("2.12456789E+09");

        Assert.Equal("+12124567891", full.E164);
        Assert.Equal(PhoneNumberRejection.ScientificNotation, rounded.Rejection);
    }

    [Theory]
    [InlineData("2.12456789E+09")]
    [InlineData("2.12457E+09")]
    [InlineData("1.21246E+10")]
    public void Rejects_scientific_notation_that_rounded_digits_away(string raw)
    {
        var result = Normalizer.Normalize(raw);

        Assert.Equal(PhoneNumberRejection.ScientificNotation, result.Rejection);
        Assert.Contains("Text", result.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("212-456-7890 ext 12")]
    [InlineData("212-456-7890 x12")]
    [InlineData("+1 (212) 456-7890 ext. 5")]
    public void Accepts_a_number_with_an_extension_and_says_it_had_one(string raw)
    {
        var result = Normalizer.Normalize(raw);

        Assert.Equal("+12124567890", result.E164);
        Assert.True(result.HadExtension);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("\t")]
    public void Calls_a_blank_cell_missing(string? raw)
    {
        Assert.Equal(PhoneNumberRejection.Missing, Normalizer.Normalize(raw).Rejection);
    }

    [Theory]
    [InlineData("n/a")]
    [InlineData("0")]
    [InlineData("none")]
    [InlineData("-")]
    [InlineData("212 456 7890 / 212 555 1212")]
    public void Calls_text_that_is_no_phone_number_unparseable(string raw)
    {
        Assert.Equal(PhoneNumberRejection.Unparseable, Normalizer.Normalize(raw).Rejection);
    }

    // DOMAIN.md §6.1: libphonenumber calls 4567890 possible but not valid; we don't guess an area code.
    [Theory]
    [InlineData("4567890")]
    [InlineData("456-7890")]
    [InlineData("212-456-789")]
    [InlineData("12345")]
    public void Rejects_numbers_without_an_area_code_as_too_short(string raw)
    {
        Assert.Equal(PhoneNumberRejection.TooShort, Normalizer.Normalize(raw).Rejection);
    }

    // DOMAIN.md §6.1: the numbers libphonenumber itself calls invalid.
    [Theory]
    [InlineData("+15551234567")] // 555 area code
    [InlineData("+10125551234")] // area code starts with 0
    [InlineData("+11125551234")] // area code starts with 1
    [InlineData("+12120551234")] // exchange starts with 0
    [InlineData("+12121551234")] // exchange starts with 1
    [InlineData("+13706541234")] // 37X reserved
    [InlineData("+19606541234")] // 96X reserved
    [InlineData("+12224567890")] // 222 unassigned
    [InlineData("2124567890123")]
    public void Rejects_numbers_libphonenumber_calls_invalid(string raw)
    {
        Assert.Equal(PhoneNumberRejection.InvalidNumber, Normalizer.Normalize(raw).Rejection);
    }

    // DOMAIN.md §6.2: N11 service codes and N9X expansion codes are never area codes.
    [Theory]
    [InlineData("+19115551234")]
    [InlineData("+12115551234")]
    [InlineData("+14115551234")]
    [InlineData("+18115551234")]
    [InlineData("+12925551234")]
    [InlineData("+19905551234")]
    public void Rejects_service_and_expansion_codes_in_the_area_code(string raw)
    {
        Assert.Equal(PhoneNumberRejection.InvalidAreaCode, Normalizer.Normalize(raw).Rejection);
    }

    // DOMAIN.md §6.1 (+12129111234 is valid to libphonenumber) and §6.2 (reject N11 exchanges).
    [Theory]
    [InlineData("+12129111234")]
    [InlineData("212-411-1234")]
    [InlineData("(212) 211-0000")]
    public void Rejects_service_codes_in_the_exchange(string raw)
    {
        Assert.Equal(PhoneNumberRejection.ServiceCode, Normalizer.Normalize(raw).Rejection);
    }

    // DOMAIN.md §6.1 (+12125550123 is valid to libphonenumber) and §6.2 (555-0100 to 555-0199 are fictional).
    [Theory]
    [InlineData("+12125550123", PhoneNumberRejection.Fictional)]
    [InlineData("212-555-0100", PhoneNumberRejection.Fictional)]
    [InlineData("212-555-0199", PhoneNumberRejection.Fictional)]
    [InlineData("212-555-0099", PhoneNumberRejection.None)]
    [InlineData("212-555-0200", PhoneNumberRejection.None)]
    [InlineData("212-555-1234", PhoneNumberRejection.None)]
    public void Rejects_only_the_fictional_555_01XX_block(string raw, PhoneNumberRejection expected)
    {
        Assert.Equal(expected, Normalizer.Normalize(raw).Rejection);
    }

    // DOMAIN.md §6.1 (TOLL_FREE vectors) and §6.2 (toll-free and reserved toll-free codes).
    [Theory]
    [InlineData("+18005551212")]
    [InlineData("+18445551234")]
    [InlineData("+18335551234")]
    [InlineData("855-234-5678")]
    [InlineData("866-234-5678")]
    [InlineData("877-234-5678")]
    [InlineData("888-234-5678")]
    [InlineData("+18806541234")] // 880 reserved toll-free; libphonenumber calls it invalid
    [InlineData("822-234-5678")]
    [InlineData("887-234-5678")]
    [InlineData("889-234-5678")]
    [InlineData("1-800-FLOWERS")]
    public void Rejects_toll_free_numbers(string raw)
    {
        Assert.Equal(PhoneNumberRejection.TollFree, Normalizer.Normalize(raw).Rejection);
    }

    [Theory]
    [InlineData(900)]
    [InlineData(500)]
    [InlineData(521)]
    [InlineData(529)]
    [InlineData(533)]
    [InlineData(544)]
    [InlineData(566)]
    [InlineData(577)]
    [InlineData(588)]
    [InlineData(600)]
    [InlineData(622)]
    [InlineData(700)]
    [InlineData(710)]
    public void Rejects_premium_and_special_service_area_codes(int areaCode)
    {
        var raw = string.Create(System.Globalization.CultureInfo.InvariantCulture, $"+1{areaCode}2345678");

        Assert.Equal(PhoneNumberRejection.PremiumOrSpecial, Normalizer.Normalize(raw).Rejection);
    }

    [Fact]
    public void Accepts_Tucson_520_which_is_not_part_of_the_52X_service_block()
    {
        Assert.Equal("+15202345678", Normalizer.Normalize("520-234-5678").E164);
    }

    // DOMAIN.md §6.1: +17875551234 is PR and +16715551234 is GU.
    [Theory]
    [InlineData("+17875551234", "PR")]
    [InlineData("939-234-5678", "PR")]
    [InlineData("+16715551234", "GU")]
    [InlineData("+13402001234", "VI")]
    [InlineData("+16846221234", "AS")]
    [InlineData("+16702331234", "MP")]
    public void Accepts_the_US_territories(string raw, string region)
    {
        var result = Normalizer.Normalize(raw);

        Assert.True(result.IsAccepted, result.Message);
        Assert.Equal(region, result.RegionCode);
    }

    [Theory]
    [InlineData("+1 416 234 5678", "CA")]
    [InlineData("876-234-5678", "JM")]
    [InlineData("+44 20 7946 0958", "GB")]
    public void Rejects_valid_numbers_outside_the_allowed_regions_and_names_the_region(string raw, string region)
    {
        var result = Normalizer.Normalize(raw);

        Assert.Equal(PhoneNumberRejection.RegionNotAllowed, result.Rejection);
        Assert.Equal(region, result.RegionCode);
        Assert.Contains(region, result.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Accepts_other_regions_when_the_organization_allows_them()
    {
        var normalizer = new PhoneNumberNormalizer(new PhoneNumberNormalizerOptions { AllowedRegions = new HashSet<string> { "US", "CA" } });

        Assert.Equal("+14162345678", normalizer.Normalize("416-234-5678").E164);
        Assert.Equal(PhoneNumberRejection.RegionNotAllowed, normalizer.Normalize("+17875551234").Rejection);
    }

    [Fact]
    public void Accepts_any_region_when_no_region_list_is_set()
    {
        var normalizer = new PhoneNumberNormalizer(new PhoneNumberNormalizerOptions { AllowedRegions = null });

        var result = normalizer.Normalize("+44 20 7946 0958");

        Assert.Equal("+442079460958", result.E164);
        Assert.Equal("GB", result.RegionCode);
    }

    [Fact]
    public void Reads_numbers_without_a_country_code_in_the_default_region()
    {
        var british = new PhoneNumberNormalizer(new PhoneNumberNormalizerOptions { DefaultRegion = "GB", AllowedRegions = null });

        Assert.Equal("+442079460958", british.Normalize("020 7946 0958").E164);
        Assert.Equal("+12124567890", british.Normalize("+1 212 456 7890").E164);
        Assert.Equal(PhoneNumberRejection.RegionNotAllowed, Normalizer.Normalize("020 7946 0958", "GB").Rejection);
    }

    [Fact]
    public void Reads_7_digit_numbers_with_the_area_code_a_territory_default_region_implies()
    {
        // libphonenumber gives Guam's single area code to local numbers; we follow it for a Guam organization.
        var guam = new PhoneNumberNormalizer(new PhoneNumberNormalizerOptions { DefaultRegion = "GU" });

        Assert.Equal("+16715551234", guam.Normalize("555-1234").E164);
    }

    [Fact]
    public void Refuses_a_default_region_libphonenumber_does_not_know()
    {
        Assert.Throws<ArgumentException>(() => new PhoneNumberNormalizer(new PhoneNumberNormalizerOptions { DefaultRegion = "XX" }));
    }

    [Fact]
    public void Explains_every_rejection_in_a_sentence()
    {
        foreach (var rejection in Enum.GetValues<PhoneNumberRejection>().Where(r => r != PhoneNumberRejection.None))
        {
            var message = PhoneNumberMessages.For(rejection, "CA");

            Assert.False(string.IsNullOrWhiteSpace(message));
            Assert.EndsWith(".", message, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("(212) 456-7890")]
    [InlineData("212.456.7890")]
    [InlineData("212-456-7890")]
    [InlineData("1-212-456-7890")]
    [InlineData("+1 212 456 7890")]
    [InlineData("+12124567890")]
    [InlineData("2124567890")]
    [InlineData(" 2124567890 ")]
    [InlineData("2124567890.0")]
    [InlineData("212/456-7890")]
    [InlineData("456-7890")]
    [InlineData("800-234-5678")]
    [InlineData("212-555-0123")]
    [InlineData("212-911-1234")]
    [InlineData("787-234-5678")]
    [InlineData("416-234-5678")]
    public void Reads_plain_US_layouts_without_calling_libphonenumber(string raw)
    {
        PhoneNumberNormalizer.Default.Normalize(raw, out var usedFastPath);

        Assert.True(usedFastPath);
    }

    [Fact]
    public void Allocates_nothing_but_the_E164_string_on_the_fast_path()
    {
        var numbers = Enumerable.Range(0, 10_000)
            .Select(i => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"(212) {200 + (i % 700)}-{i % 10_000:D4}"))
            .ToArray();
        Normalizer.Normalize(numbers[0]);

        var before = GC.GetAllocatedBytesForCurrentThread();
        foreach (var number in numbers)
        {
            Normalizer.Normalize(number.AsSpan());
        }

        var perNumber = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)numbers.Length;
        Assert.True(perNumber <= 48, $"{perNumber} bytes per number");
    }
}
