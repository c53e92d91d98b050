using System.Security.Claims;
using Chorus.Features.Audit;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Accounts;

public static class RevokeApiToken
{
    /// <summary>Revoking is idempotent: revoking a revoked token succeeds and changes nothing.</summary>
    public static async Task<Failure?> ExecuteAsync(Guid userId, string actorName, Guid tokenId, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var token = await db.ApiTokens.FirstOrDefaultAsync(t => t.Id == tokenId && t.UserId == userId, ct);
        if (token is null)
        {
            return Failure.NotFound("The token");
        }

        if (token.RevokedUtc is not null)
        {
            return null;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        token.RevokedUtc = now;
        var organizations = await db.Memberships.IgnoreQueryFilters().Where(m => m.UserId == userId).Select(m => m.OrganizationId).ToListAsync(ct);
        foreach (var organizationId in organizations)
        {
            AuditEvent.Record(db, organizationId, new AuditActor(userId, actorName), "token.revoked", $"token:{token.Id}", new { token.Name, token.Hint }, now);
        }

        await db.SaveChangesAsync(ct);
        return null;
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> HandleAsync(Guid tokenId, ClaimsPrincipal user, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
        await ExecuteAsync(user.UserId(), user.Identity?.Name ?? "", tokenId, db, clock, ct) is { } failure
            ? failure.ToProblem()
            : TypedResults.NoContent();
}
