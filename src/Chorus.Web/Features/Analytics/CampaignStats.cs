using System.Text.Json;
using Chorus.Features.Campaigns;
using Chorus.Features.Contacts;
using Chorus.Features.Messaging;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Analytics;

/// <summary>
/// One campaign's numbers (definitions in README.md), computed with set-based aggregate queries: every count and sum
/// is a GROUP BY in the database, so the cost grows with the number of distinct groups, not of messages. Only the
/// response-time pairs of answered replies are read row by row, to take medians (see README.md).
/// </summary>
public static class CampaignStats
{
    /// <summary>How far back the hourly series goes.</summary>
    public const int SeriesHours = 48;

    public sealed record ErrorCodeCount(int? Code, int Count);

    public sealed record CarrierCount(string Name, int Sent, int Delivered);

    public sealed record AnswerCount(string Answer, int Count);

    public sealed record SurveyQuestion(Guid StepId, string Question, List<AnswerCount> Answers);

    public sealed record TexterRow(Guid TexterId, string Name, int Sent, int RepliesHandled, double? MedianResponseSeconds);

    public sealed record TagCount(string Tag, int Count);

    /// <summary>One hour (UTC, start of the hour): initial messages created in it that were sent / delivered, and replies received in it.</summary>
    public sealed record HourPoint(DateTime Hour, int Sent, int Delivered, int Replies);

    public sealed record Response(
        Guid CampaignId, string Title, CampaignStatus Status,
        int Contacts, int Sent, int Delivered, int Undelivered, int Failed, int Pending, int Replied, int OptedOut,
        long Segments, long SegmentsOut, long SegmentsIn, decimal EstimatedCost,
        double? DeliveryRate, double? ResponseRate, double? OptOutRate,
        List<ErrorCodeCount> ErrorCodes, List<CarrierCount> Carriers, List<SurveyQuestion> SurveyAnswers, List<TexterRow> Texters,
        List<TagCount> Tags, List<HourPoint> Hourly, DateTime ComputedUtc,
        int Clicks = 0, int UniqueClickers = 0, int BotClicks = 0, int ContactsSentLink = 0, double? ClickRate = null);

    /// <summary>Initial messages that reached the provider: submitted or any later state except cancelled / unknown.</summary>
    public static bool ReachedProvider(MessageStatus s) => s is MessageStatus.Submitted or MessageStatus.Sent or MessageStatus.Delivered or MessageStatus.Undelivered or MessageStatus.Failed;

    /// <summary>Outbound messages a provider bills: everything it took, except those it reports failed (not charged).</summary>
    public static bool Billable(MessageStatus s) => s is MessageStatus.Submitted or MessageStatus.Sent or MessageStatus.Delivered or MessageStatus.Undelivered;

    public static double? Rate(int part, int whole) => whole == 0 ? null : Math.Round((double)part / whole, 4);

    public static async Task<Response?> ExecuteAsync(Guid campaignId, Guid organizationId, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var campaign = await db.Campaigns.AsNoTracking().Where(c => c.Id == campaignId).Select(c => new { c.Id, c.Title, c.Status, c.QuestionJson }).FirstOrDefaultAsync(ct);
        if (campaign is null)
        {
            return null;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        // Three counts, each an index range (AnalyticsIndexes): cheaper than one GROUP BY over every contact.
        var contacts = await db.Contacts.CountAsync(c => c.CampaignId == campaignId, ct);
        var replied = await db.Contacts.CountAsync(c => c.CampaignId == campaignId && c.LastInboundUtc != null, ct);
        var optedOut = await db.Contacts.CountAsync(c => c.CampaignId == campaignId && c.ConversationStatus == ConversationStatus.OptedOut && c.LastMessageUtc != null, ct);

        var groups = await db.Messages.Where(m => m.CampaignId == campaignId)
            .GroupBy(m => new { m.Direction, m.Kind, m.Status, m.ErrorCode, m.Carrier, m.TexterUserId })
            .Select(g => new MessageGroup(g.Key.Direction, g.Key.Kind, g.Key.Status, g.Key.ErrorCode, g.Key.Carrier, g.Key.TexterUserId, g.Count(), g.Sum(m => (long)m.Segments)))
            .ToListAsync(ct);

        var initial = groups.Where(g => g.Kind == MessageKind.Initial).ToList();
        int Count(Func<MessageGroup, bool> where) => initial.Where(where).Sum(g => g.Count);
        var sent = Count(g => ReachedProvider(g.Status));
        var delivered = Count(g => g.Status == MessageStatus.Delivered);
        var undelivered = Count(g => g.Status == MessageStatus.Undelivered);
        var failed = Count(g => g.Status == MessageStatus.Failed);
        var pending = Count(g => g.Status is MessageStatus.Queued or MessageStatus.Sending or MessageStatus.Unknown or MessageStatus.NeedsReview);

        var segmentsOut = groups.Where(g => g.Direction == MessageDirection.Outbound && Billable(g.Status)).Sum(g => g.Segments);
        var segmentsIn = groups.Where(g => g.Direction == MessageDirection.Inbound).Sum(g => g.Segments);
        var prices = await SegmentPrices.GetAsync(organizationId, db, ct);
        var links = await LinksAsync(campaignId, db, ct);

        var errorCodes = initial.Where(g => g.Status is MessageStatus.Undelivered or MessageStatus.Failed)
            .GroupBy(g => g.ErrorCode).Select(e => new ErrorCodeCount(e.Key, e.Sum(g => g.Count)))
            .OrderByDescending(e => e.Count).ThenBy(e => e.Code).ToList();
        var carriers = initial.Where(g => g.Carrier is not null && ReachedProvider(g.Status))
            .GroupBy(g => g.Carrier!).Select(c => new CarrierCount(c.Key, c.Sum(g => g.Count), c.Where(g => g.Status == MessageStatus.Delivered).Sum(g => g.Count)))
            .OrderByDescending(c => c.Sent).ThenBy(c => c.Name, StringComparer.Ordinal).ToList();

        return new Response(
            campaign.Id, campaign.Title, campaign.Status,
            contacts, sent, delivered, undelivered, failed, pending, replied, optedOut,
            segmentsOut + segmentsIn, segmentsOut, segmentsIn, Cost(segmentsOut, segmentsIn, prices),
            Rate(delivered, delivered + undelivered + failed), Rate(replied, sent), Rate(optedOut, sent),
            errorCodes, carriers,
            await SurveyAsync(campaignId, campaign.QuestionJson, db, ct),
            await TextersAsync(campaignId, groups, db, ct),
            await TagsAsync(campaignId, db, ct),
            await HourlyAsync(campaignId, now, db, ct),
            now,
            links.Clicks, links.UniqueClickers, links.BotClicks, links.ContactsSentLink, Rate(links.UniqueClickers, links.ContactsSentLink));
    }

    private sealed record LinkFigures(int Clicks, int UniqueClickers, int BotClicks, int ContactsSentLink);

    /// <summary>Tracked-link figures (Features/Links): clicks and bots by one GROUP BY, distinct clickers, and the initial messages that carried a link and reached the provider.</summary>
    private static async Task<LinkFigures> LinksAsync(Guid campaignId, AppDbContext db, CancellationToken ct)
    {
        var byKind = await db.LinkClicks.Where(c => c.CampaignId == campaignId).GroupBy(c => c.IsBot)
            .Select(g => new { IsBot = g.Key, Count = g.Count() }).ToListAsync(ct);
        var clickers = await db.LinkClicks.Where(c => c.CampaignId == campaignId && !c.IsBot).Select(c => c.ContactId).Distinct().CountAsync(ct);
        MessageStatus[] reached = [MessageStatus.Submitted, MessageStatus.Sent, MessageStatus.Delivered, MessageStatus.Undelivered, MessageStatus.Failed];
        var sentLink = await db.Messages
            .Where(m => m.CampaignId == campaignId && m.Kind == MessageKind.Initial && reached.Contains(m.Status)
                && db.TrackedLinks.Any(l => l.CampaignId == campaignId && l.MessageId == m.Id))
            .CountAsync(ct);
        return new LinkFigures(byKind.Where(k => !k.IsBot).Sum(k => k.Count), clickers, byKind.Where(k => k.IsBot).Sum(k => k.Count), sentLink);
    }

    public static decimal Cost(long segmentsOut, long segmentsIn, SegmentPrices.Response prices) =>
        Math.Round((segmentsOut * prices.OutboundPerSegment) + (segmentsIn * prices.InboundPerSegment), 4);

    private sealed record MessageGroup(MessageDirection Direction, MessageKind Kind, MessageStatus Status, int? ErrorCode, string? Carrier, Guid? TexterUserId, int Count, long Segments);

    private static async Task<List<SurveyQuestion>> SurveyAsync(Guid campaignId, string? questionJson, AppDbContext db, CancellationToken ct)
    {
        var counts = await db.SurveyResponses.Where(r => r.CampaignId == campaignId)
            .GroupBy(r => new { r.StepId, r.Answer })
            .Select(g => new { g.Key.StepId, g.Key.Answer, Count = g.Count() })
            .ToListAsync(ct);
        var byStep = counts.ToLookup(c => c.StepId);

        // Questions in script order, each with every answer the script offers (zero included), then any answer
        // recorded under a question or answer since removed from the script.
        var questions = ScriptQuestion.FromJson(questionJson)?.Flatten().ToList() ?? [];
        var result = questions.Select(q => new SurveyQuestion(q.Id, q.Text,
            [.. q.Answers.Select(a => new AnswerCount(a.Value, byStep[q.Id].Where(c => c.Answer == a.Value).Sum(c => c.Count))),
             .. byStep[q.Id].Where(c => q.Answers.All(a => a.Value != c.Answer)).OrderBy(c => c.Answer, StringComparer.Ordinal).Select(c => new AnswerCount(c.Answer, c.Count))])).ToList();
        var known = questions.Select(q => q.Id).ToHashSet();
        result.AddRange(byStep.Where(s => !known.Contains(s.Key)).OrderBy(s => s.Key)
            .Select(s => new SurveyQuestion(s.Key, "(removed from the script)", [.. s.OrderBy(c => c.Answer, StringComparer.Ordinal).Select(c => new AnswerCount(c.Answer, c.Count))])));
        return result;
    }

    private static async Task<List<TexterRow>> TextersAsync(Guid campaignId, List<MessageGroup> groups, AppDbContext db, CancellationToken ct)
    {
        // Each inbound message of a conversation, with the time of the first texter reply after it. Medians need the
        // values, so these pairs (one per answered inbound message) are the only rows read. The reply is matched by the
        // voter's number (non-null, index (OrganizationId, Phone, CreatedUtc)): matched by the nullable ContactId, EF
        // adds "OR both NULL" to the projection's copy, SQLite then scans every message per reply (9 s at 10k contacts).
        var pairs = await db.Messages
            .Where(i => i.CampaignId == campaignId && i.Direction == MessageDirection.Inbound && i.ContactId != null && i.TexterUserId != null)
            .Select(i => new
            {
                i.TexterUserId,
                i.CreatedUtc,
                ReplyUtc = db.Messages
                    .Where(o => o.Phone == i.Phone && o.Direction == MessageDirection.Outbound && o.Kind == MessageKind.Reply && o.CreatedUtc > i.CreatedUtc)
                    .Min(o => (DateTime?)o.CreatedUtc),
            })
            .Where(p => p.ReplyUtc != null)
            .ToListAsync(ct);
        var medians = pairs.GroupBy(p => p.TexterUserId!.Value)
            .ToDictionary(g => g.Key, g => Median([.. g.Select(p => (p.ReplyUtc!.Value - p.CreatedUtc).TotalSeconds)]));

        var outbound = groups.Where(g => g.Direction == MessageDirection.Outbound && g.TexterUserId is not null).ToList();
        var ids = outbound.Select(g => g.TexterUserId!.Value).Concat(medians.Keys).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id))
            .Select(u => new { u.Id, u.DisplayName, u.Email }).ToDictionaryAsync(u => u.Id, u => u.DisplayName.Length > 0 ? u.DisplayName : u.Email ?? "", ct);
        return [.. ids.Select(id => new TexterRow(id, names.GetValueOrDefault(id) ?? "(removed account)",
                outbound.Where(g => g.TexterUserId == id && g.Kind == MessageKind.Initial && ReachedProvider(g.Status)).Sum(g => g.Count),
                outbound.Where(g => g.TexterUserId == id && g.Kind == MessageKind.Reply && ReachedProvider(g.Status)).Sum(g => g.Count),
                medians.TryGetValue(id, out var median) ? median : null))
            .OrderByDescending(t => t.Sent).ThenByDescending(t => t.RepliesHandled).ThenBy(t => t.Name, StringComparer.Ordinal)];
    }

    public static double? Median(double[] values)
    {
        if (values.Length == 0)
        {
            return null;
        }

        Array.Sort(values);
        var middle = values.Length / 2;
        return Math.Round(values.Length % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2, 1);
    }

    private static async Task<List<TagCount>> TagsAsync(Guid campaignId, AppDbContext db, CancellationToken ct)
    {
        // Grouped by the stored tag list: one row per distinct combination, split into names here.
        var sets = await db.Contacts.Where(c => c.CampaignId == campaignId && c.ConversationStatus != ConversationStatus.NotContacted && c.Tags != "[]")
            .GroupBy(c => c.Tags).Select(g => new { Tags = g.Key, Count = g.Count() }).ToListAsync(ct);
        var counts = new Dictionary<string, int>(StringComparer.Ordinal);
        foreach (var set in sets)
        {
            foreach (var tag in JsonSerializer.Deserialize<List<string>>(set.Tags) ?? [])
            {
                counts[tag] = counts.GetValueOrDefault(tag) + set.Count;
            }
        }

        return [.. counts.Select(c => new TagCount(c.Key, c.Value)).OrderByDescending(c => c.Count).ThenBy(c => c.Tag, StringComparer.Ordinal)];
    }

    private static async Task<List<HourPoint>> HourlyAsync(Guid campaignId, DateTime now, AppDbContext db, CancellationToken ct)
    {
        var end = new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc);
        var since = end.AddHours(-(SeriesHours - 1));
        var rows = await db.Messages
            .Where(m => m.CampaignId == campaignId && m.CreatedUtc >= since && (m.Kind == MessageKind.Initial || m.Direction == MessageDirection.Inbound))
            .GroupBy(m => new { m.CreatedUtc.Date, m.CreatedUtc.Hour, m.Direction, m.Status })
            .Select(g => new { g.Key.Date, g.Key.Hour, g.Key.Direction, g.Key.Status, Count = g.Count() })
            .ToListAsync(ct);
        var byHour = rows.ToLookup(r => DateTime.SpecifyKind(r.Date, DateTimeKind.Utc).AddHours(r.Hour));
        return [.. Enumerable.Range(0, SeriesHours).Select(i => since.AddHours(i)).Select(hour => new HourPoint(hour,
            byHour[hour].Where(r => r.Direction == MessageDirection.Outbound && ReachedProvider(r.Status)).Sum(r => r.Count),
            byHour[hour].Where(r => r.Direction == MessageDirection.Outbound && r.Status == MessageStatus.Delivered).Sum(r => r.Count),
            byHour[hour].Where(r => r.Direction == MessageDirection.Inbound).Sum(r => r.Count)))];
    }

    public static async Task<Results<Ok<Response>, ProblemHttpResult>> HandleAsync(
        Guid id, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
        await ExecuteAsync(id, current.Id!.Value, db, clock, ct) is { } stats ? TypedResults.Ok(stats) : Failure.NotFound("The campaign").ToProblem();
}
