using Chorus.Features.Contacts.Phones;
using Chorus.Features.OptOuts;
using Chorus.Infrastructure.Http;

namespace Chorus.Features.Records;

/// <summary>
/// Reads a number typed in any format ("(212) 456-7890", "212.456.7890", "+1 212 456 7890") as E.164, with the
/// organization's default region, as the opt-out list does. A record is about a person, not about whom we may text:
/// numbers Chorus would refuse to text (toll-free, fictional 555-01xx, premium) are still looked up.
/// </summary>
public static class RecordPhone
{
    public static Outcome<string> Parse(string? text, string defaultRegion)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > 40)
        {
            return Failure.Invalid("Give a phone number, e.g. (212) 456-7890 or +12124567890.", "phone");
        }

        var phone = new PhoneNumberNormalizer(new PhoneNumberNormalizerOptions { DefaultRegion = defaultRegion, AllowedRegions = null }).Normalize(text);
        if (phone.E164 is { } e164)
        {
            return e164;
        }

        if (phone.Rejection is PhoneNumberRejection.TollFree or PhoneNumberRejection.Fictional or PhoneNumberRejection.ServiceCode or PhoneNumberRejection.PremiumOrSpecial
            && OptOutList.DigitsAsE164(text) is { } digits)
        {
            return digits;
        }

        return Failure.Invalid($"'{text.Trim()}' is not a phone number we can look up. {phone.Message ?? "It has too few or too many digits."} Try e.g. (212) 456-7890 or +12124567890.", "phone");
    }
}
