using System.Globalization;
using System.Text;
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
    private long _allocatedAtLastCollection = GC.GetTotalAllocatedBytes();

    /// <summary>
    /// Garbage an export may leave behind before it asks for a collection of the young generations (0 and 1). An export
    /// allocates about 200 MB/s of short-lived rows and cells, and the GC sizes its young generations from the CPU's
    /// last-level cache: on a VM that reports a 260 MiB L3 it let tens of megabytes of garbage build up between
    /// collections and kept them resident, which put a 1M-contact export at 294–311 MB against a 300 MB target. The
    /// runtime's own cap (<c>GCgen0size</c>) is read only from the environment, so the export bounds its garbage
    /// itself. Generation 1 too: a page's rows outlive a gen-0 collection that lands mid-page and pile up there.
    /// Measured (BENCHMARKS.md): peak 240–244 MB, no slower; a gen-0-only collection every 16 MB gave 261–293 MB.
    /// </summary>
    public const long GarbageBetweenCollections = 8 * 1024 * 1024;

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
        var allocated = GC.GetTotalAllocatedBytes();
        if (allocated - _allocatedAtLastCollection >= GarbageBetweenCollections)
        {
            GC.Collect(1, GCCollectionMode.Forced, blocking: true);
            _allocatedAtLastCollection = allocated;
        }

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
