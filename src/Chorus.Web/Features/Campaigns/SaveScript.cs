using System.Security.Claims;
using Chorus.Features.Audit;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Campaigns;

/// <summary>
/// Replaces a campaign's script: the initial message and the survey tree. Every problem is reported at once (422)
/// and nothing is saved unless the whole script is valid. Question ids the campaign already has are kept, so answers
/// recorded against them stay attached; any other id in the request is replaced by a new one.
/// </summary>
public static class SaveScript
{
    public sealed record Request(string? InitialMessage, QuestionRequest? Question);

    public sealed record QuestionRequest(Guid? Id, string? Text, IReadOnlyList<AnswerRequest>? Answers);

    public sealed record AnswerRequest(string? Value, string? Message, QuestionRequest? Question);

    public sealed record View(string InitialMessage, ScriptQuestion? Question, IReadOnlyList<string> Warnings);

    public static async Task<Outcome<View>> ExecuteAsync(Guid campaignId, Request request, AuditActor actor, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var editable = await Campaign.FindEditableAsync(db, campaignId, ct);
        if (editable.Failure is { } notEditable)
        {
            return notEditable;
        }

        var campaign = editable.Value!;

        var existingIds = ScriptQuestion.FromJson(campaign.QuestionJson)?.Flatten().Select(q => q.Id).ToHashSet() ?? [];
        var problems = new List<Problem>();
        var initial = request.InitialMessage ?? "";
        if (string.IsNullOrWhiteSpace(initial))
        {
            problems.Add(new Problem("The script needs an initial message.", "initialMessage"));
        }
        else if (initial.Length > Campaign.MaxMessageLength)
        {
            problems.Add(new Problem($"The initial message can be at most {Campaign.MaxMessageLength} characters.", "initialMessage"));
        }
        else
        {
            problems.AddRange(ScriptRules.TemplateProblems(initial, "initialMessage", campaign.CustomFields));
        }

        var builder = new TreeBuilder(existingIds, campaign.CustomFields, problems);
        var question = request.Question is null ? null : builder.Build(request.Question, "question", depth: 1);
        if (problems.Count > 0)
        {
            return Failure.Unprocessable("The script has problems; nothing was saved.", problems);
        }

        var now = clock.GetUtcNow().UtcDateTime;
        campaign.InitialMessage = initial;
        campaign.QuestionJson = question?.ToJson();
        campaign.UpdatedUtc = now;
        campaign.Version = Guid.NewGuid();
        AuditEvent.Record(db, campaign.OrganizationId, actor, "campaign.script_changed", $"campaign:{campaign.Id}",
            new { initialMessage = initial, questions = question?.Flatten().Count() ?? 0 }, now);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateConcurrencyException)
        {
            return Failure.Conflict("Someone else changed this campaign meanwhile. Reload and try again.");
        }

        return await GetScript.ViewOfAsync(campaign, db, ct);
    }

    public static async Task<Results<Ok<View>, ProblemHttpResult>> HandleAsync(
        Guid campaignId, Request request, ClaimsPrincipal user, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await ExecuteAsync(campaignId, request, user.AsAuditActor(), db, clock, ct);
        return outcome.Failure is { } f ? f.ToProblem() : TypedResults.Ok(outcome.Value!);
    }

    private sealed class TreeBuilder(HashSet<Guid> existingIds, IReadOnlyCollection<string> customFields, List<Problem> problems)
    {
        private readonly HashSet<Guid> _seen = [];
        private int _questions;

        public ScriptQuestion? Build(QuestionRequest request, string path, int depth)
        {
            if (++_questions > ScriptQuestion.MaxQuestions)
            {
                if (_questions == ScriptQuestion.MaxQuestions + 1)
                {
                    problems.Add(new Problem($"A script can have at most {ScriptQuestion.MaxQuestions} questions.", path));
                }

                return null;
            }

            if (depth > ScriptQuestion.MaxDepth)
            {
                problems.Add(new Problem($"Questions can be nested at most {ScriptQuestion.MaxDepth} deep.", path));
                return null;
            }

            if (request.Id is { } requested && !_seen.Add(requested))
            {
                problems.Add(new Problem($"Question id {requested} appears more than once; each step must be unique.", $"{path}.id"));
            }

            var id = request.Id is { } keep && existingIds.Contains(keep) ? keep : Guid.CreateVersion7();
            var text = request.Text?.Trim() ?? "";
            if (text.Length is 0 or > ScriptQuestion.MaxTextLength)
            {
                problems.Add(new Problem($"Each question needs a text of 1 to {ScriptQuestion.MaxTextLength} characters.", $"{path}.text"));
            }

            var answers = new List<ScriptAnswer>();
            var requestAnswers = request.Answers ?? [];
            if (requestAnswers.Count == 0)
            {
                problems.Add(new Problem("A question needs at least one answer.", $"{path}.answers"));
            }
            else if (requestAnswers.Count > ScriptQuestion.MaxAnswers)
            {
                problems.Add(new Problem($"A question can have at most {ScriptQuestion.MaxAnswers} answers.", $"{path}.answers"));
            }

            var values = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
            for (var i = 0; i < requestAnswers.Count; i++)
            {
                var answer = requestAnswers[i];
                var answerPath = $"{path}.answers[{i}]";
                var value = answer.Value?.Trim() ?? "";
                if (value.Length is 0 or > ScriptAnswer.MaxValueLength)
                {
                    problems.Add(new Problem($"Each answer needs a value of 1 to {ScriptAnswer.MaxValueLength} characters.", $"{answerPath}.value"));
                }
                else if (!values.Add(value))
                {
                    problems.Add(new Problem($"The answer '{value}' appears twice in this question.", $"{answerPath}.value"));
                }

                var message = answer.Message ?? "";
                if (message.Length > Campaign.MaxMessageLength)
                {
                    problems.Add(new Problem($"A follow-up message can be at most {Campaign.MaxMessageLength} characters.", $"{answerPath}.message"));
                }
                else
                {
                    problems.AddRange(ScriptRules.TemplateProblems(message, $"{answerPath}.message", customFields));
                }

                var next = answer.Question is null ? null : Build(answer.Question, $"{answerPath}.question", depth + 1);
                answers.Add(new ScriptAnswer(value, message, next));
            }

            return new ScriptQuestion(id, text, answers);
        }
    }
}
