using System.Globalization;
using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Analytics.Exports;

/// <summary>
/// The organization's audit log in chain order, with each entry's hashes, so the file itself can be checked against
/// the chain (see Features/Audit/README.md). Pages by sequence number.
/// </summary>
public static class AuditExport
{
    public static readonly IReadOnlyList<string> Header =
        ["sequence", "occurred_utc", "actor", "actor_user_id", "action", "subject", "data", "previous_hash", "hash"];

    public static Task<int> CountAsync(AppDbContext db, CancellationToken ct) => db.AuditEvents.AsNoTracking().CountAsync(ct);

    private sealed record Row(long Sequence, DateTime OccurredUtc, string Actor, Guid? ActorUserId, string Action, string Subject, string Data, string PreviousHash, string Hash);

    public static async Task WriteAsync(AppDbContext db, CsvSink sink, CancellationToken ct)
    {
        await sink.HeaderAsync(Header);
        long after = 0;
        while (true)
        {
            var page = await db.AuditEvents.AsNoTracking().Where(e => e.Sequence > after).OrderBy(e => e.Sequence).Take(sink.PageSize)
                .Select(e => new Row(e.Sequence, e.OccurredUtc, e.Actor, e.ActorUserId, e.Action, e.Subject, e.Data, e.PreviousHash, e.Hash))
                .ToListAsync(ct);
            if (page.Count == 0)
            {
                break;
            }

            foreach (var e in page)
            {
                // Microseconds, as the hash covers them. Actor names, subjects and data can carry what people typed (names, reasons): all untrusted.
                sink.Value(e.Sequence).Value(e.OccurredUtc.ToString("yyyy-MM-dd HH:mm:ss.ffffff", CultureInfo.InvariantCulture)).Text(e.Actor).Value(e.ActorUserId).Text(e.Action).Text(e.Subject).Text(e.Data)
                    .Value(e.PreviousHash).Value(e.Hash);
                await sink.EndRowAsync();
            }

            await sink.PageWrittenAsync(page.Count, ct);
            if (page.Count < sink.PageSize)
            {
                break;
            }

            after = page[^1].Sequence;
        }
    }
}
