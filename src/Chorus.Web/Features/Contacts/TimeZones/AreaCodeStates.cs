using System.Globalization;

namespace Chorus.Features.Contacts.TimeZones;

/// <summary>
/// NANP area code → the US state or territory it serves, from area-code-states.txt (generated from
/// libphonenumber's geocoder by eng/zip-timezones/area-code-states.cs). A US area code never spans a state line,
/// which is why Florida and Oklahoma can presume residence from it. Canadian and Caribbean codes are absent.
/// </summary>
public static class AreaCodeStates
{
    private static readonly Lazy<Dictionary<int, string>> Table = new(Load);

    public static int Count => Table.Value.Count;

    public static string? StateFor(int areaCode) => Table.Value.GetValueOrDefault(areaCode);

    private static Dictionary<int, string> Load()
    {
        var table = new Dictionary<int, string>();
        foreach (var line in EmbeddedData.ReadLines("area-code-states.txt"))
        {
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 2
                || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var areaCode)
                || !table.TryAdd(areaCode, parts[1]))
            {
                throw new InvalidDataException($"area-code-states.txt has a malformed or repeated line: '{line}'.");
            }
        }

        return table;
    }
}
