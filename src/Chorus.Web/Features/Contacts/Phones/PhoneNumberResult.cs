namespace Chorus.Features.Contacts.Phones;

/// <summary>
/// The outcome of normalizing one phone number: either an E.164 string and the region libphonenumber places
/// it in, or a rejection with its reason. A struct, because the importer makes a million of them per upload.
/// </summary>
public readonly record struct PhoneNumberResult
{
    private PhoneNumberResult(string? e164, string? regionCode, PhoneNumberRejection rejection, bool hadExtension)
    {
        E164 = e164;
        RegionCode = regionCode;
        Rejection = rejection;
        HadExtension = hadExtension;
    }

    /// <summary>"+12124567890" when accepted; null when rejected.</summary>
    public string? E164 { get; }

    /// <summary>
    /// ISO 3166 region ("US", "PR", "CA"…) when libphonenumber could place the number, also on a
    /// <see cref="PhoneNumberRejection.RegionNotAllowed"/> rejection; null otherwise.
    /// </summary>
    public string? RegionCode { get; }

    public PhoneNumberRejection Rejection { get; }

    /// <summary>
    /// The input carried an extension ("ext 12", "x12", "#12"), which E.164 can't hold and SMS can't reach. The
    /// number itself is accepted; an extension usually means an office line, so the importer may flag it.
    /// </summary>
    public bool HadExtension { get; }

    public bool IsAccepted => Rejection == PhoneNumberRejection.None;

    /// <summary>A sentence for the rejected-rows report; null when accepted.</summary>
    public string? Message => PhoneNumberMessages.For(Rejection, RegionCode);

    internal static PhoneNumberResult Accepted(string e164, string regionCode, bool hadExtension = false) =>
        new(e164, regionCode, PhoneNumberRejection.None, hadExtension);

    internal static PhoneNumberResult Rejected(PhoneNumberRejection rejection, string? regionCode = null) =>
        new(null, regionCode, rejection, false);
}
