using System.Diagnostics;
using System.Text;
using Chorus.Features.Contacts.Phones;
using Chorus.Features.Contacts.Uploads.Parsing;

namespace Chorus.UnitTests.Features.Contacts.Uploads;

public sealed class ContactCsvReaderTests
{
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    [Fact]
    public void Reads_rows_into_the_guessed_fields()
    {
        const string File = """
            First Name,Last Name,Cell Phone,Zip,VANID,Time Zone,Polling Place
            Ada,Lovelace,(212) 456-7890,10001,1234,America/New_York,PS 41
            Grace,Hopper,212.456.7891,02134,5678,,Town Hall

            """;

        var rows = ReadAll(File);

        Assert.Equal(2, rows.Count);
        Assert.Equal(new Row(2, 1, "Ada", "Lovelace", "(212) 456-7890", "10001", "1234", "America/New_York", ["PS 41"]), rows[0]);
        Assert.Equal(new Row(3, 2, "Grace", "Hopper", "212.456.7891", "02134", "5678", "", ["Town Hall"]), rows[1]);
    }

    [Fact]
    public void Skips_a_UTF8_byte_order_mark()
    {
        var bytes = Utf8Bom.Concat(Encoding.UTF8.GetBytes("Phone,First\n2124567890,Zoë\n")).ToArray();

        using var opened = Open(bytes);

        Assert.Equal(["Phone", "First"], opened.Reader!.Headers);
        Assert.Equal(ContactCsvReadStatus.Row, opened.Reader.Read());
        Assert.Equal("Zoë", opened.Reader.Current.FirstName.ToString());
        Assert.False(opened.Reader.Current.HasEncodingErrors);
    }

    [Theory]
    [InlineData("\r\n")]
    [InlineData("\n")]
    [InlineData("\r")]
    public void Reads_any_line_ending(string newline)
    {
        var file = string.Join(newline, "phone,first", "2124567890,Ada", "", "2124567891,Grace", "");

        var rows = ReadAll(file);

        Assert.Equal([("Ada", 2L), ("Grace", 4L)], rows.Select(r => (r.FirstName, r.Line)));
    }

    [Fact]
    public void Keeps_commas_quotes_and_line_breaks_inside_quoted_values_and_counts_physical_lines()
    {
        const string File = "phone,last,notes\r\n"
            + "2124567890,\"Smith, Jr.\",\"said \"\"hi\"\"\"\r\n"
            + "2124567891,Lee,\"line one\r\nline two\nline three\"\r\n"
            + "2124567892,Kim,\"\"\r\n";

        var rows = ReadAll(File);

        Assert.Equal(["Smith, Jr.", "Lee", "Kim"], rows.Select(r => r.LastName));
        Assert.Equal("said \"hi\"", rows[0].Custom[0]);
        Assert.Equal("line one\r\nline two\nline three", rows[1].Custom[0]);
        Assert.Equal([2L, 3L, 6L], rows.Select(r => r.Line));
    }

    [Fact]
    public void Skips_blank_lines_everywhere_and_counts_them()
    {
        const string File = "\n\n  \nphone,first\n\n2124567890,Ada\n , \n,\n\n2124567891,Grace\n\n\n";

        using var opened = Open(File);
        var reader = opened.Reader!;
        var rows = Drain(reader);

        Assert.Equal([(6L, 1L), (10L, 2L)], rows.Select(r => (r.Line, r.RowNumber)));
        Assert.Equal(9, reader.BlankLinesSkipped);
        Assert.Null(reader.Error);
    }

    [Fact]
    public void Reads_headers_with_odd_spacing_casing_and_punctuation()
    {
        const string File = "  FIRST_NAME , last-name,PHONE.NUMBER ,  zip code,Time-Zone\n  Ada  , Lovelace ,  2124567890 , 10001 ,America/Chicago\n";

        var rows = ReadAll(File);

        Assert.Equal(new Row(2, 1, "Ada", "Lovelace", "2124567890", "10001", "", "America/Chicago", []), rows[0]);
    }

    [Fact]
    public void Keeps_duplicate_headers_apart()
    {
        using var opened = Open("Phone,Phone,Notes,Notes\n2124567890,2124567891,a,b\n");
        var reader = opened.Reader!;
        reader.Read();

        Assert.Equal("2124567890", reader.Current.Phone.ToString());
        Assert.Equal(["phone2", "notes", "notes2"], reader.Mapping.CustomFields.Select(c => c.CustomFieldKey));
        Assert.Equal("b", reader.Current.GetCustomValue(2).ToString());
    }

    [Fact]
    public void Refuses_a_file_without_a_phone_column_but_shows_its_headers_and_guesses()
    {
        using var opened = Open("First,Last,Email\nAda,Lovelace,ada@example.com\n");

        Assert.False(opened.Succeeded);
        Assert.Equal(["First", "Last", "Email"], opened.Headers);
        Assert.Equal(0, opened.Mapping!.OrdinalOf(ContactField.FirstName));
        Assert.Equal(ColumnMappingErrorCode.NoPhoneColumn, Assert.Single(opened.MappingErrors).Code);
    }

    [Fact]
    public void Applies_an_explicit_mapping_and_reports_all_its_errors()
    {
        using var good = Open("Name,Best Number\nAda,2124567890\n", """{"Best Number": "phone", "Name": "firstName"}""");
        using var bad = Open("Name,Best Number\nAda,2124567890\n", """{"Number": "phone", "Name": "nickname"}""");

        Assert.True(good.Succeeded);
        Assert.Equal(ContactCsvReadStatus.Row, good.Reader!.Read());
        Assert.Equal("Ada", good.Reader.Current.FirstName.ToString());
        Assert.Equal(
            [ColumnMappingErrorCode.UnknownColumn, ColumnMappingErrorCode.UnknownField, ColumnMappingErrorCode.NoPhoneColumn],
            bad.MappingErrors.Select(e => e.Code));
    }

    [Fact]
    public void Fails_fast_and_cleanly_on_a_5_MB_line()
    {
        var file = "phone,notes\n2124567890," + new string('x', 5_000_000);
        var watch = Stopwatch.StartNew();

        using var opened = Open(file);
        var reader = opened.Reader!;
        var status = reader.Read();

        Assert.Equal(ContactCsvReadStatus.Failed, status);
        Assert.Equal(CsvFileErrorCode.RecordTooLong, reader.Error!.Code);
        Assert.Equal(2, reader.Error.LineNumber);
        Assert.Contains("line 2", reader.Error.Message, StringComparison.Ordinal);
        Assert.Equal(ContactCsvReadStatus.Failed, reader.Read());
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(5), $"took {watch.Elapsed}");
    }

    [Fact]
    public void Fails_cleanly_when_the_header_itself_never_ends()
    {
        using var opened = Open(new string('x', 3_000_000));

        Assert.Equal(CsvFileErrorCode.RecordTooLong, opened.FileError!.Code);
        Assert.Equal(1, opened.FileError.LineNumber);
    }

    [Fact]
    public void Fails_on_a_quote_that_never_closes_instead_of_swallowing_the_file()
    {
        var file = "phone,notes\n2124567890,\"oops\n" + string.Concat(Enumerable.Repeat("2124567890,fine\n", 10));

        using var opened = Open(file);
        var reader = opened.Reader!;

        Assert.Equal(ContactCsvReadStatus.Failed, reader.Read());
        Assert.Equal(CsvFileErrorCode.MalformedCsv, reader.Error!.Code);
        Assert.Equal(2, reader.Error.LineNumber);
    }

    [Fact]
    public void Fails_on_text_after_a_closing_quote_with_its_line()
    {
        using var opened = Open("phone,notes\n2124567890,ok\n2124567891,\"quoted\"tail\n");
        var reader = opened.Reader!;

        Assert.Equal(ContactCsvReadStatus.Row, reader.Read());
        Assert.Equal(ContactCsvReadStatus.Failed, reader.Read());
        Assert.Equal(new CsvFileError(CsvFileErrorCode.MalformedCsv, reader.Error!.Message, 3), reader.Error);
    }

    [Fact]
    public void Names_an_Excel_workbook_uploaded_instead_of_a_CSV()
    {
        byte[] xlsx = [0x50, 0x4B, 0x03, 0x04, 0x14, 0x00, 0x06, 0x00, .. Encoding.ASCII.GetBytes("[Content_Types].xml")];

        using var opened = Open(xlsx);

        Assert.Equal(CsvFileErrorCode.NotCsv, opened.FileError!.Code);
        Assert.Contains("Excel workbook", opened.FileError.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Refuses_binary_junk()
    {
        var junk = new byte[4096];
        new Random(7).NextBytes(junk);
        junk[100] = 0;

        using var opened = Open(junk);

        Assert.Equal(CsvFileErrorCode.NotCsv, opened.FileError!.Code);
    }

    [Fact]
    public void Refuses_a_header_that_is_not_UTF8()
    {
        var latin1 = Encoding.Latin1.GetBytes("Téléphone,Prénom\n2124567890,José\n");

        using var opened = Open(latin1);

        Assert.Equal(CsvFileErrorCode.NotUtf8, opened.FileError!.Code);
        Assert.Equal(1, opened.FileError.LineNumber);
    }

    [Fact]
    public void Flags_a_row_that_is_not_UTF8_and_keeps_reading()
    {
        var bytes = Encoding.UTF8.GetBytes("phone,first\n").Concat(Encoding.Latin1.GetBytes("2124567890,José\n")).Concat(Encoding.UTF8.GetBytes("2124567891,Zoë\n")).ToArray();

        using var opened = Open(bytes);
        var reader = opened.Reader!;

        reader.Read();
        Assert.True(reader.Current.HasEncodingErrors);
        reader.Read();
        Assert.False(reader.Current.HasEncodingErrors);
    }

    [Fact]
    public void Fails_on_binary_data_after_the_first_kilobytes_with_its_line()
    {
        var file = "phone,notes\n" + string.Concat(Enumerable.Repeat("2124567890,some notes to fill the file up\n", 500)) + "\0\u0001\u0002junk\n2124567890,after\n";

        using var opened = Open(file);
        var reader = opened.Reader!;
        var rows = Drain(reader);

        Assert.Equal(500, rows.Count);
        Assert.Equal(CsvFileErrorCode.NotCsv, reader.Error!.Code);
        Assert.Equal(502, reader.Error.LineNumber);
    }

    [Fact]
    public void Reads_values_starting_with_a_hash_as_data_not_comments()
    {
        var rows = ReadAll("phone,address\n2124567890,x\n#2124567891,#2 Main St\n");

        Assert.Equal(["2124567890", "#2124567891"], rows.Select(r => r.Phone));
    }

    [Theory]
    [InlineData("")]
    [InlineData("\n\n  \r\n")]
    public void Refuses_an_empty_file(string file)
    {
        using var opened = Open(file);

        Assert.Equal(CsvFileErrorCode.Empty, opened.FileError!.Code);
    }

    [Fact]
    public void Reads_a_header_only_file_as_zero_rows()
    {
        using var opened = Open("phone,first,last\r\n");
        var reader = opened.Reader!;

        Assert.Equal(ContactCsvReadStatus.End, reader.Read());
        Assert.Equal(ContactCsvReadStatus.End, reader.Read());
        Assert.Null(reader.Error);
    }

    [Fact]
    public void Reads_missing_values_of_a_short_row_as_empty()
    {
        var rows = ReadAll("phone,first,last,ward\n2124567890,Ada\n");

        Assert.Equal(new Row(2, 1, "Ada", "", "2124567890", "", "", "", [""]), rows[0]);
    }

    [Fact]
    public void Flags_values_beyond_the_header_but_not_trailing_empty_ones()
    {
        using var opened = Open("first,last,phone\nAda,Lovelace,2124567890,,\nJohn,Smith, Jr.,2124567891\n");
        var reader = opened.Reader!;

        reader.Read();
        Assert.False(reader.Current.HasUnexpectedValues);
        reader.Read();
        Assert.True(reader.Current.HasUnexpectedValues);
        Assert.Equal(["John", "Smith", " Jr.", "2124567891"], reader.Current.GetValues());
    }

    [Fact]
    public void Echoes_the_original_record_for_the_rejected_rows_file()
    {
        using var opened = Open("phone,notes\r\n  n/a ,\"a, \"\"b\"\"\"\r\n");
        var reader = opened.Reader!;
        reader.Read();

        Assert.Equal("  n/a ,\"a, \"\"b\"\"\"", reader.Current.RawRecord.ToString());
        Assert.Equal(["  n/a ", "a, \"b\""], reader.Current.GetValues());
        Assert.Equal("  n/a ", reader.Current.GetValue(0).ToString());
        Assert.Equal("n/a", reader.Current.Phone.ToString());
    }

    [Fact]
    public void Reads_phone_numbers_Excel_turned_into_numbers()
    {
        var rows = ReadAll("phone\n2124567890.0\n2.12457E+09\n2.124567890E+09\n");

        var results = rows.Select(r => PhoneNumberNormalizer.Default.Normalize(r.Phone)).ToArray();

        Assert.Equal("+12124567890", results[0].E164);
        Assert.Equal(PhoneNumberRejection.ScientificNotation, results[1].Rejection);
        Assert.Equal("+12124567890", results[2].E164);
    }

    [Theory]
    [InlineData("first\tlast\tcell\nAda\tLovelace\t2124567890\n", '\t')]
    [InlineData("first;last;cell\nAda;Lovelace;2124567890\n", ';')]
    [InlineData("first|last|cell\nAda|Lovelace|2124567890\n", '|')]
    [InlineData("\"first;name\",last,cell\nAda,Lovelace,2124567890\n", ',')]
    public void Detects_the_delimiter_from_the_header(string file, char delimiter)
    {
        using var opened = Open(file);

        Assert.Equal(delimiter, opened.Reader!.Delimiter);
        opened.Reader.Read();
        Assert.Equal("2124567890", opened.Reader.Current.Phone.ToString());
    }

    [Fact]
    public void Reads_an_Excel_Unicode_Text_export()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("First Name\tCell Phone\r\nZoë\t2124567890\r\n")).ToArray();

        var rows = ReadAll(bytes);

        Assert.Equal(("Zoë", "2124567890"), (rows[0].FirstName, rows[0].Phone));
    }

    [Fact]
    public void Fails_a_file_larger_than_the_limit()
    {
        var file = "phone\n" + string.Concat(Enumerable.Repeat("2124567890\n", 2000));

        using var tiny = Open(file, options: new ContactCsvReaderOptions { MaxFileBytes = 100 });
        using var small = Open(file, options: new ContactCsvReaderOptions { MaxFileBytes = 10_000 });
        var reader = small.Reader!;
        var rows = Drain(reader);

        Assert.Equal(CsvFileErrorCode.FileTooLarge, tiny.FileError!.Code);
        Assert.Equal(CsvFileErrorCode.FileTooLarge, reader.Error!.Code);
        Assert.InRange(rows.Count, 1, 909);
    }

    [Fact]
    public async Task Reads_asynchronously_with_the_same_results()
    {
        const string File = "\nphone,first\n2124567890,\"Ada\nLovelace\"\n\n2124567891,Grace\n";
        var expected = ReadAll(File);

        var opened = await ContactCsvReader.OpenAsync(new MemoryStream(Encoding.UTF8.GetBytes(File)), cancellationToken: TestContext.Current.CancellationToken);
        await using var reader = opened.Reader!;
        var rows = new List<Row>();
        while (await reader.ReadAsync(TestContext.Current.CancellationToken) == ContactCsvReadStatus.Row)
        {
            rows.Add(Row.From(reader));
        }

        Assert.Equal(expected, rows);
        Assert.Equal([3L, 6L], rows.Select(r => r.Line));
    }

    [Fact]
    public void Allocates_almost_nothing_per_row()
    {
        var file = new StringBuilder("first_name,last_name,cell,zip,vanid,ward\n");
        for (var i = 0; i < 20_000; i++)
        {
            file.Append("Alexandra,Montgomery,(212) 456-").Append(1000 + (i % 9000)).Append(",10001,").Append(i).Append(",Ward 3\n");
        }

        using var opened = Open(file.ToString());
        var reader = opened.Reader!;
        reader.Read();
        var before = GC.GetAllocatedBytesForCurrentThread();
        var rows = 0;
        while (reader.Read() == ContactCsvReadStatus.Row)
        {
            _ = reader.Current.Phone.Length + reader.Current.FirstName.Length + reader.Current.GetCustomValue(0).Length;
            rows++;
        }

        var perRow = (GC.GetAllocatedBytesForCurrentThread() - before) / (double)rows;
        Assert.True(perRow < 8, $"{perRow} bytes per row");
    }

    private static OpenedFile Open(string text, string? mapping = null, ContactCsvReaderOptions? options = null) =>
        Open(Encoding.UTF8.GetBytes(text), mapping, options);

    private static OpenedFile Open(byte[] bytes, string? mapping = null, ContactCsvReaderOptions? options = null) =>
        new(ContactCsvReader.Open(new MemoryStream(bytes), mapping, options));

    private static List<Row> ReadAll(string text) => ReadAll(Encoding.UTF8.GetBytes(text));

    private static List<Row> ReadAll(byte[] bytes)
    {
        using var opened = Open(bytes);
        Assert.True(opened.Succeeded, opened.FileError?.Message ?? string.Join(" ", opened.MappingErrors.Select(e => e.Message)));
        var rows = Drain(opened.Reader!);
        Assert.Null(opened.Reader!.Error);
        return rows;
    }

    private static List<Row> Drain(ContactCsvReader reader)
    {
        var rows = new List<Row>();
        while (reader.Read() == ContactCsvReadStatus.Row)
        {
            rows.Add(Row.From(reader));
        }

        return rows;
    }

    private sealed record Row(long Line, long RowNumber, string FirstName, string LastName, string Phone, string Zip, string ExternalId, string TimeZone, string[] Custom)
    {
        public static Row From(ContactCsvReader reader)
        {
            var row = reader.Current;
            var custom = Enumerable.Range(0, reader.Mapping.CustomFields.Count).Select(i => row.GetCustomValue(i).ToString()).ToArray();
            return new(row.LineNumber, row.RowNumber, row.FirstName.ToString(), row.LastName.ToString(), row.Phone.ToString(), row.Zip.ToString(), row.ExternalId.ToString(), row.TimeZone.ToString(), custom);
        }

        public bool Equals(Row? other) => other is not null
            && (Line, RowNumber, FirstName, LastName, Phone, Zip, ExternalId, TimeZone) == (other.Line, other.RowNumber, other.FirstName, other.LastName, other.Phone, other.Zip, other.ExternalId, other.TimeZone)
            && Custom.SequenceEqual(other.Custom);

        public override int GetHashCode() => HashCode.Combine(Line, RowNumber, Phone);
    }

    private sealed class OpenedFile(ContactCsvOpenResult result) : IDisposable, IAsyncDisposable
    {
        public ContactCsvReader? Reader => result.Reader;

        public bool Succeeded => result.Succeeded;

        public IReadOnlyList<string> Headers => result.Headers;

        public ColumnMapping? Mapping => result.Mapping;

        public CsvFileError? FileError => result.FileError;

        public IReadOnlyList<ColumnMappingError> MappingErrors => result.MappingErrors;

        public void Dispose() => result.Reader?.Dispose();

        public ValueTask DisposeAsync() => result.Reader?.DisposeAsync() ?? ValueTask.CompletedTask;
    }
}
