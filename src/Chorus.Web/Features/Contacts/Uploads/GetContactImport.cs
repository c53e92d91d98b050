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

    /// <summary>How many of a campaign's imports the list returns: a campaign gets a handful of uploads, not hundreds.</summary>
    public const int ListLimit = 50;

    public static Task<Response?> ExecuteAsync(Guid importId, AppDbContext db, CancellationToken ct) =>
        Project(db.ContactImports.AsNoTracking().Where(i => i.Id == importId)).FirstOrDefaultAsync(ct);

    /// <summary>The campaign's imports, newest first (the Contacts tab shows the first); null when there is no such campaign.</summary>
    public static async Task<List<Response>?> ListForCampaignAsync(Guid campaignId, int limit, AppDbContext db, CancellationToken ct)
    {
        if (!await db.Campaigns.AnyAsync(c => c.Id == campaignId, ct))
        {
            return null;
        }

        return await Project(db.ContactImports.AsNoTracking().Where(i => i.CampaignId == campaignId).OrderByDescending(i => i.CreatedUtc).ThenByDescending(i => i.Id)
            .Take(Math.Clamp(limit, 1, ListLimit))).ToListAsync(ct);
    }

    public static async Task<Results<Ok<Response>, ProblemHttpResult>> HandleAsync(Guid importId, AppDbContext db, CancellationToken ct) =>
        await ExecuteAsync(importId, db, ct) is { } response ? TypedResults.Ok(response) : Failure.NotFound("The import").ToProblem();

    public static async Task<Results<Ok<List<Response>>, ProblemHttpResult>> HandleListAsync(Guid campaignId, AppDbContext db, CancellationToken ct) =>
        await ListForCampaignAsync(campaignId, ListLimit, db, ct) is { } imports ? TypedResults.Ok(imports) : Failure.NotFound("The campaign").ToProblem();

    private static IQueryable<Response> Project(IQueryable<ContactImport> imports) =>
        imports.Select(i => new Response(
            i.Id, i.CampaignId, i.FileName, i.Status.ToString().ToLowerInvariant(), i.RowsRead, i.Imported, i.Invalid, i.Duplicates, i.OptedOut,
            i.Status == ImportStatus.Completed ? 1.0 : i.FileBytes == 0 ? 0.0 : (double)i.BytesRead / i.FileBytes,
            i.Error, i.CreatedUtc, i.CompletedUtc));
}
