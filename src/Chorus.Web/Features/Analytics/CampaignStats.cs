using System.Collections.Concurrent;
using Chorus.Features.Analytics.Counters;
using Chorus.Features.Campaigns;
using Chorus.Features.Messaging;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Analytics;

/// <summary>
/// One campaign's numbers (definitions in README.md), read from the campaign's counters (Counters/, maintained in the
/// transaction of every change they count), so the cost grows with the number of distinct keys (statuses, error codes,
/// carriers, texters, hours, tags, answers), not with the campaign's contacts and messages. Medians read one or two
/// index entries per texter; link clicks are read from their own index.
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
        var counters = (await CampaignCounters.ReadAsync(db, [campaignId], ct))[campaignId];
        var figures = Figures.From(counters);
        var prices = await SegmentPrices.GetAsync(organizationId, db, ct);
        var links = await LinksAsync(campaignId, db, ct);
        var initial = figures.Messages.Where(g => g.Key.Kind == MessageKind.Initial).ToList();
        var sentLink = initial.Where(g => g.Key.HasTrackedLink && ReachedProvider(g.Key.Status)).Sum(g => g.Count);

        var errorCodes = initial.Where(g => g.Key.Status is MessageStatus.Undelivered or MessageStatus.Failed)
            .GroupBy(g => g.Key.ErrorCode).Select(e => new ErrorCodeCount(e.Key, e.Sum(g => g.Count)))
            .OrderByDescending(e => e.Count).ThenBy(e => e.Code).ToList();
        var carriers = initial.Where(g => g.Key.Carrier is not null && ReachedProvider(g.Key.Status))
            .GroupBy(g => g.Key.Carrier!).Select(c => new CarrierCount(c.Key, c.Sum(g => g.Count), c.Where(g => g.Key.Status == MessageStatus.Delivered).Sum(g => g.Count)))
            .OrderByDescending(c => c.Sent).ThenBy(c => c.Name, StringComparer.Ordinal).ToList();

        return new Response(
            campaign.Id, campaign.Title, campaign.Status,
            figures.Contacts, figures.Sent, figures.Delivered, figures.Undelivered, figures.Failed, figures.Pending, figures.Replied, figures.OptedOut,
            figures.SegmentsOut + figures.SegmentsIn, figures.SegmentsOut, figures.SegmentsIn, Cost(figures.SegmentsOut, figures.SegmentsIn, prices),
            Rate(figures.Delivered, figures.Delivered + figures.Undelivered + figures.Failed), Rate(figures.Replied, figures.Sent), Rate(figures.OptedOut, figures.Sent),
            errorCodes, carriers,
            Survey(campaign.QuestionJson, counters),
            await TextersAsync(campaignId, figures.Messages, counters, db, ct),
            Tags(counters),
            Hourly(counters, now),
            now,
            links.Clicks, links.UniqueClickers, links.BotClicks, sentLink, Rate(links.UniqueClickers, sentLink));
    }

    /// <summary>A campaign's headline figures from its counters (definitions in README.md); shared with <see cref="OrganizationStats"/>.</summary>
    internal sealed record Figures(
        int Contacts, int Sent, int Delivered, int Undelivered, int Failed, int Pending, int Replied, int OptedOut, long SegmentsOut, long SegmentsIn,
        List<MessageGroup> Messages)
    {
        public static Figures From(Dictionary<string, CampaignCounters.Value> counters)
        {
            var messages = counters.Where(c => c.Key.StartsWith(CounterKeys.MessagePrefix, StringComparison.Ordinal) && c.Value.Count != 0)
                .Select(c => new MessageGroup(CounterKeys.ParseMessage(c.Key), (int)c.Value.Count, c.Value.Segments)).ToList();
            int Initial(Func<MessageStatus, bool> where) => messages.Where(g => g.Key.Kind == MessageKind.Initial && where(g.Key.Status)).Sum(g => g.Count);
            int Count(string key) => (int)(counters.GetValueOrDefault(key)?.Count ?? 0);
            return new Figures(
                Count(CounterKeys.Contacts),
                Initial(ReachedProvider), Initial(s => s == MessageStatus.Delivered), Initial(s => s == MessageStatus.Undelivered), Initial(s => s == MessageStatus.Failed),
                Initial(s => s is MessageStatus.Queued or MessageStatus.Sending or MessageStatus.Unknown or MessageStatus.NeedsReview),
                Count(CounterKeys.Replied), Count(CounterKeys.OptedOut),
                messages.Where(g => g.Key.Direction == MessageDirection.Outbound && Billable(g.Key.Status)).Sum(g => g.Segments),
                messages.Where(g => g.Key.Direction == MessageDirection.Inbound).Sum(g => g.Segments),
                messages);
        }
    }

    private sealed record LinkFigures(int Clicks, int UniqueClickers, int BotClicks);

    /// <summary>Tracked-link clicks (Features/Links): clicks and bots by one GROUP BY and distinct clickers, both read from the clicks' index.</summary>
    private static async Task<LinkFigures> LinksAsync(Guid campaignId, AppDbContext db, CancellationToken ct)
    {
        var byKind = await db.LinkClicks.Where(c => c.CampaignId == campaignId).GroupBy(c => c.IsBot)
            .Select(g => new { IsBot = g.Key, Count = g.Count() }).ToListAsync(ct);
        var clickers = await db.LinkClicks.Where(c => c.CampaignId == campaignId && !c.IsBot).Select(c => c.ContactId).Distinct().CountAsync(ct);
        return new LinkFigures(byKind.Where(k => !k.IsBot).Sum(k => k.Count), clickers, byKind.Where(k => k.IsBot).Sum(k => k.Count));
    }

    public static decimal Cost(long segmentsOut, long segmentsIn, SegmentPrices.Response prices) =>
        Math.Round((segmentsOut * prices.OutboundPerSegment) + (segmentsIn * prices.InboundPerSegment), 4);

    internal sealed record MessageGroup(CounterKeys.MessageKey Key, int Count, long Segments);

    private static List<SurveyQuestion> Survey(string? questionJson, Dictionary<string, CampaignCounters.Value> counters)
    {
        var counts = counters.Where(c => c.Key.StartsWith(CounterKeys.SurveyPrefix, StringComparison.Ordinal) && c.Value.Count != 0)
            .Select(c => (Parsed: CounterKeys.ParseSurvey(c.Key), Count: (int)c.Value.Count))
            .Select(c => new { c.Parsed.StepId, c.Parsed.Answer, c.Count }).ToList();
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

    // A texter's waits are written once and never change, so their median is a function of how many there are: a
    // dashboard refreshing every few seconds reads the index again only for texters who answered someone since.
    private static readonly ConcurrentDictionary<(Guid CampaignId, Guid TexterId, int Answered), double?> MedianCache = new();
    private const int MaxCachedMedians = 100_000;

    private static async Task<List<TexterRow>> TextersAsync(Guid campaignId, List<MessageGroup> groups, Dictionary<string, CampaignCounters.Value> counters, AppDbContext db, CancellationToken ct)
    {
        // Medians need values: for each texter, the one or two middle waits of their answered messages, read at the
        // counted offset from the index (CampaignId, TexterUserId, ResponseSeconds). Nothing else is read row by row.
        var medians = new Dictionary<Guid, double?>();
        foreach (var (key, value) in counters.Where(c => c.Key.StartsWith(CounterKeys.AnsweredPrefix, StringComparison.Ordinal) && c.Value.Count > 0))
        {
            var texter = Guid.ParseExact(key[CounterKeys.AnsweredPrefix.Length..], "N");
            var n = (int)value.Count;
            if (!MedianCache.TryGetValue((campaignId, texter, n), out var median))
            {
                var middle = await db.Messages
                    .Where(m => m.CampaignId == campaignId && m.TexterUserId == texter && m.ResponseSeconds != null)
                    .OrderBy(m => m.ResponseSeconds).Skip((n - 1) / 2).Take(n % 2 == 1 ? 1 : 2)
                    .Select(m => m.ResponseSeconds!.Value).ToListAsync(ct);
                median = Median([.. middle]);
                if (MedianCache.Count >= MaxCachedMedians)
                {
                    MedianCache.Clear();
                }

                MedianCache[(campaignId, texter, n)] = median;
            }

            medians[texter] = median;
        }

        var outbound = groups.Where(g => g.Key.Direction == MessageDirection.Outbound && g.Key.TexterUserId is not null).ToList();
        var ids = outbound.Select(g => g.Key.TexterUserId!.Value).Concat(medians.Keys).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id))
            .Select(u => new { u.Id, u.DisplayName, u.Email }).ToDictionaryAsync(u => u.Id, u => u.DisplayName.Length > 0 ? u.DisplayName : u.Email ?? "", ct);
        return [.. ids.Select(id => new TexterRow(id, names.GetValueOrDefault(id) ?? "(removed account)",
                outbound.Where(g => g.Key.TexterUserId == id && g.Key.Kind == MessageKind.Initial && ReachedProvider(g.Key.Status)).Sum(g => g.Count),
                outbound.Where(g => g.Key.TexterUserId == id && g.Key.Kind == MessageKind.Reply && ReachedProvider(g.Key.Status)).Sum(g => g.Count),
                medians.GetValueOrDefault(id)))
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

    private static List<TagCount> Tags(Dictionary<string, CampaignCounters.Value> counters) =>
        [.. counters.Where(c => c.Key.StartsWith(CounterKeys.TagPrefix, StringComparison.Ordinal) && c.Value.Count != 0)
            .Select(c => new TagCount(c.Key[CounterKeys.TagPrefix.Length..], (int)c.Value.Count))
            .OrderByDescending(c => c.Count).ThenBy(c => c.Tag, StringComparer.Ordinal)];

    private static List<HourPoint> Hourly(Dictionary<string, CampaignCounters.Value> counters, DateTime now)
    {
        var end = new DateTime(now.Year, now.Month, now.Day, now.Hour, 0, 0, DateTimeKind.Utc);
        var since = end.AddHours(-(SeriesHours - 1));
        var byHour = counters.Where(c => c.Key.StartsWith(CounterKeys.HourPrefix, StringComparison.Ordinal) && c.Value.Count != 0)
            .Select(c => (Parsed: CounterKeys.ParseHour(c.Key), Count: (int)c.Value.Count))
            .Where(r => r.Parsed.Hour >= since)
            .ToLookup(r => r.Parsed.Hour);
        return [.. Enumerable.Range(0, SeriesHours).Select(i => since.AddHours(i)).Select(hour => new HourPoint(hour,
            byHour[hour].Where(r => r.Parsed.Direction == MessageDirection.Outbound && ReachedProvider(r.Parsed.Status)).Sum(r => r.Count),
            byHour[hour].Where(r => r.Parsed.Direction == MessageDirection.Outbound && r.Parsed.Status == MessageStatus.Delivered).Sum(r => r.Count),
            byHour[hour].Where(r => r.Parsed.Direction == MessageDirection.Inbound).Sum(r => r.Count)))];
    }

    public static async Task<Results<Ok<Response>, ProblemHttpResult>> HandleAsync(
        Guid id, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
        await ExecuteAsync(id, current.Id!.Value, db, clock, ct) is { } stats ? TypedResults.Ok(stats) : Failure.NotFound("The campaign").ToProblem();
}
