using System.Security.Claims;
using Chorus.Features.Audit;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Analytics.Exports;

/// <summary>
/// Requests an export: checks what is asked for, records the request (and audits who asked for what), and wakes the
/// export worker. Answers at once; the file is written in the background.
/// </summary>
public static class StartExport
{
    public sealed record Request(string? Kind, Guid? CampaignId);

    public sealed record Response(Guid Id);

    public static async Task<Outcome<Guid>> ExecuteAsync(
        Request request, AuditActor actor, CurrentOrganization current, AppDbContext db, ExportSignal signal, TimeProvider clock, CancellationToken ct)
    {
        var validKinds = string.Join(", ", ExportKinds.Names);
        if (string.IsNullOrWhiteSpace(request.Kind))
        {
            return Failure.Invalid($"Say what to export: kind is one of {validKinds}.", "kind");
        }

        if (ExportKinds.Parse(request.Kind) is not { } kind)
        {
            return Failure.Invalid($"There is no '{request.Kind.Trim()}' export; kind is one of {validKinds}.", "kind");
        }

        switch (kind)
        {
            case ExportKind.Contacts when request.CampaignId is null:
                return Failure.Invalid("A contacts export is of one campaign: give its campaignId.", "campaignId");
            case ExportKind.OptOuts or ExportKind.Audit when request.CampaignId is not null:
                return Failure.Invalid($"The {ExportKinds.Name(kind)} export covers the whole organization; leave out campaignId.", "campaignId");
        }

        if (request.CampaignId is { } campaignId && !await db.Campaigns.AnyAsync(c => c.Id == campaignId, ct))
        {
            return Failure.NotFound("The campaign");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var export = new Export
        {
            OrganizationId = current.Id!.Value,
            Kind = kind,
            CampaignId = request.CampaignId,
            CreatedByUserId = actor.UserId ?? Guid.Empty,
            CreatedUtc = now,
        };
        db.Exports.Add(export);
        AuditEvent.Record(db, export.OrganizationId, actor, "export.requested", $"export:{export.Id}",
            new { kind = ExportKinds.Name(kind), campaignId = request.CampaignId }, now);
        await db.SaveChangesAsync(ct);
        signal.Notify();
        return export.Id;
    }

    public static async Task<Results<Accepted<Response>, ProblemHttpResult>> HandleAsync(
        Request request, ClaimsPrincipal user, CurrentOrganization current, AppDbContext db, ExportSignal signal, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await ExecuteAsync(request, user.AsAuditActor(), current, db, signal, clock, ct);
        return outcome.Failure is { } f
            ? f.ToProblem()
            : TypedResults.Accepted($"/api/v1/orgs/{current.Slug}/exports/{outcome.Value}", new Response(outcome.Value));
    }
}
