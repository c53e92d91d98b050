namespace Chorus.Features.Contacts.Phones;

internal static class PhoneNumberMessages
{
    public static string? For(PhoneNumberRejection rejection, string? regionCode) => rejection switch
    {
        PhoneNumberRejection.None => null,
        PhoneNumberRejection.Missing => "No phone number.",
        PhoneNumberRejection.Unparseable => "This doesn't look like a phone number.",
        PhoneNumberRejection.ScientificNotation =>
            "A spreadsheet turned this number into scientific notation (like 2.12457E+09) and its last digits are lost. "
            + "Format the phone column as Text in the spreadsheet and export the file again.",
        PhoneNumberRejection.TooShort => "Too few digits: a US number needs a 3-digit area code and 7 more digits.",
        PhoneNumberRejection.InvalidNumber => "Not a valid phone number: its area code or exchange isn't in use.",
        PhoneNumberRejection.InvalidAreaCode => "The area code is a service code (like 911) or reserved, not a real area code.",
        PhoneNumberRejection.TollFree => "Toll-free numbers (800, 888 and the like) belong to businesses and can't be texted.",
        PhoneNumberRejection.PremiumOrSpecial => "Premium-rate and special-service numbers (900, 500, 700 and the like) can't be texted.",
        PhoneNumberRejection.ServiceCode => "The exchange is a service code (like 911 or 411), so no one has this number.",
        PhoneNumberRejection.Fictional => "555-0100 to 555-0199 numbers are reserved for fiction; no one has this number.",
        PhoneNumberRejection.RegionNotAllowed => regionCode is null
            ? "This number is outside the regions this organization texts."
            : $"This is a number in {regionCode}, outside the regions this organization texts.",
        _ => throw new ArgumentOutOfRangeException(nameof(rejection), rejection, null),
    };
}
