using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Analytics.Exports;

/// <summary>An export's status and progress, and the organization's recent exports; the download link once complete.</summary>
public static class GetExport
{
    public const int ListSize = 100;

    /// <summary><paramref name="Progress"/> runs from 0 to 1; <paramref name="DownloadUrl"/> is set once the file can be downloaded.</summary>
    public sealed record Response(
        Guid Id, string Kind, Guid? CampaignId, string? CampaignTitle, string Status, double Progress, long Rows, long FileBytes,
        string? DownloadUrl, string? Error, string? RequestedBy, DateTime CreatedUtc, DateTime? CompletedUtc, DateTime? ExpiredUtc);

    public sealed record ListResponse(List<Response> Items);

    private sealed record Row(
        Guid Id, ExportKind Kind, Guid? CampaignId, string? CampaignTitle, ExportStatus Status, long Rows, long TotalRows, long FileBytes,
        string? Error, string? RequestedBy, DateTime CreatedUtc, DateTime? CompletedUtc, DateTime? ExpiredUtc);

    public static async Task<Response?> ExecuteAsync(Guid exportId, string downloadBase, AppDbContext db, CancellationToken ct) =>
        (await Rows(db, db.Exports.AsNoTracking().Where(e => e.Id == exportId)).FirstOrDefaultAsync(ct)) is { } row ? ToResponse(row, downloadBase) : null;

    /// <summary>The newest exports first. <paramref name="downloadBase"/> is the path the download links start with.</summary>
    public static async Task<List<Response>> ListAsync(string downloadBase, AppDbContext db, CancellationToken ct) =>
        [.. (await Rows(db, db.Exports.AsNoTracking().OrderByDescending(e => e.CreatedUtc).ThenByDescending(e => e.Id).Take(ListSize)).ToListAsync(ct))
            .Select(r => ToResponse(r, downloadBase))];

    public static async Task<Results<Ok<Response>, ProblemHttpResult>> HandleAsync(Guid exportId, CurrentOrganization current, AppDbContext db, CancellationToken ct) =>
        await ExecuteAsync(exportId, ApiBase(current), db, ct) is { } response ? TypedResults.Ok(response) : Failure.NotFound("The export").ToProblem();

    public static async Task<Ok<ListResponse>> HandleListAsync(CurrentOrganization current, AppDbContext db, CancellationToken ct) =>
        TypedResults.Ok(new ListResponse(await ListAsync(ApiBase(current), db, ct)));

    public static string ApiBase(CurrentOrganization current) => $"/api/v1/orgs/{current.Slug}/exports";

    public static bool IsActive(string status) => status is "queued" or "running";

    private static IQueryable<Row> Rows(AppDbContext db, IQueryable<Export> exports) =>
        exports.Select(e => new Row(
            e.Id, e.Kind, e.CampaignId,
            db.Campaigns.Where(c => c.Id == e.CampaignId).Select(c => c.Title).FirstOrDefault(),
            e.Status, e.Rows, e.TotalRows, e.FileBytes, e.Error,
            db.Users.Where(u => u.Id == e.CreatedByUserId).Select(u => u.Email).FirstOrDefault(),
            e.CreatedUtc, e.CompletedUtc, e.ExpiredUtc));

    private static Response ToResponse(Row r, string downloadBase) => new(
        r.Id, ExportKinds.Name(r.Kind), r.CampaignId, r.CampaignTitle, r.Status.ToString().ToLowerInvariant(),
        r.Status == ExportStatus.Completed ? 1.0 : r.TotalRows == 0 ? 0.0 : Math.Min(1.0, (double)r.Rows / r.TotalRows),
        r.Rows, r.FileBytes,
        r.Status == ExportStatus.Completed && r.ExpiredUtc is null ? $"{downloadBase}/{r.Id}/download" : null,
        r.Error, r.RequestedBy, r.CreatedUtc, r.CompletedUtc, r.ExpiredUtc);
}
