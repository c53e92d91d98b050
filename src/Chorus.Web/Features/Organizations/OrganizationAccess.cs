using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Organizations;

/// <summary>The caller's standing in one organization.</summary>
public sealed record OrganizationAccess(Guid OrganizationId, string Slug, string Name, OrgRole Role)
{
    /// <summary>
    /// Looks up the organization by slug and the user's membership in it. Null when the organization does not
    /// exist or the user is not a member: callers answer both the same way (404), so that probing slugs reveals nothing.
    /// </summary>
    public static Task<OrganizationAccess?> FindAsync(AppDbContext db, string slug, Guid userId, CancellationToken ct) =>
        Find.For(db)(db, slug, userId, ct);

    // Compiled: every request to an organization's API runs it.
    private static readonly CompiledQuery<Func<AppDbContext, string, Guid, CancellationToken, Task<OrganizationAccess?>>> Find = new(() => EF.CompileAsyncQuery(
        (AppDbContext db, string slug, Guid userId, CancellationToken ct) => db.Memberships.IgnoreQueryFilters()
            .Where(m => m.UserId == userId)
            .Join(db.Organizations.Where(o => o.Slug == slug), m => m.OrganizationId, o => o.Id,
                (m, o) => new OrganizationAccess(o.Id, o.Slug, o.Name, m.Role))
            .FirstOrDefault()));
}
