using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Organizations;

public static class GetOrganization
{
    public sealed record Response(Guid Id, string Slug, string Name, OrgRole Role, int Members, DateTime CreatedUtc, string OptOutLanguage, decimal PricePerSegment, string DefaultTimeZone,
        string DefaultRegion);

    public static async Task<Response?> ExecuteAsync(CurrentOrganization current, AppDbContext db, CancellationToken ct)
    {
        var organization = await db.Organizations.AsNoTracking().Where(o => o.Id == current.Id)
            .Select(o => new { o.Id, o.Slug, o.Name, o.CreatedUtc, o.OptOutLanguage, o.PricePerSegment, o.DefaultTimeZone, o.DefaultRegion })
            .FirstOrDefaultAsync(ct);
        if (organization is null || current.Role is not { } role)
        {
            return null;
        }

        var members = await db.Memberships.CountAsync(ct);
        return new Response(organization.Id, organization.Slug, organization.Name, role, members, organization.CreatedUtc,
            organization.OptOutLanguage, organization.PricePerSegment, organization.DefaultTimeZone, organization.DefaultRegion);
    }

    public static async Task<Results<Ok<Response>, ProblemHttpResult>> HandleAsync(CurrentOrganization current, AppDbContext db, CancellationToken ct) =>
        await ExecuteAsync(current, db, ct) is { } response ? TypedResults.Ok(response) : Failure.NotFound("The organization").ToProblem();
}
