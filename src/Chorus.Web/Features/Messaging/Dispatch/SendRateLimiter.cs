using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Messaging.Dispatch;

/// <summary>
/// Throughput limits shared by every instance: one counter row per key and time window, taken with a single
/// upsert-and-return statement (SQLite ≥ 3.35 and PostgreSQL both have <c>ON CONFLICT … RETURNING</c>), so two
/// dispatchers can never both spend the same second's allowance.
/// </summary>
public static class SendRateLimiter
{
    /// <summary>Takes up to <paramref name="wanted"/> sends from the window's allowance and returns how many were granted.</summary>
    public static async Task<int> TakeAsync(AppDbContext db, string key, long window, int wanted, int limit, CancellationToken ct)
    {
        if (wanted <= 0)
        {
            return 0;
        }

        // Both statements write: outside a transaction they wait their turn at the write gate, as the claim does,
        // instead of sleeping in SQLite's busy handler or making a save that holds the gate sleep there.
        using var gate = await db.WriteTurnAsync(ct);
        var total = await db.Database.SqlQuery<int>($"""
            INSERT INTO "SendRateCounters" ("Key", "Window", "Count") VALUES ({key}, {window}, {wanted})
            ON CONFLICT ("Key", "Window") DO UPDATE SET "Count" = "SendRateCounters"."Count" + excluded."Count"
            RETURNING "Count" AS "Value"
            """).ToListAsync(ct);
        var before = total[0] - wanted;
        var granted = Math.Clamp(limit - before, 0, wanted);
        if (granted < wanted)
        {
            // Give back what this window cannot afford, so the next window's arithmetic stays exact.
            await db.Database.ExecuteSqlAsync($"""UPDATE "SendRateCounters" SET "Count" = "Count" - {wanted - granted} WHERE "Key" = {key} AND "Window" = {window}""", ct);
        }

        return granted;
    }

    /// <summary>Drops windows older than <paramref name="olderThan"/> (unix seconds).</summary>
    public static Task<int> PruneAsync(AppDbContext db, long olderThan, CancellationToken ct) =>
        db.SendRateCounters.Where(c => c.Window < olderThan && !c.Key.StartsWith("day:")).ExecuteDeleteAsync(ct);
}
