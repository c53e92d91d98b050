using Chorus.Features.Campaigns;
using Chorus.Features.Contacts;
using Chorus.Features.Messaging;
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
        var contacts = await db.Contacts
            .GroupBy(c => new { c.CampaignId, c.ConversationStatus, Replied = c.LastInboundUtc != null, Messaged = c.LastMessageUtc != null })
            .Select(g => new { g.Key.CampaignId, g.Key.ConversationStatus, g.Key.Replied, g.Key.Messaged, Count = g.Count() })
            .ToListAsync(ct);
        var messages = await db.Messages.Where(m => m.CampaignId != null)
            .GroupBy(m => new { m.CampaignId, m.Direction, m.Kind, m.Status })
            .Select(g => new { g.Key.CampaignId, g.Key.Direction, g.Key.Kind, g.Key.Status, Count = g.Count(), Segments = g.Sum(m => (long)m.Segments) })
            .ToListAsync(ct);
        var prices = await SegmentPrices.GetAsync(organizationId, db, ct);
        var contactsOf = contacts.ToLookup(c => c.CampaignId);
        var messagesOf = messages.ToLookup(m => m.CampaignId!.Value);

        var rows = campaigns.Select(c =>
        {
            var m = messagesOf[c.Id].ToList();
            var k = contactsOf[c.Id].ToList();
            int Initial(Func<MessageStatus, bool> where) => m.Where(g => g.Kind == MessageKind.Initial && where(g.Status)).Sum(g => g.Count);
            var segmentsOut = m.Where(g => g.Direction == MessageDirection.Outbound && CampaignStats.Billable(g.Status)).Sum(g => g.Segments);
            var segmentsIn = m.Where(g => g.Direction == MessageDirection.Inbound).Sum(g => g.Segments);
            return Summarize(c.Id, c.Title, c.Status, k.Sum(x => x.Count), Initial(CampaignStats.ReachedProvider), Initial(s => s == MessageStatus.Delivered),
                Initial(s => s == MessageStatus.Undelivered), Initial(s => s == MessageStatus.Failed), k.Where(x => x.Replied).Sum(x => x.Count),
                k.Where(x => x.ConversationStatus == ConversationStatus.OptedOut && x.Messaged).Sum(x => x.Count),
                segmentsOut + segmentsIn, CampaignStats.Cost(segmentsOut, segmentsIn, prices));
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
