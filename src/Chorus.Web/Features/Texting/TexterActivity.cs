using Chorus.Features.Contacts;
using Chorus.Features.Messaging;
using Chorus.Infrastructure.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Texting;

/// <summary>
/// Who is texting right now, for supervisors: each texter who sent in the last few minutes, their pace and what
/// waits for them. Counted from the messages themselves (every human send is a row), so it needs no bookkeeping
/// and is the same on every instance.
/// </summary>
public static class TexterActivity
{
    public const int DefaultMinutes = 10;
    public const int MaxMinutes = 120;

    /// <summary>One texter's pace: texts sent in the last minute, over the window and per minute over it.</summary>
    public sealed record Texter(Guid TexterId, string Name, int SentLastMinute, int SentInWindow, double SentPerMinute, DateTime LastSentUtc, int NeedsResponse);

    public sealed record Response(int WindowMinutes, DateTime AsOfUtc, IReadOnlyList<Texter> Texters);

    public static async Task<Response> ExecuteAsync(Guid? campaignId, int? minutes, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var window = Math.Clamp(minutes ?? DefaultMinutes, 1, MaxMinutes);
        var now = clock.GetUtcNow().UtcDateTime;
        var since = now.AddMinutes(-window);
        var lastMinute = now.AddMinutes(-1);
        var sent = db.Messages.AsNoTracking().Where(m => m.CreatedUtc >= since && m.Direction == MessageDirection.Outbound && m.TexterUserId != null
            && (m.Kind == MessageKind.Initial || m.Kind == MessageKind.Reply));
        if (campaignId is { } campaign)
        {
            sent = sent.Where(m => m.CampaignId == campaign);
        }

        var rows = await sent.GroupBy(m => m.TexterUserId!.Value)
            .Select(g => new { TexterId = g.Key, InWindow = g.Count(), LastMinute = g.Count(m => m.CreatedUtc >= lastMinute), Last = g.Max(m => m.CreatedUtc) })
            .ToListAsync(ct);
        var ids = rows.Select(r => r.TexterId).ToList();
        var names = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).Select(u => new { u.Id, u.DisplayName, u.Email }).ToListAsync(ct);
        var waiting = db.Contacts.AsNoTracking().Where(c => c.TexterUserId != null && ids.Contains(c.TexterUserId.Value) && c.ConversationStatus == ConversationStatus.NeedsResponse);
        if (campaignId is { } c2)
        {
            waiting = waiting.Where(c => c.CampaignId == c2);
        }

        var needs = await waiting.GroupBy(c => c.TexterUserId!.Value).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var texters = rows.Select(r =>
        {
            var user = names.FirstOrDefault(n => n.Id == r.TexterId);
            var name = user is null ? "Former member" : string.IsNullOrWhiteSpace(user.DisplayName) ? user.Email ?? "" : user.DisplayName;
            return new Texter(r.TexterId, name, r.LastMinute, r.InWindow, Math.Round((double)r.InWindow / window, 1), DateTime.SpecifyKind(r.Last, DateTimeKind.Utc),
                needs.GetValueOrDefault(r.TexterId));
        }).OrderByDescending(t => t.SentLastMinute).ThenByDescending(t => t.SentInWindow).ThenBy(t => t.Name, StringComparer.CurrentCultureIgnoreCase).ToList();
        return new Response(window, now, texters);
    }

    public static async Task<Ok<Response>> HandleAsync(Guid? campaignId, int? minutes, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
        TypedResults.Ok(await ExecuteAsync(campaignId, minutes, db, clock, ct));
}
