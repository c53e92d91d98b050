using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Chorus.Features.Audit;
using Chorus.Features.Campaigns;
using Chorus.Features.Contacts;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Texting;

/// <summary>
/// Contacts handed out and taken back in bulk, for campaigns whose admins assign rather than let texters request
/// batches: assign deals unassigned contacts round robin to texters; unassign and release return a texter's
/// <em>unsent</em> contacts to the pool. A contact already texted is a conversation and only moves by reassignment
/// (<see cref="Reassign"/>): unassigning it would leave a voter's reply with no one to answer it.
/// </summary>
public static class BulkAssignment
{
    public const int MaxPerRequest = 1_000_000;
    private const int Chunk = 500;

    public sealed record AssignRequest([property: Required] List<Guid> TexterIds, [property: Range(1, MaxPerRequest)] int? Count);

    public sealed record UnassignRequest(List<Guid>? TexterIds);

    public sealed record Result(int Contacts);

    /// <summary>Deals up to <see cref="AssignRequest.Count"/> (default: all) of the campaign's unassigned, sendable contacts to the texters, round robin.</summary>
    public static async Task<Outcome<Result>> AssignAsync(Guid campaignId, AssignRequest request, AuditActor actor, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var campaign = await db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == campaignId, ct);
        if (campaign is null)
        {
            return Failure.NotFound("The campaign");
        }

        if (campaign.Status == CampaignStatus.Archived)
        {
            return Failure.Conflict("The campaign is archived; its contacts can't be assigned.");
        }

        var texters = (request.TexterIds ?? []).Distinct().ToList();
        if (texters.Count == 0 || await db.Memberships.CountAsync(m => texters.Contains(m.UserId), ct) != texters.Count)
        {
            return Failure.Invalid("Give one or more texters who are members of this organization.", "texterIds");
        }

        if (request.Count is < 1 or > MaxPerRequest)
        {
            return Failure.Invalid($"count is between 1 and {MaxPerRequest:N0}.", "count");
        }

        var ids = await db.Contacts.Where(c => c.CampaignId == campaignId && c.AssignmentId == null && c.ConversationStatus == ConversationStatus.NotContacted
                && !c.BadNumber && !db.OptOuts.Any(o => o.PhoneE164 == c.PhoneE164))
            .OrderBy(c => c.Id).Select(c => c.Id).Take(request.Count ?? MaxPerRequest).ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var assignments = new Dictionary<Guid, Guid>();
        foreach (var texter in texters)
        {
            assignments[texter] = (await Assignments.GetOrCreateAsync(db, current.Id!.Value, campaignId, texter, now, ct)).Id;
        }

        var assigned = 0;
        foreach (var group in ids.Select((id, i) => (id, Texter: texters[i % texters.Count])).GroupBy(x => x.Texter))
        {
            var batchId = Guid.NewGuid();
            foreach (var chunk in group.Select(x => x.id).Chunk(Chunk))
            {
                // Conditional, like a requested batch: a contact someone else took meanwhile is skipped, never moved.
                assigned += await db.Contacts.Where(c => chunk.Contains(c.Id) && c.AssignmentId == null)
                    .ExecuteUpdateAsync(s => s
                        .SetProperty(c => c.AssignmentId, assignments[group.Key])
                        .SetProperty(c => c.TexterUserId, group.Key)
                        .SetProperty(c => c.BatchId, batchId), ct);
            }
        }

        AuditEvent.Record(db, current.Id!.Value, actor, "assignment.assigned", $"campaign:{campaignId}", new { contacts = assigned, texters }, now);
        await db.SaveChangesAsync(ct);
        return new Result(assigned);
    }

    /// <summary>Returns the campaign's unsent contacts held by the given texters (or by everyone) to the pool.</summary>
    public static async Task<Outcome<Result>> UnassignAsync(Guid campaignId, UnassignRequest request, AuditActor actor, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (!await db.Campaigns.AnyAsync(c => c.Id == campaignId, ct))
        {
            return Failure.NotFound("The campaign");
        }

        var texters = request.TexterIds?.Distinct().ToList();
        if (texters is { Count: 0 })
        {
            return Failure.Invalid("Leave texterIds out to unassign everyone, or give one or more texters.", "texterIds");
        }

        var query = db.Contacts.Where(c => c.CampaignId == campaignId && c.AssignmentId != null && c.ConversationStatus == ConversationStatus.NotContacted);
        if (texters is not null)
        {
            query = query.Where(c => c.TexterUserId != null && texters.Contains(c.TexterUserId.Value));
        }

        var released = await ReturnToPoolAsync(query, ct);
        AuditEvent.Record(db, current.Id!.Value, actor, "assignment.unassigned", $"campaign:{campaignId}", new { contacts = released, texters }, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return new Result(released);
    }

    /// <summary>A texter gives back the unsent contacts of their own assignment.</summary>
    public static async Task<Outcome<Result>> ReleaseAsync(Guid assignmentId, AuditActor actor, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var assignment = await db.Assignments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == assignmentId && a.TexterUserId == actor.UserId, ct);
        if (assignment is null)
        {
            return Failure.NotFound("The assignment");
        }

        var released = await ReturnToPoolAsync(
            db.Contacts.Where(c => c.AssignmentId == assignmentId && c.ConversationStatus == ConversationStatus.NotContacted), ct);
        AuditEvent.Record(db, current.Id!.Value, actor, "assignment.released", $"campaign:{assignment.CampaignId}",
            new { assignmentId, contacts = released }, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return new Result(released);
    }

    // The status condition is repeated in the UPDATE itself: a contact sent its first text between the read and
    // this statement stays with its texter.
    private static Task<int> ReturnToPoolAsync(IQueryable<Contact> query, CancellationToken ct) =>
        query.Where(c => c.ConversationStatus == ConversationStatus.NotContacted).ExecuteUpdateAsync(s => s
            .SetProperty(c => c.AssignmentId, (Guid?)null)
            .SetProperty(c => c.TexterUserId, (Guid?)null)
            .SetProperty(c => c.BatchId, (Guid?)null), ct);

    public static async Task<Results<Ok<Result>, ProblemHttpResult>> HandleAssignAsync(
        Guid id, AssignRequest request, ClaimsPrincipal user, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
        (await AssignAsync(id, request, user.AsAuditActor(), current, db, clock, ct)).ToOk();

    public static async Task<Results<Ok<Result>, ProblemHttpResult>> HandleUnassignAsync(
        Guid id, UnassignRequest request, ClaimsPrincipal user, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
        (await UnassignAsync(id, request, user.AsAuditActor(), current, db, clock, ct)).ToOk();

    public static async Task<Results<Ok<Result>, ProblemHttpResult>> HandleReleaseAsync(
        Guid assignmentId, ClaimsPrincipal user, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
        (await ReleaseAsync(assignmentId, user.AsAuditActor(), current, db, clock, ct)).ToOk();
}
