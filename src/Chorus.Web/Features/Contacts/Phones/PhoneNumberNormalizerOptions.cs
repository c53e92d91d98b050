using System.Collections.Frozen;

namespace Chorus.Features.Contacts.Phones;

/// <summary>How an organization's phone numbers are read (decision 5: libphonenumber, default region per organization).</summary>
public sealed record PhoneNumberNormalizerOptions
{
    /// <summary>
    /// The fifty states, DC and the five inhabited territories, which share US texting rules and carriers.
    /// Canada and the Caribbean share the +1 country code but not the rules (or the price), so they are left out.
    /// </summary>
    public static IReadOnlySet<string> UnitedStatesAndTerritories { get; } =
        new[] { "US", "PR", "GU", "VI", "AS", "MP" }.ToFrozenSet(StringComparer.Ordinal);

    /// <summary>ISO 3166 region assumed for numbers written without a country code ("212-456-7890").</summary>
    public string DefaultRegion { get; init; } = "US";

    /// <summary>
    /// Regions (ISO 3166 codes, as libphonenumber names them) whose numbers are accepted; any other valid number
    /// is rejected with <see cref="PhoneNumberRejection.RegionNotAllowed"/>. Null accepts every region.
    /// </summary>
    public IReadOnlySet<string>? AllowedRegions { get; init; } = UnitedStatesAndTerritories;
}
