using System.Data;
using Chorus.Features.Campaigns;
using Chorus.Features.Contacts;
using Chorus.Features.Messaging;
using Chorus.Features.Texting;
using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;

namespace Chorus.Features.Analytics.Counters;

/// <summary>
/// Campaign statistics counted as they happen (README.md, "Counters"). Every save counts the changes it writes in the
/// same transaction (<see cref="Track"/>), so a figure can never disagree with the rows it counts; the statistics then
/// read a few hundred counter rows instead of scanning a campaign's million contacts and messages.
/// </summary>
public static class CampaignCounters
{
    public sealed record Value(long Count, long Segments);

    /// <summary>
    /// Adds to <paramref name="db"/> the counter rows for the pending changes of messages, contacts, survey answers and
    /// campaigns. Called by every save after change detection; the rows of an earlier save attempt that did not commit
    /// are dropped first, so a retried save counts its changes once.
    /// </summary>
    public static void Track(AppDbContext db, List<CampaignCounter> pending)
    {
        foreach (var stale in pending)
        {
            if (db.Entry(stale).State == EntityState.Added)
            {
                db.Entry(stale).State = EntityState.Detached;
            }
        }

        pending.Clear();
        Dictionary<(Guid CampaignId, string Key), (long Count, long Segments)>? deltas = null;
        void Add(Guid? campaignId, IEnumerable<(string Key, long Count, long Segments)> keys, int sign)
        {
            if (campaignId is not { } id)
            {
                return;
            }

            deltas ??= [];
            foreach (var (key, count, segments) in keys)
            {
                var current = deltas.GetValueOrDefault((id, key));
                deltas[(id, key)] = (current.Count + (sign * count), current.Segments + (sign * segments));
            }
        }

        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State is EntityState.Unchanged or EntityState.Detached)
            {
                continue;
            }

            switch (entry.Entity)
            {
                case Message:
                    Count(entry, v => v.GetValue<Guid?>(nameof(Message.CampaignId)), v => CounterKeys.ForMessage(MessageFacts(v)), Add);
                    break;
                case Contact:
                    Count(entry, v => v.GetValue<Guid>(nameof(Contact.CampaignId)), v => CounterKeys.ForContact(ContactFacts(v)), Add);
                    break;
                case SurveyResponse:
                    Count(entry, v => v.GetValue<Guid>(nameof(SurveyResponse.CampaignId)),
                        v => [(CounterKeys.Survey(v.GetValue<Guid>(nameof(SurveyResponse.StepId)), v.GetValue<string>(nameof(SurveyResponse.Answer))), 1, 0)], Add);
                    break;
                case Campaign campaign when entry.State == EntityState.Added:
                    Add(campaign.Id, [(CounterKeys.Complete, 1, 0)], 1);
                    break;
            }
        }

        foreach (var ((campaignId, key), (count, segments)) in deltas ?? [])
        {
            if (count != 0 || segments != 0)
            {
                var row = new CampaignCounter { CampaignId = campaignId, Key = key, Count = count, Segments = segments };
                db.Add(row);
                pending.Add(row);
            }
        }
    }

    private static void Count(EntityEntry entry, Func<PropertyValues, Guid?> campaign, Func<PropertyValues, IEnumerable<(string, long, long)>> keys,
        Action<Guid?, IEnumerable<(string, long, long)>, int> add)
    {
        if (entry.State is EntityState.Modified or EntityState.Deleted)
        {
            add(campaign(entry.OriginalValues), keys(entry.OriginalValues), -1);
        }

        if (entry.State is EntityState.Modified or EntityState.Added)
        {
            add(campaign(entry.CurrentValues), keys(entry.CurrentValues), 1);
        }
    }

    private static CounterKeys.MessageFacts MessageFacts(PropertyValues v) => new(
        v.GetValue<MessageDirection>(nameof(Message.Direction)), v.GetValue<MessageKind>(nameof(Message.Kind)), v.GetValue<MessageStatus>(nameof(Message.Status)),
        v.GetValue<int?>(nameof(Message.ErrorCode)), v.GetValue<string?>(nameof(Message.Carrier)), v.GetValue<Guid?>(nameof(Message.TexterUserId)),
        v.GetValue<bool>(nameof(Message.HasTrackedLink)), v.GetValue<int>(nameof(Message.Segments)), v.GetValue<DateTime>(nameof(Message.CreatedUtc)),
        v.GetValue<Guid?>(nameof(Message.ContactId)), v.GetValue<double?>(nameof(Message.ResponseSeconds)));

    private static CounterKeys.ContactFacts ContactFacts(PropertyValues v) => new(
        v.GetValue<ConversationStatus>(nameof(Contact.ConversationStatus)), v.GetValue<DateTime?>(nameof(Contact.LastMessageUtc)),
        v.GetValue<DateTime?>(nameof(Contact.LastInboundUtc)), v.GetValue<string>(nameof(Contact.Tags)));

    /// <summary>Counts added outside the change tracker (the importer's bulk insert), saved with the caller's next save.</summary>
    public static void Add(AppDbContext db, Guid campaignId, string key, long count)
    {
        if (count != 0)
        {
            db.Add(new CampaignCounter { CampaignId = campaignId, Key = key, Count = count });
        }
    }

    /// <summary>
    /// The counters of these campaigns, each key summed over its rows. A campaign without complete counters (created
    /// before counters existed) is counted from its rows first, once.
    /// </summary>
    public static async Task<Dictionary<Guid, Dictionary<string, Value>>> ReadAsync(AppDbContext db, IReadOnlyCollection<Guid> campaignIds, CancellationToken ct)
    {
        var counters = await SumAsync(db, campaignIds, ct);
        var incomplete = campaignIds.Where(id => !counters.TryGetValue(id, out var keys) || !keys.ContainsKey(CounterKeys.Complete)).ToList();
        if (incomplete.Count > 0)
        {
            foreach (var id in incomplete)
            {
                await RebuildAsync(db, id, force: false, ct);
            }

            foreach (var (id, keys) in await SumAsync(db, incomplete, ct))
            {
                counters[id] = keys;
            }
        }

        foreach (var id in campaignIds)
        {
            counters.TryAdd(id, []);
        }

        return counters;
    }

    private static async Task<Dictionary<Guid, Dictionary<string, Value>>> SumAsync(AppDbContext db, IReadOnlyCollection<Guid> campaignIds, CancellationToken ct)
    {
        var rows = await db.Set<CampaignCounter>().AsNoTracking().Where(c => campaignIds.Contains(c.CampaignId))
            .GroupBy(c => new { c.CampaignId, c.Key })
            .Select(g => new { g.Key.CampaignId, g.Key.Key, Count = g.Sum(c => c.Count), Segments = g.Sum(c => c.Segments) })
            .ToListAsync(ct);
        return rows.GroupBy(r => r.CampaignId).ToDictionary(g => g.Key, g => g.ToDictionary(r => r.Key, r => new Value(r.Count, r.Segments), StringComparer.Ordinal));
    }

    /// <summary>
    /// Every counter of one campaign computed from its rows with set-based GROUP BYs (the slow way the counters
    /// replace): what a rebuild writes, and what tests compare the counters with.
    /// </summary>
    public static async Task<Dictionary<string, Value>> CountFromRowsAsync(AppDbContext db, Guid campaignId, CancellationToken ct)
    {
        var result = new Dictionary<string, Value>(StringComparer.Ordinal) { [CounterKeys.Complete] = new(1, 0) };
        void Add(string key, long count, long segments)
        {
            var current = result.GetValueOrDefault(key) ?? new Value(0, 0);
            result[key] = new Value(current.Count + count, current.Segments + segments);
        }

        var contacts = await db.Contacts.IgnoreQueryFilters().Where(c => c.CampaignId == campaignId)
            .GroupBy(c => new { c.ConversationStatus, Replied = c.LastInboundUtc != null, Messaged = c.LastMessageUtc != null, c.Tags })
            .Select(g => new { g.Key.ConversationStatus, g.Key.Replied, g.Key.Messaged, g.Key.Tags, Count = g.Count() })
            .ToListAsync(ct);
        foreach (var group in contacts)
        {
            var facts = new CounterKeys.ContactFacts(group.ConversationStatus, group.Messaged ? DateTime.MinValue : null, group.Replied ? DateTime.MinValue : null, group.Tags);
            foreach (var (key, count, _) in CounterKeys.ForContact(facts))
            {
                Add(key, count * group.Count, 0);
            }
        }

        var messages = db.Messages.IgnoreQueryFilters().Where(m => m.CampaignId == campaignId);
        var groups = await messages
            .GroupBy(m => new { m.Direction, m.Kind, m.Status, m.ErrorCode, m.Carrier, m.TexterUserId, m.HasTrackedLink })
            .Select(g => new { g.Key.Direction, g.Key.Kind, g.Key.Status, g.Key.ErrorCode, g.Key.Carrier, g.Key.TexterUserId, g.Key.HasTrackedLink, Count = g.Count(), Segments = g.Sum(m => (long)m.Segments) })
            .ToListAsync(ct);
        foreach (var g in groups)
        {
            Add(CounterKeys.Message(g.Direction, g.Kind, g.Status, g.ErrorCode, g.TexterUserId, g.HasTrackedLink, g.Carrier), g.Count, g.Segments);
        }

        var hours = await messages.Where(m => m.Kind == MessageKind.Initial || m.Direction == MessageDirection.Inbound)
            .GroupBy(m => new { m.CreatedUtc.Date, m.CreatedUtc.Hour, m.Direction, m.Status })
            .Select(g => new { g.Key.Date, g.Key.Hour, g.Key.Direction, g.Key.Status, Count = g.Count() })
            .ToListAsync(ct);
        foreach (var h in hours)
        {
            Add(CounterKeys.Hour(DateTime.SpecifyKind(h.Date, DateTimeKind.Utc).AddHours(h.Hour), h.Direction, h.Status), h.Count, 0);
        }

        var answered = await messages
            .Where(m => m.Direction == MessageDirection.Inbound && m.ContactId != null && m.TexterUserId != null && m.ResponseSeconds != null)
            .GroupBy(m => m.TexterUserId).Select(g => new { Texter = g.Key, Count = g.Count() }).ToListAsync(ct);
        foreach (var a in answered)
        {
            Add(CounterKeys.AnsweredPrefix + a.Texter!.Value.ToString("N"), a.Count, 0);
        }

        var survey = await db.SurveyResponses.IgnoreQueryFilters().Where(r => r.CampaignId == campaignId)
            .GroupBy(r => new { r.StepId, r.Answer }).Select(g => new { g.Key.StepId, g.Key.Answer, Count = g.Count() }).ToListAsync(ct);
        foreach (var s in survey)
        {
            Add(CounterKeys.Survey(s.StepId, s.Answer), s.Count, 0);
        }

        return result;
    }

    /// <summary>
    /// Replaces a campaign's counters with counts from its rows, consistently with writers that keep adding counter rows
    /// meanwhile: SQLite's transaction holds the only write lock; on PostgreSQL the rebuild reads and deletes in one
    /// REPEATABLE READ snapshot, so a counter row committed after the snapshot survives and counts a change the snapshot
    /// did not see, and an advisory lock keeps rebuilds and compactions of the campaign apart. With
    /// <paramref name="force"/> false, a campaign whose counters are complete by then is left alone.
    /// </summary>
    public static async Task RebuildAsync(AppDbContext db, Guid campaignId, bool force, CancellationToken ct)
    {
        var npgsql = db.Database.IsNpgsql();
        await db.Database.OpenConnectionAsync(ct);
        try
        {
            if (npgsql)
            {
                await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_lock({LockKey(campaignId)})", ct);
            }

            try
            {
                await using var transaction = await db.Database.BeginTransactionAsync(npgsql ? IsolationLevel.RepeatableRead : IsolationLevel.Serializable, ct);
                var rows = db.Set<CampaignCounter>().Where(c => c.CampaignId == campaignId);
                if (!force && await rows.AnyAsync(c => c.Key == CounterKeys.Complete, ct))
                {
                    return;
                }

                await rows.ExecuteDeleteAsync(ct);
                var counts = await CountFromRowsAsync(db, campaignId, ct);
                db.AddRange(counts.Select(c => new CampaignCounter { CampaignId = campaignId, Key = c.Key, Count = c.Value.Count, Segments = c.Value.Segments }));
                await db.SaveChangesAsync(ct);
                await transaction.CommitAsync(ct);
            }
            finally
            {
                if (npgsql)
                {
                    await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_unlock({LockKey(campaignId)})", CancellationToken.None);
                }
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    /// <summary>Folds a campaign's counter rows into one row per key (keys that sum to nothing are dropped).</summary>
    public static async Task CompactAsync(AppDbContext db, Guid campaignId, CancellationToken ct)
    {
        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        if (db.Database.IsNpgsql())
        {
            // Rows another compaction deleted first are not RETURNED here, so two compactions never count a row twice.
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({LockKey(campaignId)})", ct);
            await db.Database.ExecuteSqlAsync($"""
                WITH gone AS (DELETE FROM "CampaignCounters" WHERE "CampaignId" = {campaignId} RETURNING "Key", "Count", "Segments")
                INSERT INTO "CampaignCounters" ("CampaignId", "Key", "Count", "Segments")
                SELECT {campaignId}, "Key", SUM("Count"), SUM("Segments") FROM gone GROUP BY "Key"
                HAVING SUM("Count") <> 0 OR SUM("Segments") <> 0
                """, ct);
        }
        else
        {
            // The transaction holds SQLite's only write lock: nothing can add a row between the sum and the delete.
            var sums = await SumAsync(db, [campaignId], ct);
            await db.Set<CampaignCounter>().Where(c => c.CampaignId == campaignId).ExecuteDeleteAsync(ct);
            db.AddRange(sums.GetValueOrDefault(campaignId, []).Where(s => s.Value.Count != 0 || s.Value.Segments != 0)
                .Select(s => new CampaignCounter { CampaignId = campaignId, Key = s.Key, Count = s.Value.Count, Segments = s.Value.Segments }));
            await db.SaveChangesAsync(ct);
        }

        await transaction.CommitAsync(ct);
    }

    /// <summary>Campaigns with at least <paramref name="threshold"/> counter rows more than keys: the ones worth compacting.</summary>
    public static Task<List<Guid>> CampaignsToCompactAsync(AppDbContext db, int threshold, CancellationToken ct) =>
        db.Set<CampaignCounter>().GroupBy(c => c.CampaignId)
            .Where(g => g.Count() - g.Select(c => c.Key).Distinct().Count() >= threshold)
            .Select(g => g.Key).ToListAsync(ct);

    private static long LockKey(Guid campaignId)
    {
        var bytes = campaignId.ToByteArray();
        return BitConverter.ToInt64(bytes, 0) ^ BitConverter.ToInt64(bytes, 8) ^ 0x436F756E74657273; // "Counters"
    }
}
