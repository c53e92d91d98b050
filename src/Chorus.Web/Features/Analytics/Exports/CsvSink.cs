using System.Globalization;
using System.Text;
using Chorus.Infrastructure.Hosting;
using Chorus.Infrastructure.Http;

namespace Chorus.Features.Analytics.Exports;

/// <summary>
/// Where an export writes: RFC 4180 lines ending in CRLF, cell by cell, and a call back after each page so the job
/// can record its progress. Every export kind writes through one of these, so the file format is decided here.
/// </summary>
public sealed class CsvSink(TextWriter writer, int pageSize, Func<int, CancellationToken, Task> pageWritten)
{
    private readonly StringBuilder _line = new(512);
    private int _cells;
    private readonly GarbageBound _garbage = new(); // an export allocates about 200 MB/s of short-lived rows and cells

    /// <summary>Rows to read per database round trip.</summary>
    public int PageSize { get; } = pageSize;

    /// <summary>Timestamps as "2026-11-03 15:00:00" (UTC, named *_utc in headers): Excel and Google Sheets both read it as a date and time.</summary>
    public static string Time(DateTime? utc) => utc?.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture) ?? "";

    /// <summary>A header row; header names come from people too (custom field keys, survey questions), so they are neutralized.</summary>
    public Task HeaderAsync(IEnumerable<string> names) => writer.WriteAsync(string.Join(',', names.Select(CsvCell.Quote)) + "\r\n");

    /// <summary>Appends a cell of text a person wrote (a voter, a staff member): quoted and neutralized.</summary>
    public CsvSink Text(string? value) => Cell(CsvCell.Quote(value));

    /// <summary>Appends a value Chorus produced (an id, a number, a status name).</summary>
    public CsvSink Value(string? value) => Cell(CsvCell.Trusted(value));

    public CsvSink Value(long? value) => Cell(value?.ToString(CultureInfo.InvariantCulture) ?? "");

    public CsvSink Value(Guid? value) => Cell(value?.ToString("D") ?? "");

    public CsvSink Value(DateTime? utc) => Cell(Time(utc));

    public CsvSink Phone(string? value) => Cell(CsvCell.Phone(value));

    /// <summary>Ends the row.</summary>
    public Task EndRowAsync()
    {
        _line.Append("\r\n");
        var line = _line.ToString();
        _line.Clear();
        _cells = 0;
        return writer.WriteAsync(line);
    }

    /// <summary>Reports a written page of <paramref name="rows"/> rows (progress, heartbeat).</summary>
    public Task PageWrittenAsync(int rows, CancellationToken ct)
    {
        _garbage.Check();
        return pageWritten(rows, ct);
    }

    private CsvSink Cell(string cell)
    {
        if (_cells++ > 0)
        {
            _line.Append(',');
        }

        _line.Append(cell);
        return this;
    }
}
