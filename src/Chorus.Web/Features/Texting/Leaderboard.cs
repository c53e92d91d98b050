using System.Security.Claims;
using Chorus.Features.Messaging;
using Chorus.Features.Contacts.TimeZones;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Texting;

/// <summary>
/// How volunteers are doing: a texter's own progress and a campaign's leaderboard. "Sent" counts a texter's initial
/// messages and "replies handled" their replies in conversations, each unless canceled before it went out (an
/// opt-out arrived first); tests, confirmations and help texts never count. Fellow texters are named kindly: first
/// name and last initial.
/// </summary>
public static class Leaderboard
{
    public const int MaxEntries = 100;

    public sealed record Entry(int Rank, string Name, int Sent, int RepliesHandled, bool IsYou);

    public sealed record Board(Guid CampaignId, IReadOnlyList<Entry> Entries);

    /// <summary>"Today" is the organization's calendar day, in its default time zone.</summary>
    public sealed record Progress(int SentToday, int SentTotal, int RepliesToday, int RepliesHandled);

    public static async Task<Outcome<Board>> ForCampaignAsync(Guid campaignId, Guid userId, AppDbContext db, CancellationToken ct)
    {
        if (!await db.Campaigns.AnyAsync(c => c.Id == campaignId, ct))
        {
            return Failure.NotFound("The campaign");
        }

        var counts = await Counted(db).Where(m => m.CampaignId == campaignId)
            .GroupBy(m => m.TexterUserId!.Value)
            .Select(g => new { TexterId = g.Key, Sent = g.Count(m => m.Kind == MessageKind.Initial), Replies = g.Count(m => m.Kind == MessageKind.Reply) })
            .ToListAsync(ct);
        var ids = counts.Select(c => c.TexterId).ToList();
        var names = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => u.DisplayName, ct);
        var ordered = counts.OrderByDescending(c => c.Sent).ThenByDescending(c => c.Replies).ThenBy(c => KindName(names.GetValueOrDefault(c.TexterId)), StringComparer.Ordinal)
            .Take(MaxEntries).ToList();
        var entries = new List<Entry>();
        for (var i = 0; i < ordered.Count; i++)
        {
            var c = ordered[i];
            // Ties share a rank: the same numbers are the same place.
            var rank = i > 0 && ordered[i - 1].Sent == c.Sent && ordered[i - 1].Replies == c.Replies ? entries[i - 1].Rank : i + 1;
            entries.Add(new Entry(rank, KindName(names.GetValueOrDefault(c.TexterId)), c.Sent, c.Replies, c.TexterId == userId));
        }

        return new Board(campaignId, entries);
    }

    public static async Task<Progress> MineAsync(Guid userId, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var zone = await db.Organizations.Where(o => o.Id == db.CurrentOrganizationId).Select(o => o.DefaultTimeZone).FirstOrDefaultAsync(ct);
        var now = clock.GetUtcNow();
        var tz = zone is not null && IanaTimeZones.TryFind(zone, out var found) ? found : TimeZoneInfo.Utc;
        var local = TimeZoneInfo.ConvertTime(now, tz);
        var midnight = new DateTimeOffset(local.Date, tz.GetUtcOffset(local.Date)).UtcDateTime;
        var counts = await Counted(db).Where(m => m.TexterUserId == userId)
            .GroupBy(m => m.Kind)
            .Select(g => new { Kind = g.Key, Total = g.Count(), Today = g.Count(m => m.CreatedUtc >= midnight) })
            .ToListAsync(ct);
        var sent = counts.FirstOrDefault(c => c.Kind == MessageKind.Initial);
        var replies = counts.FirstOrDefault(c => c.Kind == MessageKind.Reply);
        return new Progress(sent?.Today ?? 0, sent?.Total ?? 0, replies?.Today ?? 0, replies?.Total ?? 0);
    }

    /// <summary>"Ana Lopez" → "Ana L."; a texter without a name is still on the board.</summary>
    public static string KindName(string? displayName)
    {
        var parts = (displayName ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length switch
        {
            0 => "A texter",
            1 => parts[0],
            _ => $"{parts[0]} {char.ToUpperInvariant(parts[^1][0])}.",
        };
    }

    private static IQueryable<Message> Counted(AppDbContext db) =>
        db.Messages.AsNoTracking().Where(m => m.Direction == MessageDirection.Outbound && m.TexterUserId != null
            && (m.Kind == MessageKind.Initial || m.Kind == MessageKind.Reply) && m.Status != MessageStatus.Canceled);

    public static async Task<Results<Ok<Board>, ProblemHttpResult>> HandleBoardAsync(Guid id, ClaimsPrincipal user, AppDbContext db, CancellationToken ct) =>
        (await ForCampaignAsync(id, user.UserId(), db, ct)).ToOk();

    public static async Task<Ok<Progress>> HandleProgressAsync(ClaimsPrincipal user, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
        TypedResults.Ok(await MineAsync(user.UserId(), db, clock, ct));
}
