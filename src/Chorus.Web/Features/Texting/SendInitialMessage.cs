using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Chorus.Features.Audit;
using Chorus.Features.Campaigns;
using Chorus.Features.Campaigns.Templates;
using Chorus.Features.Contacts;
using Chorus.Features.Links;
using Chorus.Features.Messaging;
using Chorus.Features.OptOuts;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Texting;

/// <summary>
/// The send screen's two calls: the next contact of an assignment with its message rendered, and Send — one contact,
/// one message, one human action (DESIGN.md invariant 2). A second Send for the same contact (double click, held
/// Enter, two tabs, a retried request) is refused with 409, whatever the interleaving: <see cref="InitialSends"/> saves
/// a Send only if its transaction finds the contact never texted, and the unique index on a contact's initial message
/// stands behind it.
/// </summary>
public static class SendInitialMessage
{
    public sealed record Next(
        Guid ContactId, string FirstName, string LastName, string Phone, string Text, int Characters, string Encoding, int Segments,
        bool CanSendNow, string? Reason, DateTimeOffset? NextAllowedAt, int Remaining, int Sent, int Total, bool AllowEditing);

    public sealed record Request([property: MaxLength(Campaign.MaxMessageLength)] string? Text);

    public sealed record Response(Guid MessageId);

    private sealed record Context(Assignment Assignment, Campaign Campaign, InitialMessage Message, string Provider, Contact? Contact);

    // The queries below run for every contact every texter sends, so each is compiled (CompiledQuery).

    private sealed record Loaded(Assignment Assignment, Campaign Campaign, string Name, string OptOutLanguage, string? Texter, string? Provider, Contact? Contact);

    // One round trip for everything both calls need: the assignment (someone else's does not exist for the caller),
    // its campaign, the organization's name and opt-out language, the texter's name and the messaging provider; and for
    // Send, the contact, if it is in this assignment (next passes no contact).
    private static readonly CompiledQuery<Func<AppDbContext, Guid, Guid, Guid?, CancellationToken, Task<Loaded?>>> Load = new(() => EF.CompileAsyncQuery(
        (AppDbContext db, Guid assignmentId, Guid userId, Guid? contactId, CancellationToken ct) => (
            from a in db.Assignments.AsNoTracking()
            where a.Id == assignmentId && a.TexterUserId == userId
            join c in db.Campaigns.AsNoTracking() on a.CampaignId equals c.Id
            join o in db.Organizations.AsNoTracking() on a.OrganizationId equals o.Id
            from contact in db.Contacts.AsNoTracking().Where(x => x.Id == contactId && x.AssignmentId == a.Id).DefaultIfEmpty()
            select new Loaded(
                a,
                c,
                o.Name,
                o.OptOutLanguage,
                db.Users.Where(u => u.Id == userId).Select(u => u.DisplayName).FirstOrDefault(),
                db.MessagingSettings.Where(s => s.OrganizationId == a.OrganizationId).Select(s => s.Provider).FirstOrDefault(),
                contact)).FirstOrDefault()));

    /// <summary>The next contact to text, whether its number opted out, and the assignment's progress.</summary>
    internal sealed record Upcoming(Contact Contact, bool OptedOut, int Total, int Remaining);

    // The assignment's first unsent contact after another one (by id), or its first when after is null, with what the
    // screen shows beside it in the same statement (three fewer per Send than one query each). The counts name the
    // campaign and not the organization, so SQLite counts from the (CampaignId, AssignmentId, ConversationStatus) index
    // alone instead of reading every contact row of the assignment: the assignment is the caller's own (Load checked it
    // through the tenant filter). IgnoreQueryFilters turns the tenant filter off for the whole statement, not only where
    // it is written, so the contact and the opt-out list name the organization themselves; the contact's as "likely"
    // (QueryHints), so SQLite seeks the assignment's index and not the organization's. Without the campaign id, and with
    // the organization filter and no statistics, SQLite once chose the organization's index for the counts and read
    // every contact the organization has.
    internal static readonly CompiledQuery<Func<AppDbContext, Guid, Guid, Guid, Guid?, CancellationToken, Task<Upcoming?>>> NextUnsent = new(() => EF.CompileAsyncQuery(
        (AppDbContext db, Guid organizationId, Guid campaignId, Guid assignmentId, Guid? after, CancellationToken ct) => db.Contacts.IgnoreQueryFilters().AsNoTracking()
            .Where(c => QueryHints.Likely(c.OrganizationId == organizationId) && c.AssignmentId == assignmentId && c.ConversationStatus == ConversationStatus.NotContacted)
            .Where(c => after == null || c.Id.CompareTo(after.Value) > 0)
            .OrderBy(c => c.Id)
            .Select(c => new Upcoming(
                c,
                db.OptOuts.Any(o => o.OrganizationId == organizationId && o.PhoneE164 == c.PhoneE164),
                db.Contacts.Count(x => x.CampaignId == campaignId && x.AssignmentId == assignmentId),
                db.Contacts.Count(x => x.CampaignId == campaignId && x.AssignmentId == assignmentId && x.ConversationStatus == ConversationStatus.NotContacted)))
            .FirstOrDefault()));

    public static async Task<Outcome<Next?>> NextAsync(Guid assignmentId, Guid? after, Guid userId, AppDbContext db, LinkTracker links, TimeProvider clock, CancellationToken ct)
    {
        var context = await LoadAsync(assignmentId, userId, null, db, ct);
        if (context.Failure is { } failure)
        {
            return failure;
        }

        var (assignment, campaign, message, _, _) = context.Value!;
        var upcoming = await NextUnsent.For(db)(db, assignment.OrganizationId, campaign.Id, assignment.Id, after, ct)
            ?? (after is null ? null : await NextUnsent.For(db)(db, assignment.OrganizationId, campaign.Id, assignment.Id, null, ct));
        if (upcoming is null)
        {
            return (Next?)null;
        }

        var (contact, remaining, total) = (upcoming.Contact, upcoming.Remaining, upcoming.Total);
        // The contact's short links are made now, so the screen shows (and counts) the text Send will queue.
        var text = (await links.TrackAsync(db, contact.OrganizationId, campaign.Id, contact.Id, userId, message.Render(contact), ct)).Text;
        var count = SegmentCounter.Count(text);
        var blocked = upcoming.OptedOut ? new Blocked(OptedOutReason, null) : WhyNotNow(contact, campaign, clock);
        return new Next(contact.Id, contact.FirstName, contact.LastName, contact.PhoneE164, text, count.Characters,
            count.Encoding == SmsEncoding.Gsm7 ? "GSM-7" : "UCS-2", count.Segments, blocked is null, blocked?.Reason, blocked?.NextAllowedAt,
            remaining, total - remaining, total, campaign.AllowEditingInitialMessage);
    }

    public static async Task<Outcome<Response>> SendAsync(
        Guid assignmentId, Guid contactId, Request request, AuditActor actor, AppDbContext db, LinkTracker links, InitialSends sends, TimeProvider clock, CancellationToken ct)
    {
        var context = await LoadAsync(assignmentId, actor.UserId!.Value, contactId, db, ct);
        if (context.Failure is { } failure)
        {
            return failure;
        }

        var (assignment, campaign, message, provider, found) = context.Value!;
        var contact = found!; // LoadAsync answered 404 when it is not in this assignment
        if (campaign.Status != CampaignStatus.Active)
        {
            return Failure.Conflict("The campaign is not sending right now.");
        }

        if (await TrainingText.MustAcknowledgeAsync(assignment, campaign.TrainingText, db, ct))
        {
            return Failure.Conflict("Read this campaign's training text and acknowledge it before your first send.");
        }

        if (contact.ConversationStatus != ConversationStatus.NotContacted)
        {
            return Failure.Conflict("This contact has already been sent their first message.");
        }

        if (WhyNotNow(contact, campaign, clock) is { } blocked)
        {
            return Failure.Unprocessable(blocked.Reason, [new Problem(blocked.Reason, "contactId")]);
        }

        var text = message.Render(contact);
        if (request.Text is { } edited)
        {
            if (!campaign.AllowEditingInitialMessage)
            {
                return Failure.Unprocessable("This campaign sends its script as written.", [new Problem("Editing the initial message is off for this campaign.", "text")]);
            }

            text = edited.Trim();
            if (text.Length is 0 or > Campaign.MaxMessageLength)
            {
                return Failure.Unprocessable("The message cannot be sent.", [new Problem($"Write 1 to {Campaign.MaxMessageLength:N0} characters.", "text")]);
            }
        }

        // Links become the contact's short links (the same codes the screen showed); an edited message keeps the short
        // links it has and any link the texter added is tracked too.
        var tracked = await links.TrackAsync(db, contact.OrganizationId, campaign.Id, contact.Id, actor.UserId, text, ct);
        text = tracked.Text;
        if (text.Length > Campaign.MaxMessageLength)
        {
            return Failure.Unprocessable("The message cannot be sent.", [new Problem($"With its short links the message is over {Campaign.MaxMessageLength:N0} characters.", "text")]);
        }

        // Saved with other texters' Sends in one transaction, which checks again that the contact is still this
        // assignment's and was never texted; answered once committed.
        var saved = await sends.SaveAsync(new InitialSends.Send(
            contact.OrganizationId, db.Organization.Slug ?? "", assignment.Id, campaign.Id, contact.Id, provider, text,
            [.. tracked.Links.Where(l => l.MessageId is null).Select(l => l.Id)], actor, clock.GetUtcNow().UtcDateTime));
        return saved.Failure is { } refused ? refused : new Response(saved.Value);
    }

    private sealed record Blocked(string Reason, DateTimeOffset? NextAllowedAt);

    /// <summary>Why Send refuses an opted-out number (422).</summary>
    internal const string OptedOutReason = "This number opted out; it will not be texted.";

    // All but the opt-out list, which Send leaves to its save: that looks it up under the write lock (InitialSends).
    private static Blocked? WhyNotNow(Contact contact, Campaign campaign, TimeProvider clock)
    {
        if (contact.BadNumber)
        {
            return new Blocked("This number cannot receive texts.", null);
        }

        var decision = TextingWindow.Evaluate(clock.GetUtcNow(), contact.TimeZones.Split(','), contact.State, campaign.ToTextingHours());
        return decision.Allowed ? null : new Blocked(decision.Explain("this contact"), decision.NextAllowedAt);
    }

    private static async Task<Outcome<Context>> LoadAsync(Guid assignmentId, Guid userId, Guid? contactId, AppDbContext db, CancellationToken ct)
    {
        var loaded = await Load.For(db)(db, assignmentId, userId, contactId, ct);
        if (loaded is null)
        {
            return Failure.NotFound("The assignment");
        }

        // Before any 409 about the campaign: a contact that is not in the caller's assignment (another texter's, another
        // organization's) does not exist for them, whatever state the campaign is in. Load already read it.
        if (contactId is not null && loaded.Contact is null)
        {
            return Failure.NotFound("The contact");
        }

        var message = new InitialMessage(loaded.Campaign, loaded.Name, loaded.OptOutLanguage, loaded.Texter ?? "");
        return message.IsValid
            ? new Context(loaded.Assignment, loaded.Campaign, message, loaded.Provider ?? MessagingSettings.Simulator, loaded.Contact)
            : Failure.Conflict("The campaign's script has errors; an admin must fix it.");
    }

    public static async Task<Results<Ok<Next>, NoContent, ProblemHttpResult>> HandleNextAsync(
        Guid assignmentId, Guid? after, ClaimsPrincipal user, AppDbContext db, LinkTracker links, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await NextAsync(assignmentId, after, user.UserId(), db, links, clock, ct);
        return outcome.Failure is { } f ? f.ToProblem() : outcome.Value is { } next ? TypedResults.Ok(next) : TypedResults.NoContent();
    }

    public static async Task<Results<Accepted<Response>, ProblemHttpResult>> HandleSendAsync(
        Guid assignmentId, Guid contactId, Request? request, ClaimsPrincipal user, AppDbContext db, LinkTracker links, InitialSends sends, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await SendAsync(assignmentId, contactId, request ?? new Request(null), user.AsAuditActor(), db, links, sends, clock, ct);
        return outcome.Failure is { } f ? f.ToProblem() : TypedResults.Accepted((string?)null, outcome.Value!);
    }
}
