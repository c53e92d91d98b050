using System.Security.Claims;
using System.Text.Json;
using Chorus.Features.Audit;
using Chorus.Features.Campaigns;
using Chorus.Features.Contacts;
using Chorus.Features.Messaging;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Records;

/// <summary>
/// Everything an organization holds on one phone number, for a compliance request or a complaint: the contacts it
/// became (which upload, when, by whom), every message with the texter and the action that sent it and its status
/// history, opt-out and opt-in events with the message that caused them, and survey answers. Supervisor+. Every query
/// runs under the organization's tenant filter, so another organization's data never appears; an unknown number
/// answers an empty record. Looking a number up is itself audited (<c>record.viewed</c>): this is personal data.
/// </summary>
public static class GetContactRecord
{
    /// <summary>The newest messages shown; a number with more says so in <see cref="Response.MessageCount"/>.</summary>
    public const int MaxMessages = 1000;

    public sealed record Person(Guid Id, string Name);

    /// <summary>Kind is "opt-out" or "opt-in"; Source as on the opt-out list (keyword, texter, provider, manual, import) or "removed" for an admin's removal.</summary>
    public sealed record OptOutEvent(string Kind, DateTime OccurredUtc, string Source, string? Reason, Guid? MessageId, string? By);

    public sealed record ContactEntry(
        Guid ContactId, Guid CampaignId, string CampaignName, string FirstName, string LastName, Guid? ImportId, string? FileName, DateTime ImportedUtc,
        Person? ImportedBy, Person? Texter, ConversationStatus Status, IReadOnlyList<string> Tags, bool Escalated, string? EscalationReason);

    public sealed record RecordMessage(
        Guid Id, MessageDirection Direction, MessageKind Kind, string Body, DateTime? BodyPurgedUtc, DateTime OccurredUtc, Person? Texter, Guid? ActionId,
        Guid? CampaignId, Guid? ContactId, MessageStatus Status, int? ErrorCode, string? ErrorMessage, string? Keyword, int Segments, string? OurNumber,
        IReadOnlyList<MessageRecords.StatusStep> History);

    public sealed record SurveyAnswer(Guid ContactId, Guid CampaignId, string CampaignName, Guid StepId, string? Question, string Answer, DateTime RecordedUtc, Person? Texter);

    /// <summary>A request for one of the contact's tracked links (Features/Links); bots and link previews flagged, not hidden.</summary>
    public sealed record LinkClickEntry(Guid ContactId, Guid CampaignId, string CampaignName, string TargetUrl, DateTime ClickedUtc, bool IsBot, string UserAgent);

    /// <summary>The most link requests a record shows (newest kept).</summary>
    public const int MaxLinkClicks = 200;

    public sealed record Response(
        string Phone, bool OptedOut, IReadOnlyList<OptOutEvent> OptOutEvents, IReadOnlyList<ContactEntry> Contacts, int MessageCount,
        IReadOnlyList<RecordMessage> Messages, IReadOnlyList<SurveyAnswer> SurveyAnswers, IReadOnlyList<LinkClickEntry> LinkClicks);

    public static async Task<Outcome<Response>> ExecuteAsync(string phone, AuditActor actor, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var organizationId = current.Id!.Value;
        var region = await db.Organizations.Where(o => o.Id == organizationId).Select(o => o.DefaultRegion).FirstAsync(ct);
        var parsed = RecordPhone.Parse(phone, region);
        if (parsed.Failure is { } failure)
        {
            return failure;
        }

        var e164 = parsed.Value!;
        var contacts = await db.Contacts.AsNoTracking().Where(c => c.PhoneE164 == e164).OrderBy(c => c.CreatedUtc).ToListAsync(ct);
        var campaignIds = contacts.Select(c => c.CampaignId).Distinct().ToList();
        var campaigns = await db.Campaigns.AsNoTracking().Where(c => campaignIds.Contains(c.Id))
            .Select(c => new { c.Id, c.Title, c.QuestionJson }).ToDictionaryAsync(c => c.Id, ct);
        var importIds = contacts.Where(c => c.ImportId != null).Select(c => c.ImportId!.Value).Distinct().ToList();
        var imports = await db.ContactImports.AsNoTracking().Where(i => importIds.Contains(i.Id))
            .Select(i => new { i.Id, i.FileName, i.CreatedByUserId, i.CreatedUtc }).ToDictionaryAsync(i => i.Id, ct);

        var messageCount = await db.Messages.CountAsync(m => m.Phone == e164, ct);
        var messages = await db.Messages.AsNoTracking().Where(m => m.Phone == e164)
            // At the same instant, what a voter sent comes before what it caused (a STOP and its confirmation are
            // written in one transaction, with one timestamp).
            .OrderByDescending(m => m.CreatedUtc).ThenBy(m => m.Direction).ThenByDescending(m => m.Id).Take(MaxMessages).ToListAsync(ct);
        messages.Reverse();
        var messageIds = messages.Select(m => m.Id).ToList();
        var history = (await db.MessageStatusChanges.AsNoTracking().Where(c => messageIds.Contains(c.MessageId)).OrderBy(c => c.Id).ToListAsync(ct))
            .ToLookup(c => c.MessageId);

        var contactIds = contacts.Select(c => c.Id).ToList();
        var answers = await db.SurveyResponses.AsNoTracking().Where(r => contactIds.Contains(r.ContactId)).OrderBy(r => r.RecordedUtc).ToListAsync(ct);
        var clicks = await db.LinkClicks.AsNoTracking().Where(c => contactIds.Contains(c.ContactId))
            .OrderByDescending(c => c.ClickedUtc).Take(MaxLinkClicks)
            .Select(c => new { c.ContactId, c.CampaignId, Target = db.TrackedLinks.Where(l => l.Id == c.LinkId).Select(l => l.TargetUrl).FirstOrDefault(), c.ClickedUtc, c.IsBot, c.UserAgent })
            .ToListAsync(ct);
        clicks.Reverse();

        var optedOut = await db.OptOuts.AsNoTracking().FirstOrDefaultAsync(o => o.PhoneE164 == e164, ct);
        var subject = $"phone:{e164}";
        var optOutAudit = await db.AuditEvents.AsNoTracking()
            .Where(e => e.Subject == subject && (e.Action == "opt_out.added" || e.Action == "opt_out.removed"))
            .OrderBy(e => e.Sequence).ToListAsync(ct);

        var userIds = contacts.Select(c => c.TexterUserId).Concat(messages.Select(m => m.TexterUserId)).Concat(answers.Select(a => a.TexterUserId))
            .Concat(imports.Values.Select(i => (Guid?)i.CreatedByUserId)).OfType<Guid>().Distinct().ToList();
        var people = await db.Users.AsNoTracking().Where(u => userIds.Contains(u.Id))
            .Select(u => new { u.Id, u.DisplayName, u.Email }).ToDictionaryAsync(u => u.Id, u => new Person(u.Id, string.IsNullOrEmpty(u.DisplayName) ? u.Email ?? "" : u.DisplayName), ct);
        Person? Who(Guid? id) => id is { } known && people.TryGetValue(known, out var person) ? person : null;

        var response = new Response(
            e164,
            optedOut is not null,
            OptOutEvents(optOutAudit, optedOut, messages),
            [.. contacts.Select(c =>
            {
                var import = c.ImportId is { } importId && imports.TryGetValue(importId, out var found) ? found : null;
                return new ContactEntry(c.Id, c.CampaignId, campaigns.TryGetValue(c.CampaignId, out var campaign) ? campaign.Title : "", c.FirstName, c.LastName,
                    c.ImportId, import?.FileName, c.CreatedUtc, Who(import?.CreatedByUserId), Who(c.TexterUserId), c.ConversationStatus, Tags(c.Tags), c.Escalated, c.EscalationReason);
            })],
            messageCount,
            [.. messages.Select(m => new RecordMessage(m.Id, m.Direction, m.Kind, m.Body, m.BodyPurgedUtc, m.CreatedUtc, Who(m.TexterUserId), m.ActionId, m.CampaignId,
                m.ContactId, m.Status, m.ErrorCode, m.ErrorMessage, m.Keyword, m.Segments, m.OurNumber,
                [.. history[m.Id].Select(h => new MessageRecords.StatusStep(h.Status, h.Detail, h.ErrorCode, h.OccurredUtc))]))],
            [.. answers.Select(a =>
            {
                var campaign = campaigns.GetValueOrDefault(a.CampaignId);
                return new SurveyAnswer(a.ContactId, a.CampaignId, campaign?.Title ?? "", a.StepId, QuestionText(campaign?.QuestionJson, a.StepId), a.Answer, a.RecordedUtc, Who(a.TexterUserId));
            })],
            [.. clicks.Select(c => new LinkClickEntry(c.ContactId, c.CampaignId, campaigns.GetValueOrDefault(c.CampaignId)?.Title ?? "", c.Target ?? "", c.ClickedUtc, c.IsBot, c.UserAgent))]);

        AuditEvent.Record(db, organizationId, actor, "record.viewed", subject,
            new { contacts = response.Contacts.Count, messages = messageCount, optedOut = response.OptedOut }, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return response;
    }

    /// <summary>
    /// Opt-outs and opt-ins from the audit log (the opt-out row itself is deleted by an opt-in, the log keeps both),
    /// each with the message that caused it: the inbound keyword or likely-opt-out reply, or the outbound text the
    /// provider refused with 21610, recorded in the same transaction and so at the same instant. An opt-out that
    /// came with no entry of its own (a bulk import, one entry for the whole file) is taken from the list.
    /// </summary>
    private static List<OptOutEvent> OptOutEvents(List<AuditEvent> audit, OptOuts.OptOut? current, List<Message> messages)
    {
        var events = new List<OptOutEvent>();
        foreach (var entry in audit)
        {
            using var data = JsonDocument.Parse(entry.Data);
            var root = data.RootElement;
            var optIn = entry.Action == "opt_out.removed";
            var source = optIn
                ? (root.TryGetProperty("keyword", out _) ? "keyword" : "removed")
                : Text(root, "source") ?? "unknown";
            var reason = optIn ? Text(root, "keyword") : Text(root, "reason");
            events.Add(new OptOutEvent(optIn ? "opt-in" : "opt-out", entry.OccurredUtc, source, reason, SourceMessage(messages, optIn, source, entry.OccurredUtc)?.Id,
                entry.Actor));
        }

        if (current is not null && !events.Any(e => e.Kind == "opt-out" && e.OccurredUtc >= current.CreatedUtc.AddSeconds(-1)))
        {
            events.Add(new OptOutEvent("opt-out", current.CreatedUtc, current.Source, current.Reason, null, null));
        }

        return [.. events.OrderBy(e => e.OccurredUtc)];
    }

    private static Message? SourceMessage(List<Message> messages, bool optIn, string source, DateTime atUtc)
    {
        var before = messages.Where(m => m.CreatedUtc <= atUtc.AddSeconds(1));
        var candidates = (optIn, source) switch
        {
            // Stored in the same transaction as the entry: the same instant (the entry's cut to microseconds).
            (true, "keyword") => before.Where(m => m.Keyword == "OptIn" && m.CreatedUtc >= atUtc.AddSeconds(-1)),
            (false, "keyword") => before.Where(m => m.Keyword == "OptOut" && m.CreatedUtc >= atUtc.AddSeconds(-1)),
            // A texter's or supervisor's decision, possibly days later: the voter's last words before it, a flagged
            // "likely opt-out" first.
            (false, "texter") => before.Where(m => m.Direction == MessageDirection.Inbound).OrderByDescending(m => m.Keyword == "LikelyOptOut"),
            (false, "provider") => before.Where(m => m.ErrorCode == StatusUpdates.UnsubscribedRecipient),
            _ => [],
        };
        return candidates is IOrderedEnumerable<Message> ordered
            ? ordered.ThenByDescending(m => m.CreatedUtc).FirstOrDefault()
            : candidates.OrderByDescending(m => m.CreatedUtc).FirstOrDefault();
    }

    private static string? Text(JsonElement root, string property) =>
        root.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static List<string> Tags(string json) => string.IsNullOrEmpty(json) ? [] : JsonSerializer.Deserialize<List<string>>(json) ?? [];

    private static string? QuestionText(string? questionJson, Guid stepId)
    {
        var pending = new Stack<ScriptQuestion>();
        if (ScriptQuestion.FromJson(questionJson) is { } root)
        {
            pending.Push(root);
        }

        while (pending.TryPop(out var question))
        {
            if (question.Id == stepId)
            {
                return question.Text;
            }

            foreach (var next in question.Answers.Select(a => a.Question).OfType<ScriptQuestion>())
            {
                pending.Push(next);
            }
        }

        return null;
    }

    public static async Task<Results<Ok<Response>, ProblemHttpResult>> HandleAsync(
        string phone, ClaimsPrincipal user, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await ExecuteAsync(phone, user.AsAuditActor(), current, db, clock, ct);
        return outcome.Failure is { } f ? f.ToProblem() : TypedResults.Ok(outcome.Value!);
    }
}
