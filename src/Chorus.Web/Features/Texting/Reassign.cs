using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Chorus.Features.Audit;
using Chorus.Features.Contacts;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Texting;

/// <summary>
/// Supervisors move conversations (and assigned, unsent contacts) to other texters: the selected ones, or every one
/// matching a filter, dealt round robin to one or several texters. Escalations are cleared: the new texter owns it.
/// </summary>
public static class Reassign
{
    public const int MaxContactIds = 10_000;
    private const int Chunk = 500;

    public sealed record Request(List<Guid>? ContactIds, ConversationFilter? Filter, [property: Required] List<Guid> TexterIds);

    public sealed record Response(int Reassigned);

    public static async Task<Outcome<Response>> ExecuteAsync(Request request, AuditActor actor, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if ((request.ContactIds is null) == (request.Filter is null))
        {
            return Failure.Invalid("Send either contactIds or filter.", "contactIds");
        }

        if (request.ContactIds is { Count: > MaxContactIds })
        {
            return Failure.Invalid($"At most {MaxContactIds:N0} contact ids; use a filter for more.", "contactIds");
        }

        var texters = (request.TexterIds ?? []).Distinct().ToList();
        if (texters.Count == 0 || await db.Memberships.CountAsync(m => texters.Contains(m.UserId), ct) != texters.Count)
        {
            return Failure.Invalid("Give one or more texters who are members of this organization.", "texterIds");
        }

        var query = db.Contacts.Where(c => c.AssignmentId != null || c.ConversationStatus != ConversationStatus.NotContacted);
        if (request.ContactIds is { } ids)
        {
            query = query.Where(c => ids.Contains(c.Id));
        }
        else
        {
            var filtered = request.Filter!.Apply(query, db);
            if (filtered.Failure is { } invalid)
            {
                return invalid;
            }

            query = filtered.Value!;
        }

        var contacts = await query.OrderBy(c => c.Id).Select(c => new { c.Id, c.CampaignId }).ToListAsync(ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var assignments = new Dictionary<(Guid Campaign, Guid Texter), Guid>();
        foreach (var campaignId in contacts.Select(c => c.CampaignId).Distinct())
        {
            foreach (var texter in texters)
            {
                var assignment = await db.Assignments.FirstOrDefaultAsync(a => a.CampaignId == campaignId && a.TexterUserId == texter, ct);
                if (assignment is null)
                {
                    assignment = new Assignment { OrganizationId = current.Id!.Value, CampaignId = campaignId, TexterUserId = texter, CreatedUtc = now };
                    db.Assignments.Add(assignment);
                }

                assignments[(campaignId, texter)] = assignment.Id;
            }
        }

        AuditEvent.Record(db, current.Id!.Value, actor, "conversation.reassigned", "conversations",
            new { count = contacts.Count, texters, byFilter = request.Filter is not null, filter = request.Filter }, now);
        await db.SaveChangesAsync(ct);

        // Round robin: the i-th contact goes to the (i mod n)-th texter.
        var groups = contacts.Select((c, i) => (c.Id, Key: (c.CampaignId, texters[i % texters.Count]))).GroupBy(x => x.Key);
        foreach (var group in groups)
        {
            var (campaignId, texter) = group.Key;
            var assignmentId = assignments[(campaignId, texter)];
            foreach (var chunk in group.Select(x => x.Id).Chunk(Chunk))
            {
                await db.Contacts.Where(c => chunk.Contains(c.Id)).ExecuteUpdateAsync(s => s
                    .SetProperty(c => c.TexterUserId, texter)
                    .SetProperty(c => c.AssignmentId, assignmentId)
                    .SetProperty(c => c.Escalated, false), ct);
            }
        }

        return new Response(contacts.Count);
    }

    public static async Task<Results<Ok<Response>, ProblemHttpResult>> HandleAsync(
        Request request, ClaimsPrincipal user, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await ExecuteAsync(request, user.AsAuditActor(), current, db, clock, ct);
        return outcome.Failure is { } f ? f.ToProblem() : TypedResults.Ok(outcome.Value!);
    }
}
