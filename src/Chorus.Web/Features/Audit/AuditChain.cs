using System.Linq.Expressions;
using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Audit;

/// <summary>
/// Seals recorded audit entries just before they are saved: gives each its organization's next sequence number
/// and chains its hash to the previous entry. Two concurrent saves in one organization can both pick the same
/// next number; the unique index on (OrganizationId, Sequence) refuses the second, and
/// <see cref="AppDbContext"/> re-seals and retries it.
/// </summary>
public static class AuditChain
{
    /// <summary>
    /// The entries waiting to be saved, per organization in the order they are chained; refuses any attempt to
    /// change or remove a stored entry (the record is append-only). One pass over the tracked audit entries: call it
    /// after <see cref="Microsoft.EntityFrameworkCore.ChangeTracking.ChangeTracker.DetectChanges"/> with automatic
    /// detection off, as <see cref="AppDbContext"/> does, so that it does not scan every tracked entity again.
    /// </summary>
    public static IReadOnlyList<(Guid OrganizationId, List<AuditEvent> Entries)> Pending(AppDbContext db)
    {
        List<AuditEvent>? added = null;
        foreach (var entry in db.ChangeTracker.Entries<AuditEvent>())
        {
            switch (entry.State)
            {
                case EntityState.Modified or EntityState.Deleted:
                    throw new InvalidOperationException("Audit events are append-only; they cannot be changed or deleted.");
                case EntityState.Added:
                    (added ??= []).Add(entry.Entity);
                    break;
            }
        }

        return added is null
            ? []
            : [.. added.GroupBy(e => e.OrganizationId).Select(g => (g.Key, g.OrderBy(e => e.OccurredUtc).ThenBy(e => e.RecordedOrder).ToList()))];
    }

    private sealed record Link(long Sequence, string Hash);

    // Every save that records something runs it, inside its write transaction: compiled, so it holds the write lock
    // for less time. One query, compiled for the async save and for the synchronous one.
    private static readonly Expression<Func<AppDbContext, Guid, Link?>> LastLink = (db, organizationId) => db.AuditEvents.IgnoreQueryFilters()
        .Where(e => e.OrganizationId == organizationId)
        .OrderByDescending(e => e.Sequence)
        .Select(e => new Link(e.Sequence, e.Hash))
        .FirstOrDefault();

    private static readonly CompiledQuery<Func<AppDbContext, Guid, Task<Link?>>> LastAsync = new(() => EF.CompileAsyncQuery(LastLink));

    private static readonly CompiledQuery<Func<AppDbContext, Guid, Link?>> Last = new(() => EF.CompileQuery(LastLink));

    public static async Task SealAsync(AppDbContext db, IReadOnlyList<(Guid OrganizationId, List<AuditEvent> Entries)> pending, CancellationToken ct)
    {
        foreach (var (organizationId, entries) in pending)
        {
            ct.ThrowIfCancellationRequested(); // the compiled query shared with Seal takes no token
            var last = await LastAsync.For(db)(db, organizationId);
            Chain(entries, last?.Sequence ?? 0, last?.Hash ?? AuditEvent.GenesisHash);
        }
    }

    public static void Seal(AppDbContext db, IReadOnlyList<(Guid OrganizationId, List<AuditEvent> Entries)> pending)
    {
        foreach (var (organizationId, entries) in pending)
        {
            var last = Last.For(db)(db, organizationId);
            Chain(entries, last?.Sequence ?? 0, last?.Hash ?? AuditEvent.GenesisHash);
        }
    }

    /// <summary>
    /// Whether a failed save failed on the audit chain's own unique index (two saves took the same sequence number),
    /// which a re-seal fixes; any other constraint (a duplicate webhook, say) is the caller's to handle, at once.
    /// </summary>
    public static bool IsSequenceCollision(DbUpdateException exception) =>
        exception.InnerException?.Message.Contains("AuditEvents", StringComparison.Ordinal) ?? true;

    private static void Chain(List<AuditEvent> entries, long lastSequence, string lastHash)
    {
        foreach (var entry in entries)
        {
            entry.Sequence = ++lastSequence;
            entry.PreviousHash = lastHash;
            entry.Hash = entry.ComputeHash();
            lastHash = entry.Hash;
        }
    }
}
