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
    public static async Task SealPendingAsync(AppDbContext db, CancellationToken ct)
    {
        var pending = PendingByOrganization(db);
        foreach (var (organizationId, entries) in pending)
        {
            var last = await db.AuditEvents.IgnoreQueryFilters()
                .Where(e => e.OrganizationId == organizationId)
                .OrderByDescending(e => e.Sequence)
                .Select(e => new { e.Sequence, e.Hash })
                .FirstOrDefaultAsync(ct);
            Chain(entries, last?.Sequence ?? 0, last?.Hash ?? AuditEvent.GenesisHash);
        }
    }

    public static void SealPending(AppDbContext db)
    {
        foreach (var (organizationId, entries) in PendingByOrganization(db))
        {
            var last = db.AuditEvents.IgnoreQueryFilters()
                .Where(e => e.OrganizationId == organizationId)
                .OrderByDescending(e => e.Sequence)
                .Select(e => new { e.Sequence, e.Hash })
                .FirstOrDefault();
            Chain(entries, last?.Sequence ?? 0, last?.Hash ?? AuditEvent.GenesisHash);
        }
    }

    /// <summary>
    /// Whether a failed save failed on the audit chain's own unique index (two saves took the same sequence number),
    /// which a re-seal fixes; any other constraint (a duplicate webhook, say) is the caller's to handle, at once.
    /// </summary>
    public static bool IsSequenceCollision(DbUpdateException exception) =>
        exception.InnerException?.Message.Contains("AuditEvents", StringComparison.Ordinal) ?? true;

    public static IReadOnlyList<Guid> PendingOrganizations(AppDbContext db) =>
        [.. db.ChangeTracker.Entries<AuditEvent>().Where(e => e.State == EntityState.Added).Select(e => e.Entity.OrganizationId).Distinct()];

    public static bool HasPending(AppDbContext db) =>
        db.ChangeTracker.Entries<AuditEvent>().Any(e => e.State == EntityState.Added);

    /// <summary>The record is append-only: refuse any attempt to change or remove a stored entry.</summary>
    public static void EnsureAppendOnly(AppDbContext db)
    {
        if (db.ChangeTracker.Entries<AuditEvent>().Any(e => e.State is EntityState.Modified or EntityState.Deleted))
        {
            throw new InvalidOperationException("Audit events are append-only; they cannot be changed or deleted.");
        }
    }

    private static List<(Guid OrganizationId, List<AuditEvent> Entries)> PendingByOrganization(AppDbContext db) =>
        [.. db.ChangeTracker.Entries<AuditEvent>()
            .Where(e => e.State == EntityState.Added)
            .Select(e => e.Entity)
            .GroupBy(e => e.OrganizationId)
            .Select(g => (g.Key, g.OrderBy(e => e.OccurredUtc).ThenBy(e => e.Id).ToList()))];

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
