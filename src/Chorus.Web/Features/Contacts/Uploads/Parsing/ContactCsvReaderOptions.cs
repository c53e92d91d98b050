namespace Chorus.Features.Contacts.Uploads.Parsing;

/// <summary>Limits and format choices for reading an uploaded contact list.</summary>
public sealed record ContactCsvReaderOptions
{
    /// <summary>Bytes read from the upload before it fails with <see cref="CsvFileErrorCode.FileTooLarge"/>.</summary>
    public long MaxFileBytes { get; init; } = SizeLimitedStream.DefaultMaxBytes;

    /// <summary>
    /// Characters in one row, quotes and line breaks included, before the file fails with
    /// <see cref="CsvFileErrorCode.RecordTooLong"/>. Real contact rows are a few hundred characters; the limit
    /// stops a file without line breaks (or with a quote never closed) from being buffered whole.
    /// </summary>
    public int MaxRecordChars { get; init; } = 1 << 20;

    /// <summary>
    /// The column separator. Null detects it from the header line: comma, tab (VAN's text exports, Excel's
    /// "Unicode Text"), semicolon (Excel in many European locales) or pipe, whichever appears most; comma on a tie.
    /// </summary>
    public char? Delimiter { get; init; }
}
