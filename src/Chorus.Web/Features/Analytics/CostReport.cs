using Chorus.Features.Messaging;
using Chorus.Infrastructure.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Analytics;

/// <summary>
/// Segments in and out per campaign and calendar month (UTC), times the organization's prices. Outbound counts what
/// the provider bills (README.md); messages outside any campaign (keyword answers to unknown numbers, unmatched
/// inbound texts) are a row of their own.
/// </summary>
public static class CostReport
{
    public sealed record Row(Guid? CampaignId, string Campaign, int Year, int Month, long SegmentsOut, long SegmentsIn, decimal CostOut, decimal CostIn, decimal Cost);

    public sealed record Response(SegmentPrices.Response Prices, List<Row> Rows, long SegmentsOut, long SegmentsIn, decimal Cost);

    public static async Task<Response> ExecuteAsync(Guid organizationId, AppDbContext db, CancellationToken ct)
    {
        var groups = await db.Messages
            .GroupBy(m => new { m.CampaignId, m.CreatedUtc.Year, m.CreatedUtc.Month, m.Direction, m.Status })
            .Select(g => new { g.Key.CampaignId, g.Key.Year, g.Key.Month, g.Key.Direction, g.Key.Status, Segments = g.Sum(m => (long)m.Segments) })
            .ToListAsync(ct);
        var prices = await SegmentPrices.GetAsync(organizationId, db, ct);
        var ids = groups.Where(g => g.CampaignId is not null).Select(g => g.CampaignId!.Value).Distinct().ToList();
        var titles = await db.Campaigns.AsNoTracking().Where(c => ids.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.Title, ct);

        var rows = groups.GroupBy(g => (g.CampaignId, g.Year, g.Month)).Select(r =>
        {
            var segmentsOut = r.Where(g => g.Direction == MessageDirection.Outbound && CampaignStats.Billable(g.Status)).Sum(g => g.Segments);
            var segmentsIn = r.Where(g => g.Direction == MessageDirection.Inbound).Sum(g => g.Segments);
            var costOut = Math.Round(segmentsOut * prices.OutboundPerSegment, 4);
            var costIn = Math.Round(segmentsIn * prices.InboundPerSegment, 4);
            var title = r.Key.CampaignId is { } id ? titles.GetValueOrDefault(id) ?? "(deleted campaign)" : "(no campaign)";
            return new Row(r.Key.CampaignId, title, r.Key.Year, r.Key.Month, segmentsOut, segmentsIn, costOut, costIn, costOut + costIn);
        }).Where(r => r.SegmentsOut + r.SegmentsIn > 0)
            .OrderByDescending(r => r.Year).ThenByDescending(r => r.Month).ThenBy(r => r.Campaign, StringComparer.Ordinal).ToList();
        return new Response(prices, rows, rows.Sum(r => r.SegmentsOut), rows.Sum(r => r.SegmentsIn), rows.Sum(r => r.Cost));
    }

    public static async Task<Ok<Response>> HandleAsync(CurrentOrganization current, AppDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await ExecuteAsync(current.Id!.Value, db, ct));
}
