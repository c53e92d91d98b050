using Chorus.Features.Contacts.TimeZones;

namespace Chorus.Features.Contacts.Uploads;

/// <summary>
/// Resolves contacts' time zones during an import without paying libphonenumber's parse for every row (≈5 µs, the
/// largest per-row cost once parsing is fast). Its answer depends only on the ZIP code and on the number's
/// country + area code + exchange (the deepest prefix libphonenumber's zone table uses for +1 numbers), so each of
/// those is resolved once and the parts are combined with the resolver's own precedence.
/// </summary>
internal sealed class ImportLocationCache(string organizationTimeZone)
{
    private const int NanpPrefixLength = 8; // "+1" + NPA + NXX

    private readonly Dictionary<string, ContactLocation> _byPhonePrefix = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ContactLocation> _byZip = new(StringComparer.Ordinal);

    public ContactLocation Resolve(string? explicitTimeZone, string zip, string phoneE164)
    {
        if (!string.IsNullOrWhiteSpace(explicitTimeZone))
        {
            return ContactTimeZoneResolver.Resolve(explicitTimeZone, zip, phoneE164, organizationTimeZone);
        }

        var phoneKey = phoneE164.StartsWith("+1", StringComparison.Ordinal) && phoneE164.Length > NanpPrefixLength ? phoneE164[..NanpPrefixLength] : phoneE164;
        if (!_byPhonePrefix.TryGetValue(phoneKey, out var byPhone))
        {
            byPhone = ContactTimeZoneResolver.Resolve(null, null, phoneE164, organizationTimeZone);
            _byPhonePrefix[phoneKey] = byPhone;
        }

        if (zip.Length == 0)
        {
            return byPhone;
        }

        if (!_byZip.TryGetValue(zip, out var byZip))
        {
            byZip = ContactTimeZoneResolver.Resolve(null, zip, null, organizationTimeZone);
            _byZip[zip] = byZip;
        }

        return byZip.Source == TimeZoneSource.ZipCode
            ? byZip with { AreaCodeState = byPhone.AreaCodeState }
            : byPhone with { ZipState = byZip.ZipState };
    }
}
