using System.Text;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Contacts.Uploads;

/// <summary>
/// The rows an import refused, as CSV: line number, reason, then the original record exactly as it was in the file,
/// quoted as one cell (the file may have used another delimiter, and a broken record must not spill into the next
/// columns). Streamed.
/// </summary>
public static class GetRejectedRows
{
    public static async Task<IResult> HandleAsync(Guid importId, AppDbContext db, HttpResponse response, CancellationToken ct)
    {
        var import = await db.ContactImports.AsNoTracking().Where(i => i.Id == importId).Select(i => new { i.Id, i.FileName }).FirstOrDefaultAsync(ct);
        if (import is null)
        {
            return Failure.NotFound("The import").ToProblem();
        }

        response.ContentType = "text/csv; charset=utf-8";
        response.Headers.ContentDisposition = $"attachment; filename=\"{DownloadName(import.FileName)}\"";
        await using var writer = new StreamWriter(response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true));
        await WriteCsvAsync(importId, db, writer, ct);
        return Results.Empty;
    }

    /// <summary>The name the download gets: rejected-{original name}.csv.</summary>
    public static string DownloadName(string fileName) => $"rejected-{Path.GetFileNameWithoutExtension(fileName)}.csv";

    /// <summary>Writes the rejected rows as CSV (the API's download and the upload page's both use it).</summary>
    public static async Task WriteCsvAsync(Guid importId, AppDbContext db, TextWriter writer, CancellationToken ct)
    {
        await writer.WriteAsync("line,reason,original row\r\n");
        await foreach (var row in db.ImportRejections.AsNoTracking().Where(r => r.ImportId == importId).OrderBy(r => r.LineNumber).AsAsyncEnumerable().WithCancellation(ct))
        {
            await writer.WriteAsync($"{row.LineNumber},{CsvCell.Quote(row.Reason)},{CsvCell.Quote(row.RawRecord)}\r\n");
        }
    }
}
