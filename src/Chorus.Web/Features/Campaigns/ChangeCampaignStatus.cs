using System.Security.Claims;
using Chorus.Features.Audit;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Campaigns;

/// <summary>
/// The campaign lifecycle: Draft → Active (launch) ⇄ Paused → Archived. Launching and resuming run every
/// <see cref="LaunchChecks"/> check and refuse with the full list of problems (422).
/// </summary>
public static class ChangeCampaignStatus
{
    public enum Transition
    {
        Launch,
        Pause,
        Resume,
        Archive,
    }

    public static async Task<Outcome<Campaign>> ExecuteAsync(Guid campaignId, Transition transition, AuditActor actor, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var campaign = await db.Campaigns.FirstOrDefaultAsync(c => c.Id == campaignId, ct);
        if (campaign is null)
        {
            return Failure.NotFound("The campaign");
        }

        var (from, to) = transition switch
        {
            Transition.Launch => (new[] { CampaignStatus.Draft }, CampaignStatus.Active),
            Transition.Pause => ([CampaignStatus.Active], CampaignStatus.Paused),
            Transition.Resume => ([CampaignStatus.Paused], CampaignStatus.Active),
            _ => ([CampaignStatus.Draft, CampaignStatus.Active, CampaignStatus.Paused], CampaignStatus.Archived),
        };
        if (!from.Contains(campaign.Status))
        {
            return Failure.Conflict($"A campaign that is {campaign.Status.ToString().ToLowerInvariant()} cannot be {PastTense(transition)}.");
        }

        if (to == CampaignStatus.Active && await LaunchChecks.ProblemsAsync(campaign, db, ct) is { Count: > 0 } problems)
        {
            return Failure.Unprocessable($"The campaign cannot be {PastTense(transition)} until these {problems.Count} problem(s) are fixed.", problems);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var previous = campaign.Status;
        campaign.Status = to;
        campaign.UpdatedUtc = now;
        campaign.Version = Guid.NewGuid();
        if (transition == Transition.Launch)
        {
            campaign.LaunchedUtc = now;
        }
        else if (transition == Transition.Archive)
        {
            campaign.ArchivedUtc = now;
        }

        AuditEvent.Record(db, campaign.OrganizationId, actor, $"campaign.{PastTense(transition)}", $"campaign:{campaign.Id}",
            new { from = previous.ToString(), to = to.ToString() }, now);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Failure.Conflict("Someone else changed this campaign meanwhile. Reload and try again.");
        }

        return campaign;
    }

    private static string PastTense(Transition transition) => transition switch
    {
        Transition.Launch => "launched",
        Transition.Pause => "paused",
        Transition.Resume => "resumed",
        _ => "archived",
    };

    public static Func<Guid, ClaimsPrincipal, AppDbContext, TimeProvider, CancellationToken, Task<Results<Ok<CampaignView>, ProblemHttpResult>>> Handler(Transition transition) =>
        async (campaignId, user, db, clock, ct) =>
        {
            var outcome = await ExecuteAsync(campaignId, transition, user.AsAuditActor(), db, clock, ct);
            return outcome.Failure is { } f ? f.ToProblem() : TypedResults.Ok(CampaignView.From(outcome.Value!));
        };
}
