using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Chorus.Features.Audit;
using Chorus.Features.Contacts.Phones;
using Chorus.Features.Contacts.TimeZones;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Organizations;

/// <summary>
/// Changes organization settings; only fields present in the request change, each change is audited. The slug never
/// changes, so links keep working.
/// </summary>
public static class UpdateOrganization
{
    public const decimal MaxPricePerSegment = 1m;

    public sealed record Request(
        [property: MaxLength(Organization.MaxNameLength)] string? Name,
        [property: MaxLength(Organization.MaxOptOutLanguageLength)] string? OptOutLanguage = null,
        [property: Range(0, 1)] decimal? PricePerSegment = null,
        [property: MaxLength(64)] string? DefaultTimeZone = null,
        [property: MaxLength(2)] string? DefaultRegion = null);

    public static async Task<Failure?> ExecuteAsync(Request request, AuditActor actor, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var organization = await db.Organizations.FirstOrDefaultAsync(o => o.Id == current.Id, ct);
        if (organization is null)
        {
            return Failure.NotFound("The organization");
        }

        var problems = new List<Problem>();
        var changes = new List<(string Field, object From, object To, Action Apply)>();
        if (request.Name is { } name)
        {
            name = name.Trim();
            if (name.Length is 0 or > Organization.MaxNameLength)
            {
                problems.Add(new Problem($"Give the organization a name of 1 to {Organization.MaxNameLength} characters.", "name"));
            }
            else if (name != organization.Name)
            {
                changes.Add(("name", organization.Name, name, () => organization.Name = name));
            }
        }

        if (request.OptOutLanguage is { } optOut)
        {
            optOut = optOut.Trim();
            if (optOut.Length > Organization.MaxOptOutLanguageLength)
            {
                problems.Add(new Problem($"Opt-out language can be at most {Organization.MaxOptOutLanguageLength} characters.", "optOutLanguage"));
            }
            else if (optOut != organization.OptOutLanguage)
            {
                changes.Add(("optOutLanguage", organization.OptOutLanguage, optOut, () => organization.OptOutLanguage = optOut));
            }
        }

        if (request.PricePerSegment is { } price)
        {
            if (price is < 0 or > MaxPricePerSegment)
            {
                problems.Add(new Problem($"The price per segment must be between 0 and {MaxPricePerSegment} dollars.", "pricePerSegment"));
            }
            else if (price != organization.PricePerSegment)
            {
                changes.Add(("pricePerSegment", organization.PricePerSegment, price, () => organization.PricePerSegment = price));
            }
        }

        if (request.DefaultTimeZone is { } zone)
        {
            zone = zone.Trim();
            if (!IanaTimeZones.TryFind(zone, out _))
            {
                problems.Add(new Problem($"'{zone}' is not an IANA time zone such as America/Chicago.", "defaultTimeZone"));
            }
            else if (zone != organization.DefaultTimeZone)
            {
                changes.Add(("defaultTimeZone", organization.DefaultTimeZone, zone, () => organization.DefaultTimeZone = zone));
            }
        }

        if (request.DefaultRegion is { } region)
        {
            region = region.Trim().ToUpperInvariant();
            // Chorus texts the US and its territories only (PhoneNumberNormalizerOptions): a local number read as
            // another country's would be refused on upload, every one of them.
            if (!PhoneNumberNormalizerOptions.UnitedStatesAndTerritories.Contains(region))
            {
                problems.Add(new Problem(
                    $"'{region}' can't be the country of local numbers: Chorus texts numbers of the US (US) and its territories (PR, GU, VI, AS, MP).", "defaultRegion"));
            }
            else if (region != organization.DefaultRegion)
            {
                changes.Add(("defaultRegion", organization.DefaultRegion, region, () => organization.DefaultRegion = region));
            }
        }

        if (problems.Count > 0)
        {
            return Failure.Unprocessable("The settings have problems; nothing was changed.", problems);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        foreach (var (field, from, to, apply) in changes)
        {
            AuditEvent.Record(db, organization.Id, actor, "organization.settings_changed", $"organization:{organization.Id}", new { field, from, to }, now);
            apply();
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
