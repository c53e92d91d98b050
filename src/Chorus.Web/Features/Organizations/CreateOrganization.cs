using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Chorus.Features.Audit;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Organizations;

/// <summary>Creates an organization with its creator as the first Owner.</summary>
public static class CreateOrganization
{
    public sealed record Request([property: Required, MaxLength(Organization.MaxNameLength)] string Name);

    public sealed record Response(Guid Id, string Slug, string Name);

    public static async Task<Outcome<Response>> ExecuteAsync(string name, Guid ownerUserId, AuditActor actor, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        name = name.Trim();
        if (name.Length is 0 or > Organization.MaxNameLength)
        {
            return Failure.Invalid($"Give the organization a name of 1 to {Organization.MaxNameLength} characters.", "name");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var slug = await UniqueSlugAsync(Organization.SlugFrom(name), db, ct);
        var organization = new Organization { Name = name, Slug = slug, CreatedUtc = now };
        db.Organizations.Add(organization);
        db.Memberships.Add(new Membership { OrganizationId = organization.Id, UserId = ownerUserId, Role = OrgRole.Owner, CreatedUtc = now });
        AuditEvent.Record(db, organization.Id, actor, "organization.created", $"organization:{organization.Id}", new { organization.Name, organization.Slug, owner = ownerUserId }, now);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            // Two organizations with the same name created at the same moment: the unique slug index refused ours.
            db.ChangeTracker.Clear();
            return Failure.Conflict("Another organization was just created with the same name. Try again.");
        }

        return new Response(organization.Id, organization.Slug, organization.Name);
    }

    private static async Task<string> UniqueSlugAsync(string baseSlug, AppDbContext db, CancellationToken ct)
    {
        var taken = await db.Organizations.Where(o => o.Slug == baseSlug || o.Slug.StartsWith(baseSlug + "-")).Select(o => o.Slug).ToListAsync(ct);
        if (!taken.Contains(baseSlug))
        {
            return baseSlug;
        }

        for (var n = 2; ; n++)
        {
            var candidate = $"{baseSlug}-{n}";
            if (!taken.Contains(candidate))
            {
                return candidate;
            }
        }
    }

    public static async Task<Results<Created<Response>, ProblemHttpResult>> HandleAsync(
        Request request, ClaimsPrincipal user, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await ExecuteAsync(request.Name, user.UserId(), user.AsAuditActor(), db, clock, ct);
        return outcome.Failure switch
        {
            null => TypedResults.Created($"/api/v1/orgs/{outcome.Value!.Slug}", outcome.Value),
            var f => f.ToProblem(),
        };
    }
}
