using System.Security.Claims;
using Chorus.Features.Audit;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Organizations;

/// <summary>A signed-in person joins an organization through a join link.</summary>
public static class AcceptJoinLink
{
    public sealed record LinkInfo(string OrganizationName, string OrganizationSlug, OrgRole Role, string? Unusable, Guid? CampaignId = null, string? CampaignTitle = null);

    public sealed record Response(string Slug, string Name, OrgRole Role, bool AlreadyMember, Guid? CampaignId = null)
    {
        /// <summary>Where the person goes next: the campaign's texting for a campaign link, else the organization.</summary>
        public string LandingPath => CampaignId is { } c ? $"/orgs/{Slug}/texting?campaign={c}" : $"/orgs/{Slug}";
    }

    /// <summary>What a link offers, for the page a person lands on before they sign up or log in.</summary>
    public static Task<LinkInfo?> DescribeAsync(string code, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        return db.JoinLinks.IgnoreQueryFilters().AsNoTracking()
            .Where(l => l.Code == code)
            .Join(db.Organizations, l => l.OrganizationId, o => o.Id, (l, o) => new { Link = l, o.Name, o.Slug })
            .Select(x => new LinkInfo(x.Name, x.Slug, x.Link.Role,
                x.Link.RevokedUtc != null ? "revoked"
                : x.Link.ExpiresUtc != null && x.Link.ExpiresUtc <= now ? "expired"
                : x.Link.MaxUses != null && x.Link.Uses >= x.Link.MaxUses ? "used-up"
                : null,
                x.Link.CampaignId,
                db.Campaigns.IgnoreQueryFilters().Where(c => c.Id == x.Link.CampaignId).Select(c => c.Title).FirstOrDefault()))
            .FirstOrDefaultAsync(ct);
    }

    public static async Task<Outcome<Response>> ExecuteAsync(string code, Guid userId, string actorName, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var now = clock.GetUtcNow().UtcDateTime;
        var link = code.Length is > 0 and <= 40
            ? await db.JoinLinks.IgnoreQueryFilters().AsNoTracking().FirstOrDefaultAsync(l => l.Code == code, ct)
            : null;
        if (link is null)
        {
            return Failure.NotFound("This join link");
        }

        var organization = await db.Organizations.AsNoTracking().FirstAsync(o => o.Id == link.OrganizationId, ct);
        var existing = await db.Memberships.IgnoreQueryFilters().AsNoTracking()
            .FirstOrDefaultAsync(m => m.OrganizationId == link.OrganizationId && m.UserId == userId, ct);
        if (existing is not null)
        {
            // Never downgrade (or upgrade) someone who is already a member.
            return new Response(organization.Slug, organization.Name, existing.Role, AlreadyMember: true, link.CampaignId);
        }

        if (link.Unusable(now) is { } why)
        {
            return Failure.Conflict(why);
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);

        // Take one use atomically, so that concurrent joins can never exceed the limit.
        var taken = await db.JoinLinks.IgnoreQueryFilters()
            .Where(l => l.Id == link.Id && l.RevokedUtc == null && (l.ExpiresUtc == null || l.ExpiresUtc > now) && (l.MaxUses == null || l.Uses < l.MaxUses))
            .ExecuteUpdateAsync(s => s.SetProperty(l => l.Uses, l => l.Uses + 1), ct);
        if (taken == 0)
        {
            return Failure.Conflict("This join link has been used as many times as allowed. Ask your organizer for a new one.");
        }

        db.Memberships.Add(new Membership { OrganizationId = link.OrganizationId, UserId = userId, Role = link.Role, CreatedUtc = now });
        AuditEvent.Record(db, link.OrganizationId, new AuditActor(userId, actorName), "member.joined", $"user:{userId}",
            new { role = link.Role.ToString(), joinLink = link.Id, campaignId = link.CampaignId }, now);
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
        return new Response(organization.Slug, organization.Name, link.Role, AlreadyMember: false, link.CampaignId);
    }

    /// <summary>What the join page shows before the person accepts: the organization, the role, and whether the link still works.</summary>
    public static async Task<Results<Ok<LinkInfo>, ProblemHttpResult>> HandleDescribeAsync(string code, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
        code.Length is > 0 and <= 40 && await DescribeAsync(code, db, clock, ct) is { } link ? TypedResults.Ok(link) : Failure.NotFound("The join link").ToProblem();

    public static async Task<Results<Ok<Response>, ProblemHttpResult>> HandleAsync(string code, ClaimsPrincipal user, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await ExecuteAsync(code, user.UserId(), user.Identity?.Name ?? "", db, clock, ct);
        return outcome.Failure is { } f ? f.ToProblem() : TypedResults.Ok(outcome.Value!);
    }
}
