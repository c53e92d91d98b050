using PhoneNumbers;

namespace Chorus.Features.Contacts.TimeZones;

/// <summary>
/// Decides which time zone(s) a contact is in, and which state, from the data a contact row carries. Pure: no
/// database, no clock; the tables are embedded and libphonenumber's are in its assembly.
/// </summary>
public static class ContactTimeZoneResolver
{
    private const string UnknownZone = "Etc/Unknown";

    /// <summary>
    /// Resolves the contact's candidate zones: explicit zone &gt; ZIP code &gt; phone prefix &gt; organization default
    /// (DOMAIN.md decision 1, §2.5). An input that is present but unusable is skipped, with a note saying why.
    /// The ZIP code and phone are read for the state even when an earlier source settled the zone.
    /// </summary>
    /// <param name="explicitTimeZone">An IANA id stored on the contact, or null.</param>
    /// <param name="zip">"12345", "12345-6789" or "123456789", or null.</param>
    /// <param name="phoneE164">The contact's number in E.164 ("+12125551234"), or null.</param>
    /// <param name="organizationTimeZone">
    /// The organization's default IANA zone. It is validated when the organization's settings are saved, so an
    /// unknown id here is a bug and throws <see cref="ArgumentException"/>.
    /// </param>
    public static ContactLocation Resolve(string? explicitTimeZone, string? zip, string? phoneE164, string organizationTimeZone)
    {
        if (!IanaTimeZones.TryFind(organizationTimeZone, out _))
        {
            throw new ArgumentException(
                $"The organization's time zone '{organizationTimeZone}' is not an IANA time zone id known on this machine.",
                nameof(organizationTimeZone));
        }

        var notes = new List<string>();

        string? explicitZone = null;
        if (!string.IsNullOrWhiteSpace(explicitTimeZone))
        {
            var id = explicitTimeZone.Trim();
            if (IanaTimeZones.TryFind(id, out var zone))
            {
                // The zone's own id, so "america/chicago" from a spreadsheet is stored and compared as America/Chicago.
                explicitZone = zone.Id;
            }
            else
            {
                notes.Add($"The contact's time zone '{id}' is not an IANA time zone id (like America/Chicago); ignored.");
            }
        }

        string? zipZone = null;
        string? zipState = null;
        if (!string.IsNullOrWhiteSpace(zip))
        {
            if (!ZipCode.TryParse(zip, out var zip5))
            {
                notes.Add($"The ZIP code '{zip.Trim()}' is not a 5-digit or ZIP+4 code; ignored.");
            }
            else
            {
                zipState = ZipCodeLookup.StateFor(zip5);
                zipZone = ZipCodeLookup.TimeZoneFor(zip5);
                if (zipZone is null)
                {
                    notes.Add($"The ZIP code {zip5:D5} is not in the ZIP code time zone table.");
                }
            }
        }

        var (phoneZones, areaCodeState) = FromPhone(phoneE164, notes);

        var (zones, source) = explicitZone is not null ? ([explicitZone], TimeZoneSource.Explicit)
            : zipZone is not null ? ([zipZone], TimeZoneSource.ZipCode)
            : phoneZones is { Count: > 0 } ? (phoneZones, TimeZoneSource.PhonePrefix)
            : ((IReadOnlyList<string>)[organizationTimeZone], TimeZoneSource.OrganizationDefault);

        return new ContactLocation(zones, source, zipState, areaCodeState, notes);
    }

    private static (IReadOnlyList<string>? Zones, string? AreaCodeState) FromPhone(string? phoneE164, List<string> notes)
    {
        if (string.IsNullOrWhiteSpace(phoneE164))
        {
            return (null, null);
        }

        var text = phoneE164.Trim();
        // E.164 carries its country code; requiring the '+' keeps a national-format number from being read as a
        // US one by accident (normalising with the organization's region is the phone normaliser's job, §6).
        PhoneNumber? number = null;
        if (text.StartsWith('+'))
        {
            try
            {
                number = PhoneNumberUtil.GetInstance().Parse(text, null);
            }
            catch (NumberParseException)
            {
            }
        }

        if (number is null)
        {
            notes.Add($"The phone number '{text}' is not in E.164 form (+12125550123); ignored.");
            return (null, null);
        }

        var areaCodeState = number.CountryCode == 1 && number.NationalNumber is >= 2_000_000_000 and <= 9_999_999_999
            ? AreaCodeStates.StateFor((int)(number.NationalNumber / 10_000_000))
            : null;

        var zones = new List<string>();
        foreach (var id in PhoneNumberToTimeZonesMapper.GetInstance().GetTimeZonesForNumber(number))
        {
            if (id == UnknownZone)
            {
                continue;
            }

            if (IanaTimeZones.TryFind(id, out _))
            {
                zones.Add(id);
            }
            else
            {
                notes.Add($"libphonenumber's time zone '{id}' for {text} is not known on this machine; left out.");
            }
        }

        if (zones.Count == 0)
        {
            notes.Add($"libphonenumber knows no time zone for {text}.");
        }

        return (zones, areaCodeState);
    }
}
