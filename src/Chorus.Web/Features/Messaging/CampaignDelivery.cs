using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Messaging;

/// <summary>
/// <c>GET /api/v1/orgs/{org}/campaigns/{id}/delivery</c>: how a campaign's outbound texts fared, by status and by
/// provider error code, with the 30007 count (filtered as spam) on its own because a rising one means the script
/// must be reworded before carriers block the sender. The full dashboard is issue 7's.
/// </summary>
public static class CampaignDelivery
{
    public sealed record ErrorCount(int Code, int Count);

    public sealed record Response(int Queued, int Submitted, int Sent, int Delivered, int Undelivered, int Failed, int Canceled, int NeedsReview, int Filtered, IReadOnlyList<ErrorCount> ErrorCodes);

    public static async Task<Response?> ExecuteAsync(Guid campaignId, AppDbContext db, CancellationToken ct)
    {
        if (!await db.Campaigns.AnyAsync(c => c.Id == campaignId, ct))
        {
            return null;
        }

        var outbound = db.Messages.Where(m => m.CampaignId == campaignId && m.Direction == MessageDirection.Outbound);
        var byStatus = await outbound.GroupBy(m => m.Status).Select(g => new { g.Key, Count = g.Count() }).ToDictionaryAsync(g => g.Key, g => g.Count, ct);
        var byCode = await outbound.Where(m => m.ErrorCode != null).GroupBy(m => m.ErrorCode!.Value).Select(g => new ErrorCount(g.Key, g.Count())).ToListAsync(ct);
        int Count(params MessageStatus[] statuses) => statuses.Sum(s => byStatus.GetValueOrDefault(s));
        return new Response(
            Count(MessageStatus.Queued, MessageStatus.Sending), Count(MessageStatus.Submitted), Count(MessageStatus.Sent), Count(MessageStatus.Delivered),
            Count(MessageStatus.Undelivered), Count(MessageStatus.Failed), Count(MessageStatus.Canceled), Count(MessageStatus.Unknown, MessageStatus.NeedsReview),
            byCode.FirstOrDefault(c => c.Code == StatusUpdates.Filtered)?.Count ?? 0,
            [.. byCode.OrderByDescending(c => c.Count).ThenBy(c => c.Code)]);
    }

    public static async Task<Results<Ok<Response>, ProblemHttpResult>> HandleAsync(Guid id, AppDbContext db, CancellationToken ct) =>
        await ExecuteAsync(id, db, ct) is { } response ? TypedResults.Ok(response) : Failure.NotFound("The campaign").ToProblem();
}
