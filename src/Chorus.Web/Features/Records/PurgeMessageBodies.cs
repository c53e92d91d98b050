using System.Security.Claims;
using Chorus.Features.Audit;
using Chorus.Features.Messaging;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Chorus.Features.Records;

/// <summary>
/// Replaces the bodies of an organization's messages older than its retention period with
/// <see cref="Message.PurgedBody"/>, stamping <see cref="Message.BodyPurgedUtc"/>. Everything else about a message
/// (direction, kind, status, history, error codes, segments, texter, timestamps) stays, and so do opt-outs and the
/// audit log: the purge never touches those tables. The dry run counts the same rows and changes nothing.
/// </summary>
public static class PurgeMessageBodies
{
    /// <summary>What a purge changed, or a dry run would change: messages and the range of their creation times.</summary>
    public sealed record Result(long Messages, DateTime? OldestUtc, DateTime? NewestUtc, DateTime CutoffUtc, int MessageBodyYears);

    /// <summary>
    /// Messages whose body may go. Messages still in flight (queued, being sent, outcome unknown) keep theirs: the
    /// dispatcher and the reconciler still need the text.
    /// </summary>
    private static IQueryable<Message> Purgeable(AppDbContext db, Guid organizationId, DateTime cutoffUtc) =>
        db.Messages.IgnoreQueryFilters().Where(m => m.OrganizationId == organizationId && m.BodyPurgedUtc == null && m.CreatedUtc < cutoffUtc
            && m.Status != MessageStatus.Queued && m.Status != MessageStatus.Sending && m.Status != MessageStatus.Unknown);

    public static async Task<Result> DryRunAsync(Guid organizationId, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var years = await RetentionSettings.YearsAsync(db, organizationId, ct);
        var cutoff = RetentionPolicy.CutoffFor(clock.GetUtcNow().UtcDateTime, years);
        var stats = await Purgeable(db, organizationId, cutoff)
            .GroupBy(_ => 1)
            .Select(g => new { Count = g.LongCount(), Oldest = g.Min(m => m.CreatedUtc), Newest = g.Max(m => m.CreatedUtc) })
            .FirstOrDefaultAsync(ct);
        return stats is null ? new Result(0, null, null, cutoff, years) : new Result(stats.Count, stats.Oldest, stats.Newest, cutoff, years);
    }

    /// <summary>
    /// Purges in batches of <paramref name="batchSize"/>, each its own short statement. Purged rows leave the
    /// (OrganizationId, BodyPurgedUtc, CreatedUtc) index range the next batch reads, so every batch starts where the
    /// last one ended without re-reading it. One audit entry per run: always when a person asked, and for scheduled
    /// runs only when something was purged (a daily "nothing to do" entry would bury the log).
    /// </summary>
    public static async Task<Result> RunAsync(
        Guid organizationId, AuditActor actor, string trigger, int batchSize, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var years = await RetentionSettings.YearsAsync(db, organizationId, ct);
        var now = clock.GetUtcNow().UtcDateTime;
        var cutoff = RetentionPolicy.CutoffFor(now, years);
        long purged = 0;
        DateTime? oldest = null, newest = null;
        while (true)
        {
            var batch = await Purgeable(db, organizationId, cutoff).OrderBy(m => m.CreatedUtc).Take(batchSize)
                .Select(m => new { m.Id, m.CreatedUtc }).ToListAsync(ct);
            if (batch.Count == 0)
            {
                break;
            }

            var ids = batch.Select(b => b.Id).ToList();
            purged += await db.Messages.IgnoreQueryFilters()
                .Where(m => ids.Contains(m.Id) && m.BodyPurgedUtc == null)
                .ExecuteUpdateAsync(s => s.SetProperty(m => m.Body, Message.PurgedBody).SetProperty(m => m.BodyPurgedUtc, now), ct);
            oldest ??= batch[0].CreatedUtc;
            newest = batch[^1].CreatedUtc;
            if (batch.Count < batchSize)
            {
                break;
            }
        }

        var result = new Result(purged, oldest, newest, cutoff, years);
        if (purged > 0 || trigger != Scheduled)
        {
            AuditEvent.Record(db, organizationId, actor, "retention.purged", "messages",
                new { messages = purged, oldestUtc = oldest, newestUtc = newest, cutoffUtc = cutoff, messageBodyYears = years, trigger }, now);
            await db.SaveChangesAsync(ct);
        }

        return result;
    }

    public const string Scheduled = "schedule";
    public const string Manual = "manual";

    public static async Task<Ok<Result>> HandleDryRunAsync(CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
        TypedResults.Ok(await DryRunAsync(current.Id!.Value, db, clock, ct));

    public static async Task<Ok<Result>> HandlePurgeAsync(
        ClaimsPrincipal user, CurrentOrganization current, AppDbContext db, TimeProvider clock, IOptions<RetentionOptions> options, CancellationToken ct) =>
        TypedResults.Ok(await RunAsync(current.Id!.Value, user.AsAuditActor(), Manual, options.Value.BatchSize, db, clock, ct));
}
