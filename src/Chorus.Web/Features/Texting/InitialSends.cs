using System.Diagnostics.Metrics;
using Chorus.Features.Audit;
using Chorus.Features.Contacts;
using Chorus.Features.Messaging;
using Chorus.Features.Messaging.Dispatch;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;
using Pending = Chorus.Infrastructure.Data.GroupCommit<Chorus.Features.Texting.InitialSends.Send, Chorus.Infrastructure.Http.Outcome<System.Guid>>.Pending;

namespace Chorus.Features.Texting;

/// <summary>
/// Saves the first messages texters send (<see cref="SendInitialMessage"/>). A Send is checked and rendered where it
/// is handled, many at a time; here it becomes a queued message, the contact's new state, the audit entry and the
/// counters, in a transaction that checks again, under the write lock, that the contact is still this assignment's, was
/// never texted and is not on the organization's opt-out list: so one contact gets one first message whatever the
/// interleaving (DESIGN.md invariant 3), and on SQLite an opt-out that commits before the message stops it (invariant
/// 1; on PostgreSQL one that commits between the look-up and the commit is stopped by the dispatcher's own check).
/// </summary>
/// <remarks>
/// <para>
/// Group commit (<see cref="GroupCommit{TItem, TResult}"/>), as for inbound texts
/// (<see cref="Messaging.Inbound.InboundProcessor"/>): Sends that arrive while a save is under way wait in a queue,
/// and the next save takes them all in one transaction (one look-up of their contacts, one audit-chain lock, one
/// commit). Each Send is answered only after its message is committed, so nothing acknowledged can be lost, and a
/// Send that arrives alone is saved alone at once. With one transaction per Send, 100 texters kept SQLite's one write
/// lock held 75% of the time, 1.6 ms a save; saved together they sent 10–20% more per second on 8–17% less CPU, with
/// a send p99 of 200–240 ms instead of 250–320 (BENCHMARKS.md, send).
/// </para>
/// <para>
/// A batch holds one organization. When it cannot be saved (on PostgreSQL, another instance's Send for one of its
/// contacts committed between the look-up and the save), each of its Sends is saved on its own, and the one that lost
/// is refused with 409 by the unique index on a contact's initial message.
/// </para>
/// </remarks>
public sealed class InitialSends(IServiceScopeFactory scopes, OutboxSignal outbox, IMeterFactory meters, ILogger<InitialSends> logger)
{
    /// <summary>The name of the histogram of first messages saved per transaction (meter <c>Chorus</c>).</summary>
    public const string BatchSizeInstrument = "chorus.send.batch_size";

    /// <summary>The most Sends saved in one transaction.</summary>
    public const int MaxBatch = 256;

    private readonly Histogram<int> _batchSizes = meters.Create("Chorus").CreateHistogram<int>(
        BatchSizeInstrument, unit: "{message}", description: "Initial messages saved in one transaction");

    private GroupCommit<Send, Outcome<Guid>>? _saves;

    /// <summary>
    /// One Send, as checked where it was handled.
    /// </summary>
    /// <param name="OrganizationId">The organization the request acted in.</param>
    /// <param name="OrganizationSlug">Its slug, for the unit of work that saves it.</param>
    /// <param name="AssignmentId">The caller's assignment; the contact must still be in it.</param>
    /// <param name="CampaignId">The assignment's campaign.</param>
    /// <param name="ContactId">Whom to text.</param>
    /// <param name="Provider">The organization's provider at queueing time.</param>
    /// <param name="Text">Exactly what to send, short links included.</param>
    /// <param name="LinkIds">The contact's tracked links in <paramref name="Text"/>, to be marked as carried by it.</param>
    /// <param name="Actor">The texter who pressed Send.</param>
    /// <param name="NowUtc">When they did.</param>
    public sealed record Send(
        Guid OrganizationId, string OrganizationSlug, Guid AssignmentId, Guid CampaignId, Guid ContactId, string Provider, string Text,
        IReadOnlyList<Guid> LinkIds, AuditActor Actor, DateTime NowUtc);

    /// <summary>
    /// Completes once the message is committed, with its id; or with 409 when the contact was sent their first message
    /// first, 404 when it left the assignment meanwhile, or 422 when the number opted out. Faults when it could not be
    /// stored.
    /// </summary>
    public Task<Outcome<Guid>> SaveAsync(Send send) =>
        LazyInitializer.EnsureInitialized(ref _saves, () => new(SaveBatchAsync, NewBatch, MaxBatch)).SubmitAsync(send);

    /// <summary>A batch's rule: one organization.</summary>
    private static Func<Send, bool> NewBatch()
    {
        Guid? organization = null;
        return send => (organization ??= send.OrganizationId) == send.OrganizationId;
    }

    private async Task SaveBatchAsync(List<Pending> batch)
    {
        try
        {
            var outcomes = await SaveTogetherAsync(batch);
            _batchSizes.Record(batch.Count);
            Answer(batch, outcomes);
            return;
        }
        catch (Exception ex) when (batch.Count > 1)
        {
            logger.LogDebug(ex, "A batch of {Count} Sends could not be saved together; saving each on its own", batch.Count);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            // A lone Send that lost to another instance's Send for the same contact (the one-initial-message index).
            batch[0].Done.TrySetResult(Conflict);
            return;
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "The first message to contact {ContactId} could not be stored", batch[0].Item.ContactId);
            batch[0].Done.TrySetException(ex);
            return;
        }

        foreach (var pending in batch)
        {
            await SaveBatchAsync([pending]);
        }
    }

    private void Answer(List<Pending> batch, Outcome<Guid>[] outcomes)
    {
        if (outcomes.Any(o => o.Succeeded))
        {
            outbox.Notify();
        }

        for (var i = 0; i < batch.Count; i++)
        {
            batch[i].Done.TrySetResult(outcomes[i]);
        }
    }

    internal static IAsyncEnumerable<Contact> ContactsAsync(AppDbContext db, Guid organizationId, Guid[] ids) => Batch.For(db)(db, organizationId, ids);

    // Compiled, as it runs inside the write lock, and the organization is a "likely" term: without statistics SQLite
    // guesses that an organization has about ten contacts, so for a batch of more ids than that it read every contact
    // of the organization through an organization-first index instead of seeking each id (QueryPlanTests). Measured
    // at 100 texters: 8–18 ms a batch (inside the lock) and send p99 390–430 ms; seeking, 0.3–1.3 ms and 210–240 ms.
    private static readonly CompiledQuery<Func<AppDbContext, Guid, Guid[], IAsyncEnumerable<Contact>>> Batch = new(() => EF.CompileAsyncQuery(
        (AppDbContext db, Guid organizationId, Guid[] ids) => db.Contacts.IgnoreQueryFilters().Where(c => QueryHints.Likely(c.OrganizationId == organizationId) && ids.Contains(c.Id))));

    private static readonly CompiledQuery<Func<AppDbContext, string[], IAsyncEnumerable<string>>> OptedOutAmong = new(() => EF.CompileAsyncQuery(
        (AppDbContext db, string[] phones) => db.OptOuts.Where(o => phones.Contains(o.PhoneE164)).Select(o => o.PhoneE164)));

    private static Failure Conflict => Failure.Conflict("This contact has already been sent their first message.");

    private async Task<Outcome<Guid>[]> SaveTogetherAsync(List<Pending> batch)
    {
        var first = batch[0].Item;
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentOrganization>().Set(first.OrganizationId, first.OrganizationSlug, null);
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();

        // The look-up runs inside the write transaction: on SQLite no other writer can text these contacts between it
        // and the commit; on PostgreSQL one on another instance can, and the unique index refuses the save instead.
        using var turn = await db.WriteTurnAsync(CancellationToken.None);
        await using var transaction = await db.Database.BeginTransactionAsync(CancellationToken.None);
        var contactIds = batch.Select(w => w.Item.ContactId).Distinct().ToList();
        var contacts = await ContactsAsync(db, first.OrganizationId, [.. contactIds]).ToDictionaryAsync(c => c.Id);
        var optedOut = await OptedOutAmong.For(db)(db, [.. contacts.Values.Select(c => c.PhoneE164).Distinct()]).ToHashSetAsync(StringComparer.Ordinal);
        var linkIds = batch.SelectMany(w => w.Item.LinkIds).ToList();
        var links = linkIds.Count == 0 ? [] : await db.TrackedLinks.Where(l => linkIds.Contains(l.Id)).ToDictionaryAsync(l => l.Id, CancellationToken.None);

        var outcomes = new Outcome<Guid>[batch.Count];
        for (var i = 0; i < batch.Count; i++)
        {
            var send = batch[i].Item;
            if (!contacts.TryGetValue(send.ContactId, out var contact) || contact.AssignmentId != send.AssignmentId)
            {
                outcomes[i] = Failure.NotFound("The contact");
                continue;
            }

            // Texted before, by an earlier save or by an earlier Send in this batch (a double click, two tabs).
            if (contact.ConversationStatus != ConversationStatus.NotContacted)
            {
                outcomes[i] = Conflict;
                continue;
            }

            // Opted out since the request looked. On SQLite no opt-out can commit between this look-up and the message;
            // on PostgreSQL one can, and the dispatcher's check before sending stops that message.
            if (optedOut.Contains(contact.PhoneE164))
            {
                outcomes[i] = Failure.Unprocessable(SendInitialMessage.OptedOutReason, [new Problem(SendInitialMessage.OptedOutReason, "contactId")]);
                continue;
            }

            var queued = Outbox.Queue(db, contact.OrganizationId, send.Provider, contact.PhoneE164, send.Text, MessageKind.Initial, send.Actor, send.NowUtc,
                send.CampaignId, contact.Id, send.Actor.UserId, Guid.NewGuid(), contact.SenderNumber);
            foreach (var id in send.LinkIds)
            {
                if (links.TryGetValue(id, out var link))
                {
                    link.MessageId ??= queued.Id;
                    queued.HasTrackedLink |= link.MessageId == queued.Id;
                }
            }

            contact.ConversationStatus = ConversationStatus.Messaged;
            contact.TexterUserId = send.Actor.UserId;
            contact.LastMessageUtc = send.NowUtc;
            outcomes[i] = queued.Id;
        }

        await db.SaveChangesInBulkAsync(CancellationToken.None);
        await transaction.CommitAsync(CancellationToken.None);
        return outcomes;
    }
}
