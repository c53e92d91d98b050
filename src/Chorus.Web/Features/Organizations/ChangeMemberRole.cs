using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Chorus.Features.Audit;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Organizations;

public static class ChangeMemberRole
{
    public sealed record Request([property: Required] OrgRole? Role);

    public static async Task<Failure?> ExecuteAsync(Guid memberUserId, OrgRole newRole, AuditActor actor, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (!Enum.IsDefined(newRole))
        {
            return Failure.Invalid("Role must be Owner, Admin, Supervisor or Texter.", "role");
        }

        var membership = await db.Memberships.FirstOrDefaultAsync(m => m.UserId == memberUserId, ct);
        if (membership is null || current.Role is not { } actorRole)
        {
            return Failure.NotFound("The member");
        }

        if (membership.Role == newRole)
        {
            return null;
        }

        // The organization (and its Version) is read before the owners are counted: a concurrent change that commits
        // in between then fails this save's concurrency check instead of slipping past the count.
        var organization = await db.Organizations.FirstAsync(o => o.Id == current.Id, ct);
        var owners = await db.Memberships.CountAsync(m => m.Role == OrgRole.Owner, ct);
        if (MemberRules.CanChangeRole(actorRole, membership.Role, newRole, owners) is { } refused)
        {
            return refused;
        }

        organization.Version = Guid.NewGuid();
        AuditEvent.Record(db, organization.Id, actor, "member.role_changed", $"user:{memberUserId}",
            new { from = membership.Role.ToString(), to = newRole.ToString() }, clock.GetUtcNow().UtcDateTime);
        membership.Role = newRole;
        membership.Version = Guid.NewGuid();
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
        Guid userId, Request request, ClaimsPrincipal user, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (request.Role is not { } role)
        {
            return Failure.Invalid("Role is required: Owner, Admin, Supervisor or Texter.", "role").ToProblem();
        }

        return await ExecuteAsync(userId, role, user.AsAuditActor(), current, db, clock, ct) switch
        {
            null => TypedResults.NoContent(),
            var f => f.ToProblem(),
        };
    }
}
