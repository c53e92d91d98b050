using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Chorus.Features.Audit;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Organizations;

/// <summary>Changes organization settings (for now its name; the slug never changes, so links keep working).</summary>
public static class UpdateOrganization
{
    public sealed record Request([property: MaxLength(Organization.MaxNameLength)] string? Name);

    public static async Task<Failure?> ExecuteAsync(Request request, AuditActor actor, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var organization = await db.Organizations.FirstOrDefaultAsync(o => o.Id == current.Id, ct);
        if (organization is null)
        {
            return Failure.NotFound("The organization");
        }

        if (request.Name is { } name)
        {
            name = name.Trim();
            if (name.Length is 0 or > Organization.MaxNameLength)
            {
                return Failure.Invalid($"Give the organization a name of 1 to {Organization.MaxNameLength} characters.", "name");
            }

            if (name != organization.Name)
            {
                AuditEvent.Record(db, organization.Id, actor, "organization.settings_changed", $"organization:{organization.Id}",
                    new { field = "name", from = organization.Name, to = name }, clock.GetUtcNow().UtcDateTime);
                organization.Name = name;
            }
        }

        await db.SaveChangesAsync(ct);
        return null;
    }

    public static async Task<Results<Ok<GetOrganization.Response>, ProblemHttpResult>> HandleAsync(
        Request request, ClaimsPrincipal user, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (await ExecuteAsync(request, user.AsAuditActor(), current, db, clock, ct) is { } failure)
        {
            return failure.ToProblem();
        }

        return TypedResults.Ok((await GetOrganization.ExecuteAsync(current, db, ct))!);
    }
}
