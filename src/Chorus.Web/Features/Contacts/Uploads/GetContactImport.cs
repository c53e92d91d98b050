using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Contacts.Uploads;

public static class GetContactImport
{
    public sealed record Response(
        Guid Id, Guid CampaignId, string FileName, string Status, long RowsRead, long Imported, long Invalid, long Duplicates,
        long OptedOut, double Progress, string? Error, DateTime CreatedUtc, DateTime? CompletedUtc);

    public static Task<Response?> ExecuteAsync(Guid importId, AppDbContext db, CancellationToken ct) =>
        db.ContactImports.AsNoTracking().Where(i => i.Id == importId)
            .Select(i => new Response(
                i.Id, i.CampaignId, i.FileName, i.Status.ToString().ToLowerInvariant(), i.RowsRead, i.Imported, i.Invalid, i.Duplicates, i.OptedOut,
                i.Status == ImportStatus.Completed ? 1.0 : i.FileBytes == 0 ? 0.0 : (double)i.BytesRead / i.FileBytes,
                i.Error, i.CreatedUtc, i.CompletedUtc))
            .FirstOrDefaultAsync(ct);

    public static async Task<Results<Ok<Response>, ProblemHttpResult>> HandleAsync(Guid importId, AppDbContext db, CancellationToken ct) =>
        await ExecuteAsync(importId, db, ct) is { } response ? TypedResults.Ok(response) : Failure.NotFound("The import").ToProblem();
}
