using System.Globalization;

namespace Chorus.Features.Contacts.TimeZones;

/// <summary>
/// Sorted, non-overlapping ranges of five-digit ZIP codes, each with a value, read from an embedded text file
/// ("first last value" per line, '#' comments). Lookups are a binary search over two int arrays.
/// </summary>
internal sealed class ZipRangeTable
{
    private readonly int[] _firsts;
    private readonly int[] _lasts;
    private readonly string[] _values;

    private ZipRangeTable(int[] firsts, int[] lasts, string[] values)
    {
        _firsts = firsts;
        _lasts = lasts;
        _values = values;
    }

    public int Count => _firsts.Length;

    public string? Find(int zip5)
    {
        var i = Array.BinarySearch(_firsts, zip5);
        if (i < 0)
        {
            // ~i is the first range starting after the ZIP, so the candidate is the one before it.
            i = ~i - 1;
        }

        return i >= 0 && zip5 <= _lasts[i] ? _values[i] : null;
    }

    public static ZipRangeTable Load(string resourceName)
    {
        var firsts = new List<int>();
        var lasts = new List<int>();
        var values = new List<string>();
        var distinct = new Dictionary<string, string>(StringComparer.Ordinal);
        var lineNumber = 0;
        foreach (var line in EmbeddedData.ReadLines(resourceName))
        {
            lineNumber++;
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length != 3
                || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var last)
                || last < first
                || (lasts.Count > 0 && first <= lasts[^1]))
            {
                throw new InvalidDataException($"{resourceName} line {lineNumber} is malformed, unsorted or overlapping: '{line}'.");
            }

            firsts.Add(first);
            lasts.Add(last);
            // About 1,000 lines share 30 values: keep one string per value.
            values.Add(distinct.TryGetValue(parts[2], out var same) ? same : distinct[parts[2]] = parts[2]);
        }

        return new ZipRangeTable([.. firsts], [.. lasts], [.. values]);
    }
}
