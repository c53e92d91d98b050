using Chorus.Features.Audit;
using Chorus.Features.Contacts;
using Chorus.Features.OptOuts;
using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Messaging;

/// <summary>
/// What an opt-out does inside the unit of work that learns of it (a STOP reply, a provider's 21610, a texter's
/// confirmation): the number goes on the organization's list, every message still queued to it is cancelled, and its
/// conversations close. Saved with the caller's save, so the opt-out and its cause are one transaction. Each entity it
/// changes is scanned for the change at once, so a caller may turn automatic change detection off (the inbound drain).
/// </summary>
public static class Suppression
{
    // Compiled: a STOP runs all three inside the inbound drain, which saves one batch at a time, and finding the LINQ
    // queries' translations was most of their cost (BENCHMARKS.md, inbound).
    private static readonly CompiledQuery<Func<AppDbContext, Guid, string, CancellationToken, Task<bool>>> IsOptedOut = new(() => EF.CompileAsyncQuery(
        (AppDbContext db, Guid organizationId, string phone, CancellationToken ct) =>
            db.OptOuts.IgnoreQueryFilters().Any(o => o.OrganizationId == organizationId && o.PhoneE164 == phone)));

    private static readonly CompiledQuery<Func<AppDbContext, Guid, string, IAsyncEnumerable<Message>>> QueuedTo = new(() => EF.CompileAsyncQuery(
        (AppDbContext db, Guid organizationId, string phone) => db.Messages.IgnoreQueryFilters()
            .Where(m => m.OrganizationId == organizationId && m.Phone == phone && m.Direction == MessageDirection.Outbound && m.Status == MessageStatus.Queued)));

    private static readonly CompiledQuery<Func<AppDbContext, Guid, string, IAsyncEnumerable<Contact>>> ContactsOf = new(() => EF.CompileAsyncQuery(
        (AppDbContext db, Guid organizationId, string phone) => db.Contacts.IgnoreQueryFilters().Where(c => c.OrganizationId == organizationId && c.PhoneE164 == phone)));

    /// <summary>Returns whether the number was newly opted out (false when it already was).</summary>
    public static async Task<bool> OptOutAsync(
        AppDbContext db, Guid organizationId, string phone, string source, string? reason, AuditActor actor, DateTime nowUtc, CancellationToken ct)
    {
        var already = db.OptOuts.Local.Any(o => o.OrganizationId == organizationId && o.PhoneE164 == phone)
            || await IsOptedOut.For(db)(db, organizationId, phone, ct);
        await CancelQueuedAsync(db, organizationId, phone, "The number opted out before it was sent.", nowUtc, ct);
        await foreach (var contact in ContactsOf.For(db)(db, organizationId, phone).WithCancellation(ct))
        {
            contact.ConversationStatus = ConversationStatus.OptedOut;
            db.Entry(contact).DetectChanges();
        }

        if (already)
        {
            return false;
        }

        db.OptOuts.Add(new OptOut
        {
            OrganizationId = organizationId,
            PhoneE164 = phone,
            Source = source,
            Reason = reason,
            CreatedByUserId = actor.UserId,
            CreatedUtc = nowUtc,
        });
        AuditEvent.Record(db, organizationId, actor, "opt_out.added", $"phone:{phone}", new { source, reason }, nowUtc);
        return true;
    }

    /// <summary>Cancels every outbound message to <paramref name="phone"/> that no dispatcher has claimed yet.</summary>
    public static async Task CancelQueuedAsync(AppDbContext db, Guid organizationId, string phone, string reason, DateTime nowUtc, CancellationToken ct)
    {
        var queued = await QueuedTo.For(db)(db, organizationId, phone).ToListAsync(ct);
        foreach (var message in queued.Where(m => m.Kind != MessageKind.OptOutConfirmation))
        {
            message.Status = MessageStatus.Canceled;
            message.ErrorMessage = reason;
            message.UpdatedUtc = nowUtc;
            MessageStatusChange.Record(db, message, MessageStatus.Canceled, "canceled", nowUtc);
            db.Entry(message).DetectChanges();
        }
    }
}
