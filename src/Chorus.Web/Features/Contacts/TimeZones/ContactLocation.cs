namespace Chorus.Features.Contacts.TimeZones;

/// <summary>Where a contact's time zone came from, in the order of precedence (DOMAIN.md decision 1).</summary>
public enum TimeZoneSource
{
    Explicit,
    ZipCode,
    PhonePrefix,
    OrganizationDefault,
}

/// <summary>
/// What we know about where a contact is, for texting-hours decisions.
/// </summary>
/// <param name="TimeZones">
/// Candidate IANA zone ids, at least one, all known on this machine. Several only when the phone prefix is the
/// source and its area spans zones (907 → Adak and Anchorage; toll-free → every NANP zone): the contact may be in
/// any of them, so a send must suit all of them.
/// </param>
/// <param name="Source">Which input the zones came from.</param>
/// <param name="ZipState">USPS state or territory code from the ZIP code, when it had one.</param>
/// <param name="AreaCodeState">USPS state or territory code of the phone's area code, when it is a US one.</param>
/// <param name="Notes">
/// Why an input that was given could not be used ("'Mars/Olympus' is not an IANA time zone id"), for logs and
/// for showing the organizer which contact data to fix. Empty when every input given was usable.
/// </param>
public sealed record ContactLocation(
    IReadOnlyList<string> TimeZones,
    TimeZoneSource Source,
    string? ZipState,
    string? AreaCodeState,
    IReadOnlyList<string> Notes)
{
    /// <summary>The state the contact most likely lives in: the ZIP code's, else the area code's.</summary>
    public string? State => ZipState ?? AreaCodeState;
}
