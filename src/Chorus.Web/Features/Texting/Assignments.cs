using System.Security.Claims;
using Chorus.Features.Audit;
using Chorus.Features.Campaigns;
using Chorus.Features.Contacts;
using Chorus.Features.OptOuts;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Texting;

/// <summary>
/// Texters' batches. "Request a batch" hands the caller the campaign's next unassigned contacts whose texting window
/// is open now. Contacts are taken with one conditional UPDATE per group (<c>… WHERE AssignmentId IS NULL</c>), so two
/// texters — on any number of instances — never get the same contact: a row another request took first no longer
/// matches and is skipped.
/// </summary>
public static class Assignments
{
    public sealed record ContactView(Guid Id, string FirstName, string LastName, string Phone, string Zip);

    public sealed record BatchResponse(Guid AssignmentId, Guid CampaignId, IReadOnlyList<ContactView> Contacts);

    public sealed record Summary(Guid AssignmentId, Guid CampaignId, string CampaignTitle, CampaignStatus CampaignStatus, int ToSend, int NeedsResponse, int Open, int Done);

    /// <summary>A safety bound only: every round but the last either claims or finds the group empty.</summary>
    private const int MaxClaimRounds = 1_000;

    public static async Task<Outcome<BatchResponse>> RequestBatchAsync(Guid campaignId, AuditActor actor, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var userId = actor.UserId!.Value;
        var campaign = await db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == campaignId, ct);
        if (campaign is null)
        {
            return Failure.NotFound("The campaign");
        }

        if (campaign.Status != CampaignStatus.Active)
        {
            return Failure.Conflict(campaign.Status == CampaignStatus.Paused ? "The campaign is paused; batches resume when it does." : "The campaign is not sending.");
        }

        if (!campaign.DynamicAssignment)
        {
            return Failure.Conflict("This campaign hands out contacts through its admins; ask them for an assignment.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        // The assignment is created only once there is something to give, so a refusal leaves nothing behind.
        var existingId = await db.Assignments.Where(a => a.CampaignId == campaignId && a.TexterUserId == userId).Select(a => (Guid?)a.Id).FirstOrDefaultAsync(ct);
        var mine = db.Contacts.Where(c => c.AssignmentId != null && c.AssignmentId == existingId);
        if (campaign.RequireRepliesBeforeMore && await mine.CountAsync(c => c.ConversationStatus == ConversationStatus.NeedsResponse, ct) is > 0 and var waiting)
        {
            return Failure.Conflict($"Answer your {waiting} waiting {(waiting == 1 ? "reply" : "replies")} first; then you can get more contacts.");
        }

        var want = campaign.BatchSize;
        if (campaign.MaxContactsPerTexter is { } max)
        {
            var held = await mine.CountAsync(ct);
            want = Math.Min(want, max - held);
            if (want <= 0)
            {
                return Failure.Conflict($"You hold the most contacts one texter may have in this campaign ({max:N0}).");
            }
        }

        var pool = db.Contacts.Where(c => c.CampaignId == campaignId && c.AssignmentId == null && c.ConversationStatus == ConversationStatus.NotContacted
            && !c.BadNumber && !db.OptOuts.Any(o => o.PhoneE164 == c.PhoneE164));
        var groups = await pool.Select(c => new { c.TimeZones, c.State }).Distinct().ToListAsync(ct);
        if (groups.Count == 0)
        {
            return Failure.Conflict("Every contact in this campaign has been assigned. Thank you!");
        }

        var hours = campaign.ToTextingHours();
        DateTimeOffset? nextOpen = null;
        var open = new List<(string Zones, string? State)>();
        foreach (var group in groups)
        {
            var decision = TextingWindow.Evaluate(new DateTimeOffset(now), group.TimeZones.Split(','), group.State, hours);
            if (decision.Allowed)
            {
                open.Add((group.TimeZones, group.State));
            }
            else if (decision.NextAllowedAt is { } next && (nextOpen is null || next < nextOpen))
            {
                nextOpen = next;
            }
        }

        if (open.Count == 0)
        {
            return Failure.Conflict(nextOpen is { } opens
                ? $"No contact can be texted right now: it is outside their texting hours. The next window opens at {opens.UtcDateTime:yyyy-MM-dd HH:mm} UTC."
                : "No contact can be texted right now.");
        }

        var assignment = await GetOrCreateAsync(db, current.Id!.Value, campaignId, userId, now, ct);
        var batchId = Guid.NewGuid();
        var claimed = 0;
        foreach (var (zones, state) in open)
        {
            // A round can come back short while other requests hold rows of the group; it goes on until the batch is
            // full or nothing in the group is left unclaimed, so contention never leaves contacts on the table.
            for (var round = 0; round < MaxClaimRounds && claimed < want; round++)
            {
                var take = want - claimed;
                var got = await ClaimAsync(db, pool, current.Id.Value, campaignId, zones, state, take, assignment.Id, userId, batchId, ct);
                claimed += got;
                if (got == take || got == 0 && !await pool.AnyAsync(c => c.TimeZones == zones && c.State == state, ct))
                {
                    break;
                }
            }

            if (claimed >= want)
            {
                break;
            }
        }

        if (claimed == 0)
        {
            return Failure.Conflict(nextOpen is { } at
                ? $"No contact can be texted right now: it is outside their texting hours. The next window opens at {at.UtcDateTime:yyyy-MM-dd HH:mm} UTC."
                : "No contact can be texted right now.");
        }

        AuditEvent.Record(db, assignment.OrganizationId, actor, "assignment.batch", $"campaign:{campaignId}", new { assignmentId = assignment.Id, contacts = claimed }, now);
        await db.SaveChangesAsync(ct);
        var contacts = await db.Contacts.AsNoTracking().Where(c => c.BatchId == batchId).OrderBy(c => c.Id)
            .Select(c => new ContactView(c.Id, c.FirstName, c.LastName, c.PhoneE164, c.Zip)).ToListAsync(ct);
        return new BatchResponse(assignment.Id, campaignId, contacts);
    }

    /// <summary>
    /// Takes up to <paramref name="take"/> unclaimed contacts of one time-zone group for the batch. On PostgreSQL the
    /// candidates are locked with <c>FOR UPDATE SKIP LOCKED</c>, so concurrent requests pass over each other's rows
    /// instead of waiting for them and then finding them taken; on SQLite one writer at a time makes the statement the
    /// claim. Both keep <c>AssignmentId IS NULL</c> in the UPDATE itself. The PostgreSQL candidates sit in a materialized
    /// CTE, not an <c>IN (subquery)</c>: a concurrent update makes PostgreSQL re-check the UPDATE's rows, and a re-run
    /// SKIP LOCKED subquery picks different ones — batches of 200 instead of 10 came out of that form under 50 requests.
    /// </summary>
    private static async Task<int> ClaimAsync(AppDbContext db, IQueryable<Contact> pool, Guid organizationId, Guid campaignId, string zones, string? state,
        int take, Guid assignmentId, Guid userId, Guid batchId, CancellationToken ct)
    {
        if (db.Database.IsNpgsql())
        {
            return await db.Database.ExecuteSqlAsync($"""
                WITH picked AS MATERIALIZED (
                    SELECT c."Id" FROM "Contacts" c
                    WHERE c."CampaignId" = {campaignId} AND c."AssignmentId" IS NULL AND c."ConversationStatus" = {(int)ConversationStatus.NotContacted}
                      AND NOT c."BadNumber" AND c."TimeZones" = {zones} AND c."State" IS NOT DISTINCT FROM {state}
                      AND NOT EXISTS (SELECT 1 FROM "OptOuts" o WHERE o."OrganizationId" = {organizationId} AND o."PhoneE164" = c."PhoneE164")
                    ORDER BY c."Id"
                    LIMIT {take}
                    FOR UPDATE OF c SKIP LOCKED)
                UPDATE "Contacts" SET "AssignmentId" = {assignmentId}, "TexterUserId" = {userId}, "BatchId" = {batchId}
                FROM picked WHERE "Contacts"."Id" = picked."Id" AND "Contacts"."AssignmentId" IS NULL
                """, ct);
        }

        var candidates = pool.Where(c => c.TimeZones == zones && c.State == state).OrderBy(c => c.Id).Take(take).Select(c => c.Id);
        return await db.Contacts
            .Where(c => candidates.Contains(c.Id) && c.AssignmentId == null)
            .ExecuteUpdateAsync(s => s
                .SetProperty(c => c.AssignmentId, assignmentId)
                .SetProperty(c => c.TexterUserId, userId)
                .SetProperty(c => c.BatchId, batchId), ct);
    }

    internal static async Task<Assignment> GetOrCreateAsync(AppDbContext db, Guid organizationId, Guid campaignId, Guid userId, DateTime now, CancellationToken ct)
    {
        if (await db.Assignments.FirstOrDefaultAsync(a => a.CampaignId == campaignId && a.TexterUserId == userId, ct) is { } existing)
        {
            return existing;
        }

        var assignment = new Assignment { OrganizationId = organizationId, CampaignId = campaignId, TexterUserId = userId, CreatedUtc = now };
        db.Assignments.Add(assignment);
        try
        {
            await db.SaveChangesAsync(ct);
            return assignment;
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            // The same texter's other tab created it first.
            db.Entry(assignment).State = EntityState.Detached;
            return await db.Assignments.FirstAsync(a => a.CampaignId == campaignId && a.TexterUserId == userId, ct);
        }
    }

    public static async Task<List<Summary>> ListAsync(Guid userId, AppDbContext db, CancellationToken ct)
    {
        var assignments = await db.Assignments.AsNoTracking().Where(a => a.TexterUserId == userId)
            .Join(db.Campaigns, a => a.CampaignId, c => c.Id, (a, c) => new { a.Id, a.CampaignId, c.Title, c.Status, a.CreatedUtc })
            .OrderByDescending(a => a.CreatedUtc).ToListAsync(ct);
        var ids = assignments.Select(a => a.Id).ToList();
        var counts = await db.Contacts.AsNoTracking().Where(c => c.AssignmentId != null && ids.Contains(c.AssignmentId.Value))
            .GroupBy(c => new { c.AssignmentId, c.ConversationStatus }).Select(g => new { g.Key.AssignmentId, g.Key.ConversationStatus, Count = g.Count() })
            .ToListAsync(ct);
        int Count(Guid id, params ConversationStatus[] statuses) =>
            counts.Where(c => c.AssignmentId == id && statuses.Contains(c.ConversationStatus)).Sum(c => c.Count);
        return [.. assignments.Select(a => new Summary(a.Id, a.CampaignId, a.Title, a.Status,
            Count(a.Id, ConversationStatus.NotContacted), Count(a.Id, ConversationStatus.NeedsResponse),
            Count(a.Id, ConversationStatus.Messaged, ConversationStatus.Responded), Count(a.Id, ConversationStatus.Closed, ConversationStatus.OptedOut)))];
    }

    public static async Task<Results<Ok<BatchResponse>, ProblemHttpResult>> HandleRequestAsync(
        Guid id, ClaimsPrincipal user, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await RequestBatchAsync(id, user.AsAuditActor(), current, db, clock, ct);
        return outcome.Failure is { } f ? f.ToProblem() : TypedResults.Ok(outcome.Value!);
    }

    public static async Task<Ok<List<Summary>>> HandleListAsync(ClaimsPrincipal user, AppDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await ListAsync(user.UserId(), db, ct));
}
