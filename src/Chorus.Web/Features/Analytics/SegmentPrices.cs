using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Chorus.Features.Audit;
using Chorus.Features.Organizations;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Analytics;

/// <summary>
/// The prices cost estimates use, in US dollars per segment: outbound (the organization's setting) and inbound
/// (Analytics' own). Read by Supervisor+, changed by Admin+, every change audited.
/// </summary>
public static class SegmentPrices
{
    public const decimal MaxPrice = UpdateOrganization.MaxPricePerSegment;

    public sealed record Response(decimal OutboundPerSegment, decimal InboundPerSegment);

    public sealed record Request([property: Range(0, 1)] decimal? OutboundPerSegment, [property: Range(0, 1)] decimal? InboundPerSegment);

    public static async Task<Response> GetAsync(Guid organizationId, AppDbContext db, CancellationToken ct)
    {
        var outbound = await db.Organizations.Where(o => o.Id == organizationId).Select(o => o.PricePerSegment).FirstAsync(ct);
        var inbound = await db.AnalyticsSettings.Select(s => (decimal?)s.InboundPricePerSegment).FirstOrDefaultAsync(ct);
        return new Response(outbound, inbound ?? AnalyticsSettings.DefaultInboundPricePerSegment);
    }

    public static async Task<Outcome<Response>> UpdateAsync(Request request, AuditActor actor, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var problems = new List<Problem>();
        if (request.OutboundPerSegment is < 0 or > MaxPrice)
        {
            problems.Add(new Problem($"The outbound price per segment must be between 0 and {MaxPrice} dollars.", "outboundPerSegment"));
        }

        if (request.InboundPerSegment is < 0 or > MaxPrice)
        {
            problems.Add(new Problem($"The inbound price per segment must be between 0 and {MaxPrice} dollars.", "inboundPerSegment"));
        }

        if (problems.Count > 0)
        {
            return Failure.Unprocessable("The prices have problems; nothing was changed.", problems);
        }

        if (request.InboundPerSegment is { } inbound)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var settings = await db.AnalyticsSettings.FirstOrDefaultAsync(ct);
            var before = settings?.InboundPricePerSegment ?? AnalyticsSettings.DefaultInboundPricePerSegment;
            if (settings is null)
            {
                settings = new AnalyticsSettings { OrganizationId = current.Id!.Value };
                db.Add(settings);
            }

            if (before != inbound || db.Entry(settings).State == EntityState.Added)
            {
                settings.InboundPricePerSegment = inbound;
                settings.UpdatedUtc = now;
                AuditEvent.Record(db, settings.OrganizationId, actor, "analytics.prices_changed", $"organization:{settings.OrganizationId}",
                    new { field = "inboundPricePerSegment", from = before, to = inbound }, now);
                await db.SaveChangesAsync(ct);
            }
        }

        // The outbound price belongs to the organization: its own use case changes and audits it.
        if (request.OutboundPerSegment is { } outbound
            && await UpdateOrganization.ExecuteAsync(new UpdateOrganization.Request(null, PricePerSegment: outbound), actor, current, db, clock, ct) is { } failure)
        {
            return failure;
        }

        return await GetAsync(current.Id!.Value, db, ct);
    }

    public static async Task<Ok<Response>> HandleGetAsync(CurrentOrganization current, AppDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await GetAsync(current.Id!.Value, db, ct));

    public static async Task<Results<Ok<Response>, ProblemHttpResult>> HandleUpdateAsync(
        Request request, ClaimsPrincipal user, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await UpdateAsync(request, user.AsAuditActor(), current, db, clock, ct);
        return outcome.Failure is { } f ? f.ToProblem() : TypedResults.Ok(outcome.Value!);
    }
}
