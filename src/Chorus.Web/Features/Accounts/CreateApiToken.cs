using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Chorus.Features.Audit;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Accounts;

public static class CreateApiToken
{
    public sealed record Request([property: Required, MaxLength(ApiToken.MaxNameLength)] string Name);

    /// <summary>The only time the token itself is ever shown.</summary>
    public sealed record Response(Guid Id, string Name, string Token, string Hint, DateTime CreatedUtc);

    public static async Task<Outcome<Response>> ExecuteAsync(Guid userId, string actorName, string name, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        name = name.Trim();
        if (name.Length is 0 or > ApiToken.MaxNameLength)
        {
            return Failure.Invalid($"Give the token a name of 1 to {ApiToken.MaxNameLength} characters.", "name");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var (token, secret) = ApiToken.Issue(userId, name, now);
        db.ApiTokens.Add(token);

        // A personal token reaches every organization its owner belongs to, so each of them keeps a record of it.
        var organizations = await db.Memberships.IgnoreQueryFilters().Where(m => m.UserId == userId).Select(m => m.OrganizationId).ToListAsync(ct);
        foreach (var organizationId in organizations)
        {
            AuditEvent.Record(db, organizationId, new AuditActor(userId, actorName), "token.created", $"token:{token.Id}", new { token.Name, token.Hint }, now);
        }

        await db.SaveChangesAsync(ct);
        return new Response(token.Id, token.Name, secret, token.Hint, token.CreatedUtc);
    }

    public static async Task<Results<Created<Response>, ProblemHttpResult>> HandleAsync(
        Request request, ClaimsPrincipal user, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await ExecuteAsync(user.UserId(), user.Identity?.Name ?? "", request.Name, db, clock, ct);
        return outcome.Failure switch
        {
            null => TypedResults.Created($"/api/v1/me/tokens/{outcome.Value!.Id}", outcome.Value),
            var f => f.ToProblem(),
        };
    }
}
