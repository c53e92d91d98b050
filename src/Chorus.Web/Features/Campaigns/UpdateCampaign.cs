using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Chorus.Features.Audit;
using Chorus.Features.Links;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Campaigns;

/// <summary>Changes a campaign's details and settings; only the fields present in the request change.</summary>
public static class UpdateCampaign
{
    public sealed record Request(
        [property: MaxLength(Campaign.MaxTitleLength)] string? Title,
        [property: MaxLength(Campaign.MaxDescriptionLength)] string? Description,
        TextingHoursSettings? TextingHours,
        bool? RequireOptOutLanguage,
        [property: MaxLength(Campaign.MaxTalkingPointsLength)] string? TalkingPoints,
        bool? DynamicAssignment = null,
        int? BatchSize = null,
        int? MaxContactsPerTexter = null,
        bool? AllowEditingInitialMessage = null,
        bool? RequireRepliesBeforeMore = null,
        bool? NoMaxContactsPerTexter = null,
        [property: MaxLength(Campaign.MaxTrainingTextLength)] string? TrainingText = null,
        [property: MaxLength(Campaign.MaxRefcodeLength)] string? LinkRefcode = null,
        [property: MaxLength(Campaign.MaxRefcodeLength)] string? LinkRefcode2 = null);

    public static async Task<Outcome<Campaign>> ExecuteAsync(Guid campaignId, Request request, AuditActor actor, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var editable = await Campaign.FindEditableAsync(db, campaignId, ct);
        if (editable.Failure is { } notEditable)
        {
            return notEditable;
        }

        var campaign = editable.Value!;

        var changed = new Dictionary<string, object?>();
        if (request.Title is { } title)
        {
            title = title.Trim();
            if (title.Length is 0 or > Campaign.MaxTitleLength)
            {
                return Failure.Invalid($"Give the campaign a title of 1 to {Campaign.MaxTitleLength} characters.", "title");
            }

            Set(changed, "title", campaign.Title, title, v => campaign.Title = v);
        }

        if (request.Description is { } description)
        {
            if (description.Length > Campaign.MaxDescriptionLength)
            {
                return Failure.Invalid($"Descriptions can be at most {Campaign.MaxDescriptionLength} characters.", "description");
            }

            Set(changed, "description", campaign.Description, description.Trim(), v => campaign.Description = v);
        }

        if (request.TextingHours is { } hours)
        {
            var parsed = hours.Parse();
            if (parsed.Failure is { } invalid)
            {
                return invalid;
            }

            var (start, end, days) = parsed.Value;
            var before = TextingHoursSettings.From(campaign);
            campaign.TextingStart = start;
            campaign.TextingEnd = end;
            campaign.TextingDays = days;
            var after = TextingHoursSettings.From(campaign);
            if (before.Start != after.Start || before.End != after.End || !before.Days.SequenceEqual(after.Days))
            {
                changed["textingHours"] = new { from = before, to = after };
            }
        }

        if (request.RequireOptOutLanguage is { } require)
        {
            Set(changed, "requireOptOutLanguage", campaign.RequireOptOutLanguage, require, v => campaign.RequireOptOutLanguage = v);
        }

        if (request.TalkingPoints is { } talkingPoints)
        {
            if (talkingPoints.Length > Campaign.MaxTalkingPointsLength)
            {
                return Failure.Invalid($"Talking points can be at most {Campaign.MaxTalkingPointsLength} characters.", "talkingPoints");
            }

            Set(changed, "talkingPoints", campaign.TalkingPoints, talkingPoints, v => campaign.TalkingPoints = v, logValues: false);
        }

        if (request.TrainingText is { } training)
        {
            training = training.Trim();
            if (training.Length > Campaign.MaxTrainingTextLength)
            {
                return Failure.Invalid($"Training text can be at most {Campaign.MaxTrainingTextLength:N0} characters.", "trainingText");
            }

            Set(changed, "trainingText", campaign.TrainingText, training, v => campaign.TrainingText = v, logValues: false);
        }

        if (request.BatchSize is { } batch)
        {
            if (batch is < 1 or > Campaign.MaxBatchSize)
            {
                return Failure.Invalid($"A batch is 1 to {Campaign.MaxBatchSize:N0} contacts.", "batchSize");
            }

            Set(changed, "batchSize", campaign.BatchSize, batch, v => campaign.BatchSize = v);
        }

        if (request.MaxContactsPerTexter is { } max)
        {
            if (max < 1)
            {
                return Failure.Invalid("The most contacts per texter is at least 1 (send noMaxContactsPerTexter: true for no limit).", "maxContactsPerTexter");
            }

            Set(changed, "maxContactsPerTexter", campaign.MaxContactsPerTexter, max, v => campaign.MaxContactsPerTexter = v);
        }
        else if (request.NoMaxContactsPerTexter is true)
        {
            Set(changed, "maxContactsPerTexter", campaign.MaxContactsPerTexter, null, v => campaign.MaxContactsPerTexter = v);
        }

        if (request.DynamicAssignment is { } dynamic)
        {
            Set(changed, "dynamicAssignment", campaign.DynamicAssignment, dynamic, v => campaign.DynamicAssignment = v);
        }

        if (request.AllowEditingInitialMessage is { } allowEditing)
        {
            Set(changed, "allowEditingInitialMessage", campaign.AllowEditingInitialMessage, allowEditing, v => campaign.AllowEditingInitialMessage = v);
        }

        if (request.RequireRepliesBeforeMore is { } requireReplies)
        {
            Set(changed, "requireRepliesBeforeMore", campaign.RequireRepliesBeforeMore, requireReplies, v => campaign.RequireRepliesBeforeMore = v);
        }

        // ActBlue refcodes for tracked links (Features/Links): "" clears one.
        foreach (var (field, value, current, apply) in new (string, string?, string?, Action<string?>)[]
        {
            ("linkRefcode", request.LinkRefcode, campaign.LinkRefcode, v => campaign.LinkRefcode = v),
            ("linkRefcode2", request.LinkRefcode2, campaign.LinkRefcode2, v => campaign.LinkRefcode2 = v),
        })
        {
            if (value is null)
            {
                continue;
            }

            var refcode = value.Trim();
            if (refcode.Length > Campaign.MaxRefcodeLength || (refcode.Length > 0 && !ActBlueRefcodes.IsValid(refcode)))
            {
                return Failure.Invalid($"A refcode is 1 to {Campaign.MaxRefcodeLength} {ActBlueRefcodes.Rule}, as ActBlue requires; send \"\" to clear it.", field);
            }

            Set(changed, field, current, refcode.Length == 0 ? null : refcode, apply);
        }

        if (changed.Count > 0)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            campaign.UpdatedUtc = now;
            campaign.Version = Guid.NewGuid();
            AuditEvent.Record(db, campaign.OrganizationId, actor, "campaign.updated", $"campaign:{campaign.Id}", changed, now);
            try
            {
                await db.SaveChangesAsync(ct);
            }
            catch (DbUpdateConcurrencyException)
            {
                return Failure.Conflict("Someone else changed this campaign meanwhile. Reload and try again.");
            }
        }

        return campaign;
    }

    private static void Set<T>(Dictionary<string, object?> changed, string field, T current, T value, Action<T> apply, bool logValues = true)
    {
        if (EqualityComparer<T>.Default.Equals(current, value))
        {
            return;
        }

        changed[field] = logValues ? new { from = current, to = value } : "changed";
        apply(value);
    }

    public static async Task<Results<Ok<CampaignView>, ProblemHttpResult>> HandleAsync(
        Guid campaignId, Request request, ClaimsPrincipal user, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await ExecuteAsync(campaignId, request, user.AsAuditActor(), db, clock, ct);
        return outcome.Failure switch
        {
            null => TypedResults.Ok(CampaignView.From(outcome.Value!)),
            var f => f.ToProblem(),
        };
    }
}
