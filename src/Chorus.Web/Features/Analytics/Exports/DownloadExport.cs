using System.Globalization;
using System.Security.Claims;
using Chorus.Features.Audit;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Chorus.Features.Analytics.Exports;

/// <summary>
/// Serves a finished export's file, and audits that this person downloaded it. The API (bearer token) and the
/// Exports page (the sign-in cookie) each have a route to it, under the same role.
/// </summary>
public static class DownloadExport
{
    public static async Task<Results<PhysicalFileHttpResult, ProblemHttpResult>> HandleAsync(
        Guid exportId, ClaimsPrincipal user, AppDbContext db, ExportFiles files, IOptions<ExportsOptions> options, TimeProvider clock, CancellationToken ct)
    {
        var export = await db.Exports.AsNoTracking().Where(e => e.Id == exportId)
            .Select(e => new { e.Id, e.OrganizationId, e.Kind, e.CampaignId, e.Status, e.Rows, e.TotalRows, e.Error, e.CreatedUtc, e.ExpiredUtc })
            .FirstOrDefaultAsync(ct);
        if (export is null)
        {
            return Failure.NotFound("The export").ToProblem();
        }

        switch (export.Status)
        {
            case ExportStatus.Queued or ExportStatus.Running:
                var done = export.TotalRows == 0 ? 0 : Math.Min(1.0, (double)export.Rows / export.TotalRows);
                return Failure.Conflict(string.Create(CultureInfo.InvariantCulture,
                    $"The export is still {export.Status.ToString().ToLowerInvariant()} ({done * 100:0}%); download it once its status is completed.")).ToProblem();
            case ExportStatus.Failed:
                return Failure.Conflict($"The export failed, so there is no file to download: {export.Error}").ToProblem();
        }

        var path = files.PathOf(export.Id);
        if (export.ExpiredUtc is not null || !File.Exists(path))
        {
            return TypedResults.Problem(
                $"The file was deleted after the retention period ({options.Value.Retention.TotalDays:0.#} days) or is not on this server; request a new export.",
                statusCode: StatusCodes.Status410Gone, title: "Gone.");
        }

        var campaignTitle = export.CampaignId is { } campaignId
            ? await db.Campaigns.Where(c => c.Id == campaignId).Select(c => c.Title).FirstOrDefaultAsync(ct)
            : null;
        var now = clock.GetUtcNow().UtcDateTime;
        AuditEvent.Record(db, export.OrganizationId, user.AsAuditActor(), "export.downloaded", $"export:{export.Id}",
            new { kind = ExportKinds.Name(export.Kind), export.CampaignId, rows = export.Rows }, now);
        await db.SaveChangesAsync(ct);
        return TypedResults.PhysicalFile(path, "text/csv; charset=utf-8", ExportFiles.DownloadName(export.Kind, campaignTitle, export.CreatedUtc));
    }
}
