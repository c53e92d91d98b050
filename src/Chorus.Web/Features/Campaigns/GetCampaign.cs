using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Campaigns;

public static class GetCampaign
{
    public static async Task<CampaignView?> ExecuteAsync(Guid campaignId, AppDbContext db, CancellationToken ct) =>
        await db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == campaignId, ct) is { } campaign ? CampaignView.From(campaign) : null;

    public static async Task<Results<Ok<CampaignView>, ProblemHttpResult>> HandleAsync(Guid campaignId, AppDbContext db, CancellationToken ct) =>
        await ExecuteAsync(campaignId, db, ct) is { } view ? TypedResults.Ok(view) : Failure.NotFound("The campaign").ToProblem();
}
