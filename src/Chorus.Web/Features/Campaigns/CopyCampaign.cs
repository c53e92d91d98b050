using System.Security.Claims;
using Chorus.Features.Audit;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Campaigns;

/// <summary>Starts a new draft from an existing campaign: script, canned responses and settings, never contacts.</summary>
public static class CopyCampaign
{
    public static async Task<Outcome<Campaign>> ExecuteAsync(Guid campaignId, AuditActor actor, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var source = await db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == campaignId, ct);
        if (source is null)
        {
            return Failure.NotFound("The campaign");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var title = $"Copy of {source.Title}";
        var copy = new Campaign
        {
            OrganizationId = source.OrganizationId,
            Title = title.Length > Campaign.MaxTitleLength ? title[..Campaign.MaxTitleLength] : title,
            Description = source.Description,
            InitialMessage = source.InitialMessage,
            // Survey answers are recorded against question ids, so the copy's questions get ids of their own.
            QuestionJson = ScriptQuestion.FromJson(source.QuestionJson)?.WithNewIds().ToJson(),
            TextingStart = source.TextingStart,
            TextingEnd = source.TextingEnd,
            TextingDays = source.TextingDays,
            RequireOptOutLanguage = source.RequireOptOutLanguage,
            TalkingPoints = source.TalkingPoints,
            TrainingText = source.TrainingText,
            DynamicAssignment = source.DynamicAssignment,
            BatchSize = source.BatchSize,
            MaxContactsPerTexter = source.MaxContactsPerTexter,
            AllowEditingInitialMessage = source.AllowEditingInitialMessage,
            RequireRepliesBeforeMore = source.RequireRepliesBeforeMore,
            LinkRefcode = source.LinkRefcode,
            LinkRefcode2 = source.LinkRefcode2,
            CreatedUtc = now,
            UpdatedUtc = now,
        };
        db.Campaigns.Add(copy);
        var responses = await db.CannedResponses.AsNoTracking().Where(r => r.CampaignId == source.Id).ToListAsync(ct);
        db.CannedResponses.AddRange(responses.Select(r => new CannedResponse
        {
            OrganizationId = r.OrganizationId,
            CampaignId = copy.Id,
            Title = r.Title,
            Text = r.Text,
            Tags = [.. r.Tags],
            CreatedUtc = now,
            UpdatedUtc = now,
        }));
        AuditEvent.Record(db, copy.OrganizationId, actor, "campaign.copied", $"campaign:{copy.Id}", new { from = source.Id, copy.Title }, now);
        await db.SaveChangesAsync(ct);
        return copy;
    }

    public static async Task<Results<Created<CampaignView>, ProblemHttpResult>> HandleAsync(
        Guid campaignId, ClaimsPrincipal user, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await ExecuteAsync(campaignId, user.AsAuditActor(), db, clock, ct);
        return outcome.Failure is { } f
            ? f.ToProblem()
            : TypedResults.Created($"/api/v1/orgs/{current.Slug}/campaigns/{outcome.Value!.Id}", CampaignView.From(outcome.Value));
    }
}
