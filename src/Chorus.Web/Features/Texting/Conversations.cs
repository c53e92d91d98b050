using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using System.Text.Json;
using Chorus.Features.Audit;
using Chorus.Features.Campaigns;
using Chorus.Features.Contacts;
using Chorus.Features.Messaging;
using Chorus.Features.Messaging.Dispatch;
using Chorus.Features.OptOuts;
using Chorus.Features.Organizations;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Texting;

/// <summary>
/// A contact's conversation once the first text went out: the inbox (needs-response first), the thread, replies,
/// opt-out, escalation, closing, survey answers and tags. Texters see and act on their own conversations only;
/// anyone else's answers 404. Supervisors and up see and act on all.
/// </summary>
public static class Conversations
{
    public const int MaxPageSize = 200;
    public const int MaxTags = 20;
    public const int MaxTagLength = 40;

    public sealed record Item(
        Guid ContactId, Guid CampaignId, string FirstName, string LastName, string Phone, ConversationStatus Status, Guid? TexterId,
        DateTime? LastMessageAt, DateTime? LastInboundAt, bool Escalated, IReadOnlyList<string> Tags, string? EscalationReason = null)
    {
        /// <summary>The start of the conversation's last message, for inbox lists; null on a single conversation.</summary>
        public Preview? Last { get; init; }

        /// <summary>The provider reported the number as unable to receive texts (until the voter texts from it again).</summary>
        public bool BadNumber { get; init; }
    }

    /// <summary>The start of a conversation's last message and who sent it.</summary>
    public sealed record Preview(string Text, bool FromContact);

    public const int PreviewLength = 120;

    public sealed record Page(List<Item> Items, int PageNumber, int PageSize, int Total);

    public sealed record Answer(Guid StepId, string Value, DateTime RecordedAt);

    public sealed record Thread(Item Contact, IReadOnlyList<MessageRecords.Item> Messages, IReadOnlyList<Answer> Answers, string? EscalationReason, bool OptedOut)
    {
        /// <summary>The conversation's tags, as on <see cref="Item.Tags"/>.</summary>
        public IReadOnlyList<string> Tags => Contact.Tags;

        /// <summary>
        /// The word the list filters by that finds this conversation (<c>?status=</c>): needs-response, open, closed or
        /// opted-out. <see cref="Item.Status"/> keeps the finer state (an open conversation is Messaged or Responded).
        /// </summary>
        public string Status => StatusName(Contact.Status);
    }

    public sealed record ReplyRequest([property: Required, MaxLength(Campaign.MaxMessageLength)] string Text);

    public sealed record ReasonRequest([property: MaxLength(500)] string? Reason);

    public sealed record AnswerRequest([property: Required] Guid StepId, [property: Required, MaxLength(200)] string Answer);

    public sealed record AnswerResponse(Answer Answer, string? FollowUp);

    public sealed record MessageQueued(Guid MessageId);

    public static ConversationStatus[]? StatusFilter(string? status) => status?.ToLowerInvariant() switch
    {
        null or "" => null,
        "needs-response" => [ConversationStatus.NeedsResponse],
        "open" => [ConversationStatus.Messaged, ConversationStatus.Responded, ConversationStatus.NeedsResponse],
        "closed" => [ConversationStatus.Closed],
        "opted-out" => [ConversationStatus.OptedOut],
        _ => [],
    };

    /// <summary>The list filter word (<see cref="StatusFilter"/>) that finds a conversation in this status; needs-response by its own word, though "open" finds it too.</summary>
    public static string StatusName(ConversationStatus status) => status switch
    {
        ConversationStatus.NeedsResponse => "needs-response",
        ConversationStatus.Messaged or ConversationStatus.Responded => "open",
        ConversationStatus.Closed => "closed",
        ConversationStatus.OptedOut => "opted-out",
        _ => "not-contacted", // not a conversation: the conversations API never returns one
    };

    public static async Task<Outcome<Page>> ListAsync(
        ConversationFilter filter, int? page, int? pageSize, Guid userId, CurrentOrganization current, AppDbContext db, CancellationToken ct)
    {
        var filtered = filter.Apply(Visible(db, userId, current).Where(c => c.ConversationStatus != ConversationStatus.NotContacted), db);
        if (filtered.Failure is { } failure)
        {
            return failure;
        }

        var query = filtered.Value!;
        var number = Math.Max(1, page ?? 1);
        var size = Math.Clamp(pageSize ?? 50, 1, MaxPageSize);
        var total = await query.CountAsync(ct);
        // Needs-response first (oldest waiting first), then the most recent.
        var contacts = await query.AsNoTracking()
            .OrderBy(c => c.ConversationStatus == ConversationStatus.NeedsResponse ? 0 : 1)
            .ThenBy(c => c.ConversationStatus == ConversationStatus.NeedsResponse ? c.LastInboundUtc : null)
            .ThenByDescending(c => c.LastMessageUtc)
            .ThenBy(c => c.Id)
            .Skip((number - 1) * size).Take(size).ToListAsync(ct);
        var ids = contacts.Select(c => (Guid?)c.Id).ToList();
        var previews = await db.Messages.AsNoTracking().Where(m => ids.Contains(m.ContactId))
            .GroupBy(m => m.ContactId)
            .Select(g => g.OrderByDescending(m => m.CreatedUtc).ThenByDescending(m => m.Id)
                .Select(m => new { m.ContactId, Text = m.Body.Substring(0, PreviewLength), m.Direction }).First())
            .ToDictionaryAsync(p => p.ContactId!.Value, p => new Preview(p.Text, p.Direction == MessageDirection.Inbound), ct);
        return new Page([.. contacts.Select(c => ToItem(c) with { Last = previews.GetValueOrDefault(c.Id) })], number, size, total);
    }

    /// <summary>How many conversations match, without reading them (the review page's escalation badge).</summary>
    public static Task<int> CountAsync(ConversationFilter filter, Guid userId, CurrentOrganization current, AppDbContext db, CancellationToken ct) =>
        filter.Apply(Visible(db, userId, current).Where(c => c.ConversationStatus != ConversationStatus.NotContacted), db).Value?.CountAsync(ct) ?? Task.FromResult(0);

    public static async Task<Outcome<Thread>> GetAsync(Guid contactId, Guid userId, CurrentOrganization current, AppDbContext db, CancellationToken ct)
    {
        var contact = await Visible(db, userId, current).AsNoTracking().FirstOrDefaultAsync(c => c.Id == contactId && c.ConversationStatus != ConversationStatus.NotContacted, ct);
        if (contact is null)
        {
            return Failure.NotFound("The conversation");
        }

        var messages = await db.Messages.AsNoTracking().Where(m => m.ContactId == contactId).OrderBy(m => m.CreatedUtc).ThenBy(m => m.Id).ToListAsync(ct);
        var answers = await db.SurveyResponses.AsNoTracking().Where(r => r.ContactId == contactId).OrderBy(r => r.RecordedUtc)
            .Select(r => new Answer(r.StepId, r.Answer, r.RecordedUtc)).ToListAsync(ct);
        var optedOut = await db.OptOuts.AnyAsync(o => o.PhoneE164 == contact.PhoneE164, ct);
        return new Thread(ToItem(contact), [.. messages.Select(m => MessageRecords.ToItem(m, null))], answers, contact.EscalationReason, optedOut);
    }

    public static async Task<Outcome<MessageQueued>> ReplyAsync(
        Guid contactId, ReplyRequest request, AuditActor actor, CurrentOrganization current, AppDbContext db, OutboxSignal outbox, TimeProvider clock, CancellationToken ct)
    {
        var found = await FindAsync(contactId, actor, current, db, ct);
        if (found.Failure is { } failure)
        {
            return failure;
        }

        var contact = found.Value!;
        var text = request.Text?.Trim() ?? "";
        if (text.Length is 0 or > Campaign.MaxMessageLength)
        {
            return Failure.Unprocessable("The reply cannot be sent.", [new Problem($"Write 1 to {Campaign.MaxMessageLength:N0} characters.", "text")]);
        }

        if (contact.ConversationStatus == ConversationStatus.OptedOut || await db.OptOuts.AnyAsync(o => o.PhoneE164 == contact.PhoneE164, ct))
        {
            return Failure.Unprocessable("This person opted out; nothing more can be sent to them.", [new Problem("The number is on the opt-out list.", "contactId")]);
        }

        if (contact.BadNumber)
        {
            return Failure.Unprocessable("This number cannot receive texts.", [new Problem("The provider reported the number as unable to receive texts.", "contactId")]);
        }

        var now = clock.GetUtcNow();
        var campaign = await db.Campaigns.AsNoTracking().FirstAsync(c => c.Id == contact.CampaignId, ct);
        var wroteRecently = contact.LastInboundUtc is { } last && now.UtcDateTime - last <= TimeSpan.FromHours(1);
        var decision = TextingWindow.Evaluate(now, contact.TimeZones.Split(','), contact.State, campaign.ToTextingHours());
        if (!decision.Allowed && !wroteRecently)
        {
            var reason = decision.NextAllowedAt is { } next
                ? $"It is outside this contact's texting hours; replies open again at {next.UtcDateTime:yyyy-MM-dd HH:mm} UTC."
                : "This contact's texting hours never open with this campaign's settings.";
            return Failure.Unprocessable(reason, [new Problem(reason, "contactId")]);
        }

        var provider = await db.MessagingSettings.Select(s => s.Provider).FirstOrDefaultAsync(ct) ?? MessagingSettings.Simulator;
        var message = Outbox.Queue(db, contact.OrganizationId, provider, contact.PhoneE164, text, MessageKind.Reply, actor, now.UtcDateTime,
            contact.CampaignId, contact.Id, actor.UserId, Guid.NewGuid(), contact.SenderNumber);
        contact.ConversationStatus = ConversationStatus.Responded;
        contact.LastMessageUtc = now.UtcDateTime;

        // This reply answers every message the voter sent since the last one: their waits feed the median response time.
        var answered = await db.Messages
            .Where(m => m.ContactId == contact.Id && m.Direction == MessageDirection.Inbound && m.ResponseSeconds == null && m.CreatedUtc <= now.UtcDateTime)
            .ToListAsync(ct);
        foreach (var inbound in answered)
        {
            inbound.ResponseSeconds = (now.UtcDateTime - inbound.CreatedUtc).TotalSeconds;
        }

        await db.SaveChangesAsync(ct);
        outbox.Notify();
        return new MessageQueued(message.Id);
    }

    public static async Task<Outcome<Item>> OptOutAsync(
        Guid contactId, ReasonRequest request, AuditActor actor, CurrentOrganization current, AppDbContext db, OutboxSignal outbox, TimeProvider clock, CancellationToken ct)
    {
        var found = await FindAsync(contactId, actor, current, db, ct);
        if (found.Failure is { } failure)
        {
            return failure;
        }

        var contact = found.Value!;
        var now = clock.GetUtcNow().UtcDateTime;
        var created = await Suppression.OptOutAsync(db, contact.OrganizationId, contact.PhoneE164, "texter", request.Reason?.Trim(), actor, now, ct);
        if (created)
        {
            // The voter asked in their own words, so no provider answered: the one confirmation is ours (decision 3).
            var settings = await db.MessagingSettings.FirstOrDefaultAsync(ct);
            var organization = await db.Organizations.Where(o => o.Id == contact.OrganizationId).Select(o => o.Name).FirstAsync(ct);
            Outbox.Queue(db, contact.OrganizationId, settings?.Provider ?? MessagingSettings.Simulator, contact.PhoneE164,
                (settings?.OptOutConfirmation ?? MessagingSettings.DefaultOptOutConfirmation).Replace("{orgName}", organization, StringComparison.Ordinal),
                MessageKind.OptOutConfirmation, actor, now, contact.CampaignId, contact.Id, ourNumber: contact.SenderNumber);
        }

        await db.SaveChangesAsync(ct);
        if (created)
        {
            outbox.Notify();
        }

        return ToItem(contact);
    }

    public static async Task<Outcome<Item>> EscalateAsync(Guid contactId, ReasonRequest request, AuditActor actor, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
        await ChangeAsync(contactId, actor, current, db, clock, "conversation.escalated", new { reason = request.Reason }, c =>
        {
            c.Escalated = true;
            c.EscalationReason = string.IsNullOrWhiteSpace(request.Reason) ? null : request.Reason.Trim();
        }, ct);

    public static async Task<Outcome<Item>> CloseAsync(Guid contactId, AuditActor actor, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
        await ChangeAsync(contactId, actor, current, db, clock, "conversation.closed", null, c =>
        {
            if (c.ConversationStatus != ConversationStatus.OptedOut)
            {
                c.ConversationStatus = ConversationStatus.Closed;
            }

            c.Escalated = false;
        }, ct);

    public static async Task<Outcome<Item>> SetTagsAsync(Guid contactId, List<string> tags, AuditActor actor, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var names = tags.Select(t => t?.Trim() ?? "").Where(t => t.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        if (names.Count > MaxTags || names.Any(t => t.Length > MaxTagLength))
        {
            return Failure.Invalid($"At most {MaxTags} tags of up to {MaxTagLength} characters.", "tags");
        }

        // The record says what changed, not only the result: integrations act on the tags added (Features/Integrations).
        var change = new TagChange { Tags = names };
        return await ChangeAsync(contactId, actor, current, db, clock, "conversation.tagged", change, c =>
        {
            var before = JsonSerializer.Deserialize<List<string>>(c.Tags) ?? [];
            change.Added = [.. names.Where(n => !before.Contains(n, StringComparer.OrdinalIgnoreCase))];
            change.Removed = [.. before.Where(b => !names.Contains(b, StringComparer.OrdinalIgnoreCase))];
            c.Tags = JsonSerializer.Serialize(names);
        }, ct);
    }

    public static async Task<Outcome<AnswerResponse>> RecordAnswerAsync(
        Guid contactId, AnswerRequest request, AuditActor actor, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var found = await FindAsync(contactId, actor, current, db, ct);
        if (found.Failure is { } failure)
        {
            return failure;
        }

        var contact = found.Value!;
        var campaign = await db.Campaigns.AsNoTracking().FirstAsync(c => c.Id == contact.CampaignId, ct);
        var question = Questions(ScriptQuestion.FromJson(campaign.QuestionJson)).FirstOrDefault(q => q.Id == request.StepId);
        if (question is null)
        {
            return Failure.Invalid("That question is not in this campaign's script.", "stepId");
        }

        var answer = question.Answers.FirstOrDefault(a => string.Equals(a.Value, request.Answer?.Trim(), StringComparison.OrdinalIgnoreCase));
        if (answer is null)
        {
            return Failure.Invalid($"Answer with one of: {string.Join(", ", question.Answers.Select(a => a.Value))}.", "answer");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var response = await db.SurveyResponses.FirstOrDefaultAsync(r => r.ContactId == contactId && r.StepId == request.StepId, ct);
        if (response is null)
        {
            response = new SurveyResponse { OrganizationId = contact.OrganizationId, CampaignId = contact.CampaignId, ContactId = contactId, StepId = request.StepId, Answer = answer.Value };
            db.SurveyResponses.Add(response);
        }

        response.Answer = answer.Value;
        response.TexterUserId = actor.UserId;
        response.RecordedUtc = now;
        AuditEvent.Record(db, contact.OrganizationId, actor, "survey.answered", $"contact:{contactId}", new { stepId = request.StepId, answer = answer.Value }, now);
        await db.SaveChangesAsync(ct);

        // The follow-up, rendered for this contact, for the texter to review and send.
        var organization = await db.Organizations.AsNoTracking().Where(o => o.Id == contact.OrganizationId).Select(o => new { o.Name, o.OptOutLanguage }).FirstAsync(ct);
        var texter = await db.Users.AsNoTracking().Where(u => u.Id == actor.UserId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) ?? "";
        var followUp = string.IsNullOrWhiteSpace(answer.Message) ? null
            : new InitialMessage(new Campaign { Title = "", InitialMessage = answer.Message, CustomFields = campaign.CustomFields, RequireOptOutLanguage = false }, organization.Name, organization.OptOutLanguage, texter) is { IsValid: true } template
                ? template.Render(contact) : answer.Message;
        return new AnswerResponse(new Answer(response.StepId, response.Answer, now), followUp);
    }

    private static IEnumerable<ScriptQuestion> Questions(ScriptQuestion? question)
    {
        if (question is null)
        {
            yield break;
        }

        yield return question;
        foreach (var nested in question.Answers.SelectMany(a => Questions(a.Question)))
        {
            yield return nested;
        }
    }

    private static async Task<Outcome<Item>> ChangeAsync(
        Guid contactId, AuditActor actor, CurrentOrganization current, AppDbContext db, TimeProvider clock, string action, object? data, Action<Contact> change, CancellationToken ct)
    {
        var found = await FindAsync(contactId, actor, current, db, ct);
        if (found.Failure is { } failure)
        {
            return failure;
        }

        var contact = found.Value!;
        change(contact);
        AuditEvent.Record(db, contact.OrganizationId, actor, action, $"contact:{contactId}", data, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return ToItem(contact);
    }

    private static async Task<Outcome<Contact>> FindAsync(Guid contactId, AuditActor actor, CurrentOrganization current, AppDbContext db, CancellationToken ct) =>
        await Visible(db, actor.UserId!.Value, current).FirstOrDefaultAsync(c => c.Id == contactId && c.ConversationStatus != ConversationStatus.NotContacted, ct) is { } contact
            ? contact
            : Failure.NotFound("The conversation");

    /// <summary>A texter's own conversations; everyone's for supervisors and up.</summary>
    private static IQueryable<Contact> Visible(AppDbContext db, Guid userId, CurrentOrganization current) =>
        current.Role >= OrgRole.Supervisor ? db.Contacts : db.Contacts.Where(c => c.TexterUserId == userId);

    public static Item ToItem(Contact c) => new(
        c.Id, c.CampaignId, c.FirstName, c.LastName, c.PhoneE164, c.ConversationStatus, c.TexterUserId, c.LastMessageUtc, c.LastInboundUtc, c.Escalated,
        string.IsNullOrEmpty(c.Tags) ? [] : JsonSerializer.Deserialize<List<string>>(c.Tags) ?? [], c.Escalated ? c.EscalationReason : null)
    {
        BadNumber = c.BadNumber,
    };

    /// <summary>The audit data of a tag change; filled in as the change is made, serialized when it is recorded.</summary>
    private sealed class TagChange
    {
        public required List<string> Tags { get; init; }
        public List<string> Added { get; set; } = [];
        public List<string> Removed { get; set; } = [];
    }
}

public static class ConversationEndpoints
{
    public static IEndpointRouteBuilder MapConversationEndpoints(this IEndpointRouteBuilder app)
    {
        var texter = app.MapOrgApiGroup("/conversations", Policies.OrgTexter).WithTags("Conversations");
        texter.MapGet("/", ListAsync).WithSummary("Conversations, needs-response first; a texter sees their own.");
        texter.MapGet("/{contactId:guid}", GetAsync).WithSummary("One conversation: contact, messages, survey answers, status.");
        texter.MapPost("/{contactId:guid}/messages", ReplyAsync).WithSummary("Replies in the conversation.");
        texter.MapPost("/{contactId:guid}/opt-out", OptOutAsync).WithSummary("Opts the number out (the voter asked in their own words); one confirmation.");
        texter.MapPost("/{contactId:guid}/escalate", EscalateAsync).WithSummary("Hands the conversation to staff, with a reason.");
        texter.MapPost("/{contactId:guid}/close", CloseAsync).WithSummary("Closes the conversation.");
        texter.MapPost("/{contactId:guid}/answers", AnswerAsync).WithSummary("Records a survey answer; returns the script's follow-up for the texter to send.");
        texter.MapPut("/{contactId:guid}/tags", TagsAsync).WithSummary("Sets the conversation's tags.");
        app.MapOrgApiGroup("/conversations", Policies.OrgSupervisor).WithTags("Conversations")
            .MapPost("/reassign", Reassign.HandleAsync).WithSummary("Moves the selected conversations, or all that match a filter, to texters (round robin).");
        return app;
    }

    private static async Task<Results<Ok<Conversations.Page>, ProblemHttpResult>> ListAsync(Guid? campaignId, string? status, Guid? texterId, string? tag, string? q,
        bool? escalated, DateTime? from, DateTime? to, [Range(1, int.MaxValue)] int? page, [Range(1, Conversations.MaxPageSize)] int? pageSize, ClaimsPrincipal user,
        CurrentOrganization current, AppDbContext db, CancellationToken ct) =>
        (await Conversations.ListAsync(new ConversationFilter(campaignId, status, texterId, tag, q, escalated, from, to), page, pageSize, user.UserId(), current, db, ct)).ToOk();

    private static async Task<Results<Ok<Conversations.Thread>, ProblemHttpResult>> GetAsync(Guid contactId, ClaimsPrincipal user, CurrentOrganization current,
        AppDbContext db, CancellationToken ct) =>
        (await Conversations.GetAsync(contactId, user.UserId(), current, db, ct)).ToOk();

    private static async Task<Results<Accepted<Conversations.MessageQueued>, ProblemHttpResult>> ReplyAsync(Guid contactId, Conversations.ReplyRequest request,
        ClaimsPrincipal user, CurrentOrganization current, AppDbContext db, OutboxSignal outbox, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await Conversations.ReplyAsync(contactId, request, user.AsAuditActor(), current, db, outbox, clock, ct);
        return outcome.Failure is { } failure ? failure.ToProblem() : TypedResults.Accepted((string?)null, outcome.Value!);
    }

    private static async Task<Results<Ok<Conversations.Item>, ProblemHttpResult>> OptOutAsync(Guid contactId, Conversations.ReasonRequest? request, ClaimsPrincipal user,
        CurrentOrganization current, AppDbContext db, OutboxSignal outbox, TimeProvider clock, CancellationToken ct) =>
        (await Conversations.OptOutAsync(contactId, request ?? new(null), user.AsAuditActor(), current, db, outbox, clock, ct)).ToOk();

    private static async Task<Results<Ok<Conversations.Item>, ProblemHttpResult>> EscalateAsync(Guid contactId, Conversations.ReasonRequest? request, ClaimsPrincipal user,
        CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
        (await Conversations.EscalateAsync(contactId, request ?? new(null), user.AsAuditActor(), current, db, clock, ct)).ToOk();

    private static async Task<Results<Ok<Conversations.Item>, ProblemHttpResult>> CloseAsync(Guid contactId, ClaimsPrincipal user, CurrentOrganization current,
        AppDbContext db, TimeProvider clock, CancellationToken ct) =>
        (await Conversations.CloseAsync(contactId, user.AsAuditActor(), current, db, clock, ct)).ToOk();

    private static async Task<Results<Ok<Conversations.AnswerResponse>, ProblemHttpResult>> AnswerAsync(Guid contactId, Conversations.AnswerRequest request,
        ClaimsPrincipal user, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
        (await Conversations.RecordAnswerAsync(contactId, request, user.AsAuditActor(), current, db, clock, ct)).ToOk();

    private static async Task<Results<Ok<Conversations.Item>, ProblemHttpResult>> TagsAsync(Guid contactId, List<string> tags, ClaimsPrincipal user,
        CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
        (await Conversations.SetTagsAsync(contactId, tags, user.AsAuditActor(), current, db, clock, ct)).ToOk();
}
