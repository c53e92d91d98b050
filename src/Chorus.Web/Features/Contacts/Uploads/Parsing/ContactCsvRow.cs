using Sylvan.Data.Csv;

namespace Chorus.Features.Contacts.Uploads.Parsing;

/// <summary>
/// The current row of a <see cref="ContactCsvReader"/>: a view over the parser's buffer, reused for every row so
/// reading a million rows allocates nothing per row. Spans and values are valid only until the next read; copy
/// what must outlive it (<c>ToString()</c>, <see cref="GetValues"/>).
/// </summary>
public sealed class ContactCsvRow
{
    private readonly CsvDataReader _csv;
    private readonly int _headerCount;
    private readonly int _firstName;
    private readonly int _lastName;
    private readonly int _phone;
    private readonly int _zip;
    private readonly int _externalId;
    private readonly int _timeZone;
    private readonly int[] _custom;

    internal ContactCsvRow(CsvDataReader csv, ColumnMapping mapping, int headerCount)
    {
        _csv = csv;
        _headerCount = headerCount;
        _firstName = mapping.OrdinalOf(ContactField.FirstName);
        _lastName = mapping.OrdinalOf(ContactField.LastName);
        _phone = mapping.OrdinalOf(ContactField.Phone);
        _zip = mapping.OrdinalOf(ContactField.Zip);
        _externalId = mapping.OrdinalOf(ContactField.ExternalId);
        _timeZone = mapping.OrdinalOf(ContactField.TimeZone);
        _custom = mapping.CustomFields.Select(c => c.Ordinal).ToArray();
    }

    /// <summary>1-based physical line where the row starts, the header being on line 1 unless blank lines precede it.
    /// A row with a line break inside quotes spans several lines; the next row's number counts them.</summary>
    public long LineNumber { get; private set; }

    /// <summary>1-based position among the data rows, blank lines not counted.</summary>
    public long RowNumber { get; private set; }

    /// <summary>Values in this row; fewer than the header has when the row is short (missing values read as empty).</summary>
    public int ValueCount { get; private set; }

    /// <summary>
    /// The row has non-blank values beyond the last header, usually an unquoted comma ("Smith, Jr.") that shifted
    /// every later value one column right. Such a row's mapped values can't be trusted; reject it. Empty extra
    /// values (Excel's trailing commas) don't count.
    /// </summary>
    public bool HasUnexpectedValues { get; private set; }

    /// <summary>The row holds bytes that aren't UTF-8 (shown as U+FFFD) or NUL characters: likely an "ANSI" export.</summary>
    public bool HasEncodingErrors { get; private set; }

    // Mapped fields come trimmed: spreadsheets pad cells, and " 10001" must still be a ZIP code.
    public ReadOnlySpan<char> FirstName => Trimmed(_firstName);

    public ReadOnlySpan<char> LastName => Trimmed(_lastName);

    public ReadOnlySpan<char> Phone => Trimmed(_phone);

    public ReadOnlySpan<char> Zip => Trimmed(_zip);

    public ReadOnlySpan<char> ExternalId => Trimmed(_externalId);

    public ReadOnlySpan<char> TimeZone => Trimmed(_timeZone);

    /// <summary>The trimmed value of <c>Mapping.CustomFields[index]</c>.</summary>
    public ReadOnlySpan<char> GetCustomValue(int index) => Trimmed(_custom[index]);

    /// <summary>The value as written (unquoted, untrimmed) in column <paramref name="ordinal"/>; empty past the row's end.</summary>
    public ReadOnlySpan<char> GetValue(int ordinal) =>
        (uint)ordinal < (uint)ValueCount ? _csv.GetFieldSpan(ordinal) : [];

    /// <summary>Every value as written, extra ones included, to echo the row in a rejected-rows file.</summary>
    public string[] GetValues()
    {
        var values = new string[ValueCount];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = _csv.GetFieldSpan(i).ToString();
        }

        return values;
    }

    /// <summary>The row's text exactly as in the file, quotes included, without the line break that ends it.</summary>
    public ReadOnlySpan<char> RawRecord => _csv.GetRawRecordSpan().TrimEnd("\r\n");

    internal void Load(long lineNumber, long rowNumber, ReadOnlySpan<char> raw)
    {
        LineNumber = lineNumber;
        RowNumber = rowNumber;
        ValueCount = _csv.RowFieldCount;
        HasEncodingErrors = raw.IndexOfAny('\uFFFD', '\0') >= 0;
        HasUnexpectedValues = false;
        for (var i = _headerCount; i < ValueCount; i++)
        {
            if (!_csv.GetFieldSpan(i).IsWhiteSpace())
            {
                HasUnexpectedValues = true;
                break;
            }
        }
    }

    private ReadOnlySpan<char> Trimmed(int ordinal) =>
        (uint)ordinal < (uint)ValueCount ? _csv.GetFieldSpan(ordinal).Trim() : [];
}
