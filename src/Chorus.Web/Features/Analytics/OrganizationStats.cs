using Chorus.Features.Analytics.Counters;
using Chorus.Features.Campaigns;
using Chorus.Infrastructure.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Analytics;

/// <summary>The organization at a glance: one summary row per campaign (same definitions as <see cref="CampaignStats"/>) and totals.</summary>
public static class OrganizationStats
{
    public sealed record Row(
        Guid CampaignId, string Title, CampaignStatus Status, int Contacts, int Sent, int Delivered, int Undelivered, int Failed, int Replied, int OptedOut,
        long Segments, decimal EstimatedCost, double? DeliveryRate, double? ResponseRate, double? OptOutRate);

    public sealed record Response(List<Row> Campaigns, Row Totals, SegmentPrices.Response Prices, DateTime ComputedUtc);

    public static async Task<Response> ExecuteAsync(Guid organizationId, bool includeArchived, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var campaigns = await db.Campaigns.AsNoTracking().Where(c => includeArchived || c.Status != CampaignStatus.Archived)
            .OrderByDescending(c => c.CreatedUtc).Select(c => new { c.Id, c.Title, c.Status }).ToListAsync(ct);
        var counters = await CampaignCounters.ReadAsync(db, [.. campaigns.Select(c => c.Id)], ct);
        var prices = await SegmentPrices.GetAsync(organizationId, db, ct);

        var rows = campaigns.Select(c =>
        {
            var f = CampaignStats.Figures.From(counters[c.Id]);
            return Summarize(c.Id, c.Title, c.Status, f.Contacts, f.Sent, f.Delivered, f.Undelivered, f.Failed, f.Replied, f.OptedOut,
                f.SegmentsOut + f.SegmentsIn, CampaignStats.Cost(f.SegmentsOut, f.SegmentsIn, prices));
        }).ToList();

        var totals = Summarize(Guid.Empty, "All campaigns", CampaignStatus.Active, rows.Sum(r => r.Contacts), rows.Sum(r => r.Sent), rows.Sum(r => r.Delivered),
            rows.Sum(r => r.Undelivered), rows.Sum(r => r.Failed), rows.Sum(r => r.Replied), rows.Sum(r => r.OptedOut), rows.Sum(r => r.Segments), rows.Sum(r => r.EstimatedCost));
        return new Response(rows, totals, prices, clock.GetUtcNow().UtcDateTime);
    }

    private static Row Summarize(Guid id, string title, CampaignStatus status, int contacts, int sent, int delivered, int undelivered, int failed, int replied, int optedOut, long segments, decimal cost) =>
        new(id, title, status, contacts, sent, delivered, undelivered, failed, replied, optedOut, segments, cost,
            CampaignStats.Rate(delivered, delivered + undelivered + failed), CampaignStats.Rate(replied, sent), CampaignStats.Rate(optedOut, sent));

    public static async Task<Ok<Response>> HandleAsync(bool? includeArchived, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
        TypedResults.Ok(await ExecuteAsync(current.Id!.Value, includeArchived ?? true, db, clock, ct));
}
