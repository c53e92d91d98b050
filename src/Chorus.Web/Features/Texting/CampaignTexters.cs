using Chorus.Features.Contacts;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Texting;

/// <summary>Who holds what in one campaign: each texter's contacts by stage, and how many still wait for a texter.</summary>
public static class CampaignTexters
{
    public sealed record Holder(Guid TexterId, string Name, int ToSend, int NeedsResponse, int Open, int Done);

    /// <param name="Unassigned">Sendable contacts no texter holds yet (not opted out, not a bad number).</param>
    /// <param name="Holders">The texters holding contacts, most to send first.</param>
    public sealed record Overview(int Unassigned, IReadOnlyList<Holder> Holders);

    public static async Task<Overview> ExecuteAsync(Guid campaignId, AppDbContext db, CancellationToken ct)
    {
        var unassigned = await db.Contacts.CountAsync(c => c.CampaignId == campaignId && c.AssignmentId == null && c.ConversationStatus == ConversationStatus.NotContacted
            && !c.BadNumber && !db.OptOuts.Any(o => o.PhoneE164 == c.PhoneE164), ct);
        var counts = await db.Contacts.AsNoTracking().Where(c => c.CampaignId == campaignId && c.TexterUserId != null)
            .GroupBy(c => new { Texter = c.TexterUserId!.Value, c.ConversationStatus })
            .Select(g => new { g.Key.Texter, g.Key.ConversationStatus, Count = g.Count() }).ToListAsync(ct);
        var ids = counts.Select(c => c.Texter).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => ids.Contains(u.Id)).ToDictionaryAsync(u => u.Id, u => string.IsNullOrWhiteSpace(u.DisplayName) ? u.Email ?? "" : u.DisplayName, ct);
        int Count(Guid texter, params ConversationStatus[] statuses) => counts.Where(c => c.Texter == texter && statuses.Contains(c.ConversationStatus)).Sum(c => c.Count);
        var holders = ids.Select(id => new Holder(id, names.GetValueOrDefault(id, "Former member"),
                Count(id, ConversationStatus.NotContacted), Count(id, ConversationStatus.NeedsResponse),
                Count(id, ConversationStatus.Messaged, ConversationStatus.Responded), Count(id, ConversationStatus.Closed, ConversationStatus.OptedOut)))
            .OrderByDescending(h => h.ToSend).ThenBy(h => h.Name, StringComparer.CurrentCultureIgnoreCase).ToList();
        return new Overview(unassigned, holders);
    }

    public static async Task<Results<Ok<Overview>, ProblemHttpResult>> HandleAsync(Guid id, AppDbContext db, CancellationToken ct) =>
        await db.Campaigns.AnyAsync(c => c.Id == id, ct)
            ? TypedResults.Ok(await ExecuteAsync(id, db, ct))
            : Failure.NotFound("The campaign").ToProblem();
}
