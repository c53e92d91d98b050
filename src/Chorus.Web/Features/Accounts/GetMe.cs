using System.Security.Claims;
using Chorus.Features.Organizations;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Accounts;

public static class GetMe
{
    public sealed record MembershipItem(Guid OrganizationId, string Slug, string Name, OrgRole Role);

    public sealed record Response(Guid Id, string Email, string DisplayName, List<MembershipItem> Memberships);

    public static async Task<Response?> ExecuteAsync(Guid userId, AppDbContext db, CancellationToken ct)
    {
        var user = await db.Users.AsNoTracking().Where(u => u.Id == userId)
            .Select(u => new { u.Id, u.Email, u.DisplayName })
            .FirstOrDefaultAsync(ct);
        if (user is null)
        {
            return null;
        }

        var memberships = await ListMembershipsAsync(userId, db, ct);
        return new Response(user.Id, user.Email ?? "", user.DisplayName, memberships);
    }

    /// <summary>The organizations a person belongs to, for the switcher and for /me. Crosses tenants on purpose.</summary>
    public static async Task<List<MembershipItem>> ListMembershipsAsync(Guid userId, AppDbContext db, CancellationToken ct)
    {
        var items = await db.Memberships.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.UserId == userId)
            .Join(db.Organizations, m => m.OrganizationId, o => o.Id, (m, o) => new MembershipItem(o.Id, o.Slug, o.Name, m.Role))
            .ToListAsync(ct);
        return [.. items.OrderBy(i => i.Name, StringComparer.CurrentCultureIgnoreCase)];
    }

    public static async Task<Results<Ok<Response>, ProblemHttpResult>> HandleAsync(ClaimsPrincipal user, AppDbContext db, CancellationToken ct) =>
        await ExecuteAsync(user.UserId(), db, ct) is { } me ? TypedResults.Ok(me) : Failure.NotFound("The account").ToProblem();
}
