using Chorus.Features.Campaigns.Templates;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Campaigns;

/// <summary>Everything that must hold before a campaign may send its first text, checked all at once.</summary>
public static class LaunchChecks
{
    public static async Task<List<Problem>> ProblemsAsync(Campaign campaign, AppDbContext db, CancellationToken ct)
    {
        var organization = await db.Organizations.AsNoTracking()
            .Where(o => o.Id == campaign.OrganizationId)
            .Select(o => new { o.Name, o.OptOutLanguage })
            .FirstAsync(ct);
        var problems = new List<Problem>();

        if (string.IsNullOrWhiteSpace(campaign.InitialMessage))
        {
            problems.Add(new Problem("The script has no initial message.", "initialMessage"));
        }
        else
        {
            var parsed = MessageTemplate.Parse(campaign.InitialMessage, campaign.CustomFields);
            problems.AddRange(parsed.Errors.Select(e => new Problem(e.Message, "initialMessage", e.Line, e.Column)));
            problems.AddRange(ScriptRules.UnsafeLinkProblems(campaign.InitialMessage, "initialMessage"));
            if (!ScriptRules.IdentifiesOrganization(campaign.InitialMessage, organization.Name))
            {
                problems.Add(new Problem($"The initial message must name the sender: include \"{organization.Name}\" or {{orgName}}.", "initialMessage"));
            }

            if (campaign.RequireOptOutLanguage && !ScriptRules.HasOptOutInstruction(campaign.InitialMessage) && string.IsNullOrWhiteSpace(organization.OptOutLanguage))
            {
                problems.Add(new Problem("The campaign requires opt-out language, but the initial message has none and the organization's opt-out language is empty.", "requireOptOutLanguage"));
            }

            if (parsed.Template is { } template)
            {
                foreach (var field in template.Fields.Where(f => f.IsRequired))
                {
                    var missing = await ContactsMissingAsync(db, campaign.Id, field.Name, ct);
                    if (missing > 0)
                    {
                        problems.Add(new Problem(
                            $"{missing:N0} contact(s) have no {{{field.Name}}}: give it a fallback, e.g. {{{field.Name}|friend}}, or wrap that part in {{?{field.Name}}}…{{/{field.Name}}}.",
                            "initialMessage"));
                    }
                }
            }
        }

        foreach (var (message, path) in FollowUps(ScriptQuestion.FromJson(campaign.QuestionJson), "question"))
        {
            problems.AddRange(ScriptRules.TemplateProblems(message, path, campaign.CustomFields));
        }

        problems.AddRange(campaign.ToTextingHours().Validate().Where(p => p.IsError).Select(p => new Problem(p.Message, $"textingHours.{p.Field}")));

        // No row yet means the built-in simulator, which is always ready.
        var messaging = await db.MessagingSettings.AsNoTracking().FirstOrDefaultAsync(ct);
        if (messaging is not null && Messaging.MessagingSetup.NotReadyBecause(messaging) is { } notReady)
        {
            problems.Add(new Problem($"{notReady} Fix it in Settings → Messaging.", "messaging"));
        }

        return problems;
    }

    /// <summary>How many of the campaign's contacts have a blank value for a merge field (the sender fields never do).</summary>
    private static async Task<int> ContactsMissingAsync(AppDbContext db, Guid campaignId, string field, CancellationToken ct)
    {
        var contacts = db.Contacts.Where(c => c.CampaignId == campaignId);
        return field switch
        {
            MergeFields.TexterFirstName or MergeFields.OrgName => 0,
            MergeFields.FirstName => await contacts.CountAsync(c => c.FirstName.Trim() == "", ct),
            MergeFields.LastName => await contacts.CountAsync(c => c.LastName.Trim() == "", ct),
            MergeFields.Zip => await contacts.CountAsync(c => c.Zip.Trim() == "", ct),
            // The importer stores only non-blank custom values, and keys are plain identifiers, so a missing key is a blank.
            _ => await contacts.CountAsync(c => !c.CustomFields.Contains("\"" + field + "\":"), ct),
        };
    }

    private static IEnumerable<(string Message, string Path)> FollowUps(ScriptQuestion? question, string path)
    {
        if (question is null)
        {
            yield break;
        }

        for (var i = 0; i < question.Answers.Count; i++)
        {
            var answer = question.Answers[i];
            yield return (answer.Message, $"{path}.answers[{i}].message");
            foreach (var nested in FollowUps(answer.Question, $"{path}.answers[{i}].question"))
            {
                yield return nested;
            }
        }
    }
}
