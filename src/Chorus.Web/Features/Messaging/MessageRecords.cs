using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Chorus.Features.Audit;
using Chorus.Features.Campaigns.Templates;
using Chorus.Features.Messaging.Events;
using Chorus.Features.Organizations;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Messaging;

/// <summary>
/// The message record, read: everything to and from a number (Supervisor+), the unmatched inbox and the messages
/// needing review (Admin+), and the one-click decision on a "likely opt-out" (the conversation's texter or a
/// supervisor).
/// </summary>
public static class MessageRecords
{
    public const int MaxPageSize = 200;

    public sealed record StatusStep(MessageStatus Status, string Detail, int? ErrorCode, DateTime At);

    public sealed record Item(
        Guid Id, MessageDirection Direction, MessageKind Kind, string Body, MessageStatus Status, string? ProviderMessageId, int? ErrorCode,
        string? ErrorMessage, string? From, string? To, string? Carrier, int Segments, SmsEncoding Encoding, Guid? CampaignId, Guid? ContactId,
        Guid? TexterId, string? Keyword, bool NeedsOptOutReview, DateTime CreatedAt, IReadOnlyList<StatusStep>? History);

    public sealed record Page(List<Item> Items, int PageNumber, int PageSize, int Total);

    public static async Task<Results<Ok<Page>, ProblemHttpResult>> HandleListAsync(
        string? phone, [Range(1, int.MaxValue)] int? page, [Range(1, MaxPageSize)] int? pageSize, AppDbContext db, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(phone) || phone.Length > 20 || !phone.StartsWith('+') || !phone[1..].All(char.IsAsciiDigit))
        {
            return Failure.Invalid("Give the phone number in E.164 form, e.g. ?phone=%2B12025550123.", "phone").ToProblem();
        }

        return TypedResults.Ok(await ByPhoneAsync(phone, page, pageSize, db, ct));
    }

    public static async Task<Ok<Page>> HandleUnmatchedAsync([Range(1, int.MaxValue)] int? page, [Range(1, MaxPageSize)] int? pageSize, AppDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await UnmatchedAsync(page, pageSize, db, ct));

    public static async Task<Ok<Page>> HandleNeedsReviewAsync([Range(1, int.MaxValue)] int? page, [Range(1, MaxPageSize)] int? pageSize, AppDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await NeedsReviewAsync(page, pageSize, db, ct));

    /// <summary>Every message to and from <paramref name="phoneE164"/>, newest first.</summary>
    public static Task<Page> ByPhoneAsync(string phoneE164, int? page, int? pageSize, AppDbContext db, CancellationToken ct) =>
        PageAsync(db.Messages.Where(m => m.Phone == phoneE164), page, pageSize, db, ct);

    public static Task<Page> UnmatchedAsync(int? page, int? pageSize, AppDbContext db, CancellationToken ct) =>
        PageAsync(db.Messages.Where(m => m.Direction == MessageDirection.Inbound && m.ContactId == null), page, pageSize, db, ct);

    public static Task<Page> NeedsReviewAsync(int? page, int? pageSize, AppDbContext db, CancellationToken ct) =>
        PageAsync(db.Messages.Where(m => m.Status == MessageStatus.NeedsReview || m.Status == MessageStatus.Unknown), page, pageSize, db, ct);

    private static async Task<Page> PageAsync(IQueryable<Message> query, int? page, int? pageSize, AppDbContext db, CancellationToken ct)
    {
        var number = Math.Max(1, page ?? 1);
        var size = Math.Clamp(pageSize ?? 50, 1, MaxPageSize);
        var total = await query.CountAsync(ct);
        var messages = await query.AsNoTracking().OrderByDescending(m => m.CreatedUtc).ThenByDescending(m => m.Id).Skip((number - 1) * size).Take(size).ToListAsync(ct);
        var ids = messages.Select(m => m.Id).ToList();
        var history = (await db.MessageStatusChanges.AsNoTracking().Where(c => ids.Contains(c.MessageId)).OrderBy(c => c.Id).ToListAsync(ct))
            .ToLookup(c => c.MessageId);
        return new Page([.. messages.Select(m => ToItem(m, [.. history[m.Id].Select(h => new StatusStep(h.Status, h.Detail, h.ErrorCode, h.OccurredUtc))]))], number, size, total);
    }

    public static Item ToItem(Message m, IReadOnlyList<StatusStep>? history) => new(
        m.Id, m.Direction, m.Kind, m.Body, m.Status, m.ProviderMessageId, m.ErrorCode, m.ErrorMessage,
        m.Direction == MessageDirection.Outbound ? m.OurNumber : m.Phone, m.Direction == MessageDirection.Outbound ? m.Phone : m.OurNumber,
        m.Carrier, m.Segments, m.Encoding, m.CampaignId, m.ContactId, m.TexterUserId, m.Keyword, m.NeedsOptOutReview, m.CreatedUtc, history);

    /// <summary>Confirms (<paramref name="optOut"/>) or dismisses a likely opt-out flagged on an inbound message.</summary>
    public static async Task<Outcome<Item>> DecideAsync(
        Guid messageId, bool optOut, AuditActor actor, CurrentOrganization current, AppDbContext db, IMessageEvents events, TimeProvider clock, CancellationToken ct)
    {
        var message = await db.Messages.FirstOrDefaultAsync(m => m.Id == messageId && m.Direction == MessageDirection.Inbound, ct);
        if (message is null || (current.Role < OrgRole.Supervisor && message.TexterUserId != actor.UserId))
        {
            // A texter sees only their own conversations: someone else's message does not exist for them.
            return Failure.NotFound("The message");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        message.NeedsOptOutReview = false;
        message.UpdatedUtc = now;
        if (optOut)
        {
            await Suppression.OptOutAsync(db, message.OrganizationId, message.Phone, "texter", Truncate(message.Body), actor, now, ct);
        }
        else
        {
            AuditEvent.Record(db, message.OrganizationId, actor, "opt_out.dismissed", $"message:{message.Id}", new { phone = message.Phone }, now);
        }

        await db.SaveChangesAsync(ct);
        if (optOut)
        {
            await events.PublishAsync(new MessageEvent(message.OrganizationId, "opt-out", message.Id, message.ContactId, message.TexterUserId), ct);
        }

        return ToItem(message, null);
    }

    private static string Truncate(string text) => text.Length <= OptOuts.OptOut.MaxReasonLength ? text : text[..OptOuts.OptOut.MaxReasonLength];

    public static async Task<Results<Ok<Item>, ProblemHttpResult>> HandleOptOutAsync(
        Guid id, ClaimsPrincipal user, CurrentOrganization current, AppDbContext db, IMessageEvents events, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await DecideAsync(id, true, user.AsAuditActor(), current, db, events, clock, ct);
        return outcome.Failure is { } f ? f.ToProblem() : TypedResults.Ok(outcome.Value!);
    }

    public static async Task<Results<Ok<Item>, ProblemHttpResult>> HandleDismissAsync(
        Guid id, ClaimsPrincipal user, CurrentOrganization current, AppDbContext db, IMessageEvents events, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await DecideAsync(id, false, user.AsAuditActor(), current, db, events, clock, ct);
        return outcome.Failure is { } f ? f.ToProblem() : TypedResults.Ok(outcome.Value!);
    }

    /// <summary>Counts of 30007 (filtered as spam) per campaign: a rising count means the script needs rewording.</summary>
    public static Task<int> FilteredCountAsync(AppDbContext db, Guid campaignId, CancellationToken ct) =>
        db.Messages.CountAsync(m => m.CampaignId == campaignId && m.ErrorCode == StatusUpdates.Filtered, ct);

}
