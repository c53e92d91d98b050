using System.Globalization;
using System.Text;
using Sylvan.Data.Csv;

namespace Chorus.Features.Contacts.Uploads.Parsing;

/// <summary>
/// Streams an uploaded contact list: RFC 4180 CSV (or tab-, semicolon- or pipe-separated), UTF-8 with or without
/// a byte-order mark (UTF-16 with one), any line endings, a header row first. Memory stays flat whatever the file
/// size: one row is parsed at a time into a reused buffer, and a row longer than
/// <see cref="ContactCsvReaderOptions.MaxRecordChars"/> fails the file instead of growing the buffer.
/// Problems with the file are return values: <see cref="Open"/> returns them before the first row,
/// <see cref="Read"/> returns <see cref="ContactCsvReadStatus.Failed"/> with <see cref="Error"/> after.
/// </summary>
/// <remarks>
/// Blank lines (and rows of empty values) are skipped. Short rows read their missing values as empty. Values
/// beyond the header are not imported and flag the row (<see cref="ContactCsvRow.HasUnexpectedValues"/>).
/// Parsing is Sylvan.Data.Csv's; this class adds physical line numbers for the rejected-rows report (Sylvan
/// counts records, and a quoted value can hold line breaks), header handling, and errors a person can act on.
/// </remarks>
public sealed class ContactCsvReader : IDisposable, IAsyncDisposable
{
    private readonly ContactCsvReaderOptions _options;
    private CsvDataReader? _csv;
    private long _nextLine = 1;
    private long _rowNumber;
    private long _headerLine;
    private long? _binaryLine;
    private ContactCsvReadStatus? _finished;

    private ContactCsvReader(ContactCsvReaderOptions options) => _options = options;

    public IReadOnlyList<string> Headers { get; private set; } = [];

    // Set by Open before the reader is handed out.
    public ColumnMapping Mapping { get; private set; } = null!;

    public char Delimiter { get; private set; }

    /// <summary>The row the last successful read produced; the same instance every time.</summary>
    public ContactCsvRow Current { get; private set; } = null!;

    /// <summary>Why the last read returned <see cref="ContactCsvReadStatus.Failed"/>.</summary>
    public CsvFileError? Error { get; private set; }

    /// <summary>Blank lines and rows of empty values skipped so far, before the header too, for the import summary.</summary>
    public long BlankLinesSkipped { get; private set; }

    /// <summary>
    /// Reads the header row and builds the column mapping (guesses, then <paramref name="explicitMappingJson"/>,
    /// see <see cref="ColumnMapping.Create(IReadOnlyList{string}, string?)"/>). The caller keeps ownership of
    /// <paramref name="stream"/> and must dispose the returned reader.
    /// </summary>
    public static ContactCsvOpenResult Open(Stream stream, string? explicitMappingJson = null, ContactCsvReaderOptions? options = null)
    {
        var reader = new ContactCsvReader(options ?? new ContactCsvReaderOptions());
        var limited = new SizeLimitedStream(stream, reader._options.MaxFileBytes);
        try
        {
            var prefix = new byte[FileSniffer.PrefixBytes];
            var length = 0;
            int read;
            while (length < prefix.Length && (read = limited.Read(prefix.AsSpan(length))) > 0)
            {
                length += read;
            }

            if (reader.CheckPrefix(prefix.AsSpan(0, length)) is { } error)
            {
                return Failed(reader, error);
            }

            var csv = reader._csv = CsvDataReader.Create(OpenText(prefix, length, limited), reader.SylvanOptions());
            while (csv.Read())
            {
                if (reader.TryTakeHeader())
                {
                    return reader.Finish(explicitMappingJson);
                }
            }

            return Failed(reader, reader._binaryLine is { } line ? BinaryContent(line) : NoHeader);
        }
        catch (Exception e) when (reader.Describe(e) is { } error)
        {
            return Failed(reader, error);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <inheritdoc cref="Open"/>
    public static async Task<ContactCsvOpenResult> OpenAsync(
        Stream stream,
        string? explicitMappingJson = null,
        ContactCsvReaderOptions? options = null,
        CancellationToken cancellationToken = default)
    {
        var reader = new ContactCsvReader(options ?? new ContactCsvReaderOptions());
        var limited = new SizeLimitedStream(stream, reader._options.MaxFileBytes);
        try
        {
            var prefix = new byte[FileSniffer.PrefixBytes];
            var length = 0;
            int read;
            while (length < prefix.Length && (read = await limited.ReadAsync(prefix.AsMemory(length), cancellationToken)) > 0)
            {
                length += read;
            }

            if (reader.CheckPrefix(prefix.AsSpan(0, length)) is { } error)
            {
                return Failed(reader, error);
            }

            var csv = reader._csv = await CsvDataReader.CreateAsync(OpenText(prefix, length, limited), reader.SylvanOptions(), cancellationToken);
            while (await csv.ReadAsync(cancellationToken))
            {
                if (reader.TryTakeHeader())
                {
                    return reader.Finish(explicitMappingJson);
                }
            }

            return Failed(reader, reader._binaryLine is { } line ? BinaryContent(line) : NoHeader);
        }
        catch (Exception e) when (reader.Describe(e) is { } error)
        {
            return Failed(reader, error);
        }
        catch
        {
            reader.Dispose();
            throw;
        }
    }

    /// <summary>Moves <see cref="Current"/> to the next non-blank row.</summary>
    public ContactCsvReadStatus Read()
    {
        if (_finished is { } finished)
        {
            return finished;
        }

        try
        {
            while (_csv!.Read())
            {
                if (TryLoadRow() is { } status)
                {
                    return status;
                }
            }

            return End();
        }
        catch (Exception e) when (Describe(e) is { } error)
        {
            return Fail(error);
        }
    }

    /// <inheritdoc cref="Read"/>
    public async ValueTask<ContactCsvReadStatus> ReadAsync(CancellationToken cancellationToken = default)
    {
        if (_finished is { } finished)
        {
            return finished;
        }

        try
        {
            while (await _csv!.ReadAsync(cancellationToken))
            {
                if (TryLoadRow() is { } status)
                {
                    return status;
                }
            }

            return End();
        }
        catch (Exception e) when (Describe(e) is { } error)
        {
            return Fail(error);
        }
    }

    public void Dispose() => _csv?.Dispose();

    public ValueTask DisposeAsync() => _csv?.DisposeAsync() ?? ValueTask.CompletedTask;

    private CsvFileError? CheckPrefix(ReadOnlySpan<byte> prefix)
    {
        if (prefix.IsEmpty)
        {
            return new(CsvFileErrorCode.Empty, "The file is empty.");
        }

        if (FileSniffer.Check(prefix) is { } error)
        {
            return error;
        }

        Delimiter = _options.Delimiter ?? FileSniffer.DetectDelimiter(prefix);
        return null;
    }

    private CsvDataReaderOptions SylvanOptions() => new()
    {
        // Headers are read by hand, so blank lines before them are skipped and counted.
        HasHeaders = false,
        Delimiter = Delimiter,
        Quote = '"',
        Escape = '"',
        CsvStyle = CsvStyle.Standard,
        BufferSize = Math.Min(1 << 16, _options.MaxRecordChars),
        MaxBufferSize = _options.MaxRecordChars,

        // Sylvan skips lines that start with the comment character, '#' by default, and '#' starts real values
        // ("#2 Main St"). NUL never starts a line of text, so it is the comment character here, and a "comment"
        // means binary data: reading fails, with the line number.
        Comment = '\0',
        CommentHandler = new Action<string>(OnComment),
        OwnsReader = true,
    };

    private bool TryTakeHeader()
    {
        var csv = _csv!;
        var line = _nextLine;
        _nextLine += CountLineBreaks(csv.GetRawRecordSpan());
        if (_binaryLine is not null)
        {
            return false;
        }

        if (IsBlank(csv))
        {
            BlankLinesSkipped++;
            return false;
        }

        var headers = new string[csv.RowFieldCount];
        for (var i = 0; i < headers.Length; i++)
        {
            headers[i] = csv.GetFieldSpan(i).ToString();
        }

        // A second byte-order mark (a file saved as UTF-8 twice) survives decoding as a character.
        headers[0] = headers[0].TrimStart('\uFEFF');
        Headers = headers;
        _headerLine = line;
        return true;
    }

    private ContactCsvOpenResult Finish(string? explicitMappingJson)
    {
        if (Headers.Any(h => h.AsSpan().IndexOfAny('\uFFFD', '\0') >= 0))
        {
            Dispose();
            return new(null, Headers, null, new CsvFileError(
                CsvFileErrorCode.NotUtf8,
                "The header row isn't UTF-8 text. Save the file as \"CSV UTF-8\" (in Excel: File, Save As, CSV UTF-8) and upload it again.",
                _headerLine), []);
        }

        var mapping = ColumnMapping.Create(Headers, explicitMappingJson);
        if (!mapping.IsValid)
        {
            Dispose();
            return new(null, Headers, mapping.Mapping, null, mapping.Errors);
        }

        Mapping = mapping.Mapping;
        Current = new ContactCsvRow(_csv!, Mapping, Headers.Count);
        return new(this, Headers, Mapping, null, []);
    }

    private ContactCsvReadStatus? TryLoadRow()
    {
        // A NUL at the start of a line reaches us as a "comment" (see SylvanOptions), before the record after it.
        if (_binaryLine is { } binaryLine)
        {
            return Fail(BinaryContent(binaryLine));
        }

        var csv = _csv!;
        var raw = csv.GetRawRecordSpan();
        var line = _nextLine;
        _nextLine += CountLineBreaks(raw);
        if (IsBlank(csv))
        {
            BlankLinesSkipped++;
            return null;
        }

        Current.Load(line, ++_rowNumber, raw);
        return ContactCsvReadStatus.Row;
    }

    private ContactCsvReadStatus End() =>
        _binaryLine is { } binaryLine ? Fail(BinaryContent(binaryLine)) : Finish(ContactCsvReadStatus.End);

    private ContactCsvReadStatus Fail(CsvFileError error)
    {
        Error = error;
        return Finish(ContactCsvReadStatus.Failed);
    }

    private ContactCsvReadStatus Finish(ContactCsvReadStatus status)
    {
        _finished = status;
        return status;
    }

    private void OnComment(string comment)
    {
        _binaryLine ??= _nextLine;
        _nextLine += 1 + CountLineBreaks(comment);
    }

    private CsvFileError? Describe(Exception e) => e switch
    {
        StreamSizeLimitExceededException => new(
            CsvFileErrorCode.FileTooLarge,
            string.Create(CultureInfo.InvariantCulture, $"The file is larger than the {FormatBytes(_options.MaxFileBytes)} limit. Split the list into smaller files.")),
        CsvRecordTooLargeException => new(
            CsvFileErrorCode.RecordTooLong,
            string.Create(CultureInfo.InvariantCulture, $"The row starting on line {_nextLine} is longer than {_options.MaxRecordChars:N0} characters. The file may be missing line breaks, or a value may open a double quote that never closes."),
            _nextLine),
        CsvFormatException or CsvInvalidCharacterException => new(
            CsvFileErrorCode.MalformedCsv,
            string.Create(CultureInfo.InvariantCulture, $"The row starting on line {_nextLine} has a misplaced double quote. A value that contains commas, quotes or line breaks must be wrapped in double quotes, with each quote inside it doubled (\"\"), and only a comma or the end of the line may follow the closing quote."),
            _nextLine),
        _ => null,
    };

    private static readonly CsvFileError NoHeader =
        new(CsvFileErrorCode.Empty, "The file has no header row: it holds only blank lines.");

    private static ContactCsvOpenResult Failed(ContactCsvReader reader, CsvFileError error)
    {
        reader.Dispose();
        return new(null, reader.Headers, null, error, []);
    }

    private static StreamReader OpenText(byte[] prefix, int length, Stream rest) =>
        new StreamReader(
            new PrefixedStream(prefix, length, rest),
            new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: false),
            detectEncodingFromByteOrderMarks: true,
            bufferSize: 1 << 16,
            leaveOpen: true);

    private static bool IsBlank(CsvDataReader csv)
    {
        for (var i = 0; i < csv.RowFieldCount; i++)
        {
            if (!csv.GetFieldSpan(i).IsWhiteSpace())
            {
                return false;
            }
        }

        return true;
    }

    // CRLF, LF and a lone CR each end one line.
    private static int CountLineBreaks(ReadOnlySpan<char> text)
    {
        var count = 0;
        int i;
        while ((i = text.IndexOfAny('\r', '\n')) >= 0)
        {
            count++;
            var crlf = text[i] == '\r' && i + 1 < text.Length && text[i + 1] == '\n';
            text = text[(i + (crlf ? 2 : 1))..];
        }

        return count;
    }

    private static CsvFileError BinaryContent(long line) => new(
        CsvFileErrorCode.NotCsv,
        string.Create(CultureInfo.InvariantCulture, $"Line {line} contains binary data (a NUL byte), so this isn't a text CSV file. Export the list again as \"CSV UTF-8\"."),
        line);

    private static string FormatBytes(long bytes) => bytes switch
    {
        >= 1L << 30 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 30):0.#} GB"),
        >= 1L << 20 => string.Create(CultureInfo.InvariantCulture, $"{bytes / (double)(1L << 20):0.#} MB"),
        _ => string.Create(CultureInfo.InvariantCulture, $"{bytes:N0}-byte"),
    };
}
