using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Chorus.Features.Audit;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Hosting;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Chorus.Features.Organizations;

public static class CreateJoinLink
{
    public const int MaxUsesLimit = 100_000;
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(365);

    public sealed record Request(OrgRole? Role, DateTime? ExpiresUtc, [property: Range(1, MaxUsesLimit)] int? MaxUses, Guid? CampaignId = null);

    public sealed record Response(Guid Id, string Code, string Url, OrgRole Role, DateTime? ExpiresUtc, int? MaxUses, int Uses, DateTime CreatedUtc, DateTime? RevokedUtc, Guid? CampaignId);

    public static async Task<Outcome<JoinLink>> ExecuteAsync(Request request, AuditActor actor, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var role = request.Role ?? OrgRole.Texter;
        var now = clock.GetUtcNow().UtcDateTime;
        if (current.Id is not { } organizationId || current.Role is not { } actorRole)
        {
            return Failure.NotFound("The organization");
        }

        if (!Enum.IsDefined(role) || role == OrgRole.Owner)
        {
            return Failure.Invalid("A join link can grant Texter, Supervisor or Admin. Make owners from the members page.", "role");
        }

        if (role > actorRole)
        {
            return Failure.Forbidden("You can't create a link for a role higher than your own.");
        }

        if (request.ExpiresUtc is { } expires && (expires <= now || expires - now > MaxLifetime))
        {
            return Failure.Invalid("The expiry must be in the future and within a year.", "expiresUtc");
        }

        if (request.MaxUses is { } maxUses && maxUses is < 1 or > MaxUsesLimit)
        {
            return Failure.Invalid($"The use limit must be between 1 and {MaxUsesLimit}.", "maxUses");
        }

        if (request.CampaignId is { } campaignId
            && !await db.Campaigns.AnyAsync(c => c.Id == campaignId && c.Status != Campaigns.CampaignStatus.Archived, ct))
        {
            return Failure.Invalid("The campaign is not one of this organization's current campaigns.", "campaignId");
        }

        var link = new JoinLink
        {
            CampaignId = request.CampaignId,
            OrganizationId = organizationId,
            Code = JoinLink.NewCode(),
            Role = role,
            ExpiresUtc = request.ExpiresUtc is { } e ? DateTime.SpecifyKind(e, DateTimeKind.Utc) : null,
            MaxUses = request.MaxUses,
            CreatedByUserId = actor.UserId ?? Guid.Empty,
            CreatedUtc = now,
        };
        db.JoinLinks.Add(link);
        AuditEvent.Record(db, organizationId, actor, "join_link.created", $"join_link:{link.Id}",
            new { role = role.ToString(), link.ExpiresUtc, link.MaxUses, link.CampaignId }, now);
        await db.SaveChangesAsync(ct);
        return link;
    }

    public static Response ToResponse(JoinLink link, string baseUrl) =>
        new(link.Id, link.Code, $"{baseUrl}/join/{link.Code}", link.Role, link.ExpiresUtc, link.MaxUses, link.Uses, link.CreatedUtc, link.RevokedUtc, link.CampaignId);

    public static async Task<Results<Created<Response>, ProblemHttpResult>> HandleAsync(
        Request request, ClaimsPrincipal user, CurrentOrganization current, AppDbContext db, TimeProvider clock,
        IOptions<ChorusOptions> options, HttpRequest http, CancellationToken ct)
    {
        var outcome = await ExecuteAsync(request, user.AsAuditActor(), current, db, clock, ct);
        return outcome.Failure switch
        {
            null => TypedResults.Created($"/api/v1/orgs/{current.Slug}/join-links/{outcome.Value!.Id}", ToResponse(outcome.Value, options.Value.BaseUrlFor(http))),
            var f => f.ToProblem(),
        };
    }
}
