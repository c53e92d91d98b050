using System.Security.Claims;
using Chorus.Features.Audit;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Organizations;

public static class RevokeJoinLink
{
    public static async Task<Failure?> ExecuteAsync(Guid linkId, AuditActor actor, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var link = await db.JoinLinks.FirstOrDefaultAsync(l => l.Id == linkId, ct);
        if (link is null)
        {
            return Failure.NotFound("The join link");
        }

        if (link.RevokedUtc is null)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            link.RevokedUtc = now;
            AuditEvent.Record(db, link.OrganizationId, actor, "join_link.revoked", $"join_link:{link.Id}", new { role = link.Role.ToString(), link.Uses }, now);
            await db.SaveChangesAsync(ct);
        }

        return null;
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> HandleAsync(Guid linkId, ClaimsPrincipal user, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
        await ExecuteAsync(linkId, user.AsAuditActor(), db, clock, ct) is { } failure ? failure.ToProblem() : TypedResults.NoContent();
}
