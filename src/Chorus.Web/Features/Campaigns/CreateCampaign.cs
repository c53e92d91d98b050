using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Chorus.Features.Audit;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Chorus.Features.Campaigns;

public static class CreateCampaign
{
    public sealed record Request(
        [property: Required, MaxLength(Campaign.MaxTitleLength)] string Title,
        [property: MaxLength(Campaign.MaxDescriptionLength)] string? Description);

    public static async Task<Outcome<Campaign>> ExecuteAsync(Request request, AuditActor actor, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var title = request.Title?.Trim() ?? "";
        if (title.Length is 0 or > Campaign.MaxTitleLength)
        {
            return Failure.Invalid($"Give the campaign a title of 1 to {Campaign.MaxTitleLength} characters.", "title");
        }

        if (request.Description?.Length > Campaign.MaxDescriptionLength)
        {
            return Failure.Invalid($"Descriptions can be at most {Campaign.MaxDescriptionLength} characters.", "description");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var campaign = new Campaign
        {
            OrganizationId = current.Id!.Value,
            Title = title,
            Description = request.Description?.Trim() ?? "",
            CreatedUtc = now,
            UpdatedUtc = now,
        };
        db.Campaigns.Add(campaign);
        AuditEvent.Record(db, campaign.OrganizationId, actor, "campaign.created", $"campaign:{campaign.Id}", new { campaign.Title }, now);
        await db.SaveChangesAsync(ct);
        return campaign;
    }

    public static async Task<Results<Created<CampaignView>, ProblemHttpResult>> HandleAsync(
        Request request, ClaimsPrincipal user, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await ExecuteAsync(request, user.AsAuditActor(), current, db, clock, ct);
        return outcome.Failure switch
        {
            null => TypedResults.Created($"/api/v1/orgs/{current.Slug}/campaigns/{outcome.Value!.Id}", CampaignView.From(outcome.Value)),
            var f => f.ToProblem(),
        };
    }
}
