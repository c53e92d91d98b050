using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Campaigns;

public static class GetScript
{
    public static async Task<SaveScript.View?> ExecuteAsync(Guid campaignId, AppDbContext db, CancellationToken ct) =>
        await db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == campaignId, ct) is { } campaign
            ? await ViewOfAsync(campaign, db, ct)
            : null;

    /// <summary>The script with the warnings staff should see before launch makes them errors.</summary>
    public static async Task<SaveScript.View> ViewOfAsync(Campaign campaign, AppDbContext db, CancellationToken ct)
    {
        var organizationName = await db.Organizations.Where(o => o.Id == campaign.OrganizationId).Select(o => o.Name).FirstAsync(ct);
        var warnings = new List<string>();
        if (campaign.InitialMessage.Length > 0 && !ScriptRules.IdentifiesOrganization(campaign.InitialMessage, organizationName))
        {
            warnings.Add($"Carriers expect the sender to be named: include \"{organizationName}\" or {{orgName}} in the initial message. Launch will require it.");
        }

        return new SaveScript.View(campaign.InitialMessage, ScriptQuestion.FromJson(campaign.QuestionJson), warnings);
    }

    public static async Task<Results<Ok<SaveScript.View>, ProblemHttpResult>> HandleAsync(Guid campaignId, AppDbContext db, CancellationToken ct) =>
        await ExecuteAsync(campaignId, db, ct) is { } view ? TypedResults.Ok(view) : Failure.NotFound("The campaign").ToProblem();
}
