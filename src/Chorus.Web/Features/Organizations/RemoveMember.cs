using System.Security.Claims;
using Chorus.Features.Audit;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Organizations;

public static class RemoveMember
{
    public static async Task<Failure?> ExecuteAsync(Guid memberUserId, AuditActor actor, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var membership = await db.Memberships.FirstOrDefaultAsync(m => m.UserId == memberUserId, ct);
        if (membership is null || current.Role is not { } actorRole)
        {
            return Failure.NotFound("The member");
        }

        // The organization (and its Version) is read before the owners are counted: a concurrent change that commits
        // in between then fails this save's concurrency check instead of slipping past the count.
        var organization = await db.Organizations.FirstAsync(o => o.Id == current.Id, ct);
        var owners = await db.Memberships.CountAsync(m => m.Role == OrgRole.Owner, ct);
        if (MemberRules.CanRemove(actorRole, membership.Role, owners) is { } refused)
        {
            return refused;
        }

        organization.Version = Guid.NewGuid();
        AuditEvent.Record(db, organization.Id, actor, "member.removed", $"user:{memberUserId}",
            new { role = membership.Role.ToString() }, clock.GetUtcNow().UtcDateTime);
        db.Memberships.Remove(membership);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Failure.Conflict("The organization's members changed meanwhile. Reload and try again.");
        }

        return null;
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> HandleAsync(
        Guid userId, ClaimsPrincipal user, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
        await ExecuteAsync(userId, user.AsAuditActor(), current, db, clock, ct) is { } failure
            ? failure.ToProblem()
            : TypedResults.NoContent();
}
