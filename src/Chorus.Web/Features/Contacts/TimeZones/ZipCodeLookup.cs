namespace Chorus.Features.Contacts.TimeZones;

/// <summary>
/// ZIP code → IANA time zone and ZIP code → state, from the two tables in this folder (see README.md for their
/// sources and licences). Both load once, on first use.
/// </summary>
public static class ZipCodeLookup
{
    private static readonly Lazy<ZipRangeTable> TimeZones = new(() => ZipRangeTable.Load("zip-timezones.txt"));
    private static readonly Lazy<ZipRangeTable> States = new(() => ZipRangeTable.Load("zip-states.txt"));

    /// <summary>The zone of a five-digit ZIP code, or null when the table does not cover it.</summary>
    public static string? TimeZoneFor(int zip5) => TimeZones.Value.Find(zip5);

    /// <summary>
    /// The USPS state or territory code (two letters: "FL", "DC", "PR") of a five-digit ZIP code, or null for military
    /// and unallocated codes.
    /// </summary>
    public static string? StateFor(int zip5) => States.Value.Find(zip5);
}
