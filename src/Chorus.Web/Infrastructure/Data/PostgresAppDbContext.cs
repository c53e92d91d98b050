using Microsoft.EntityFrameworkCore;

namespace Chorus.Infrastructure.Data;

/// <summary>A context starts acting for no organization; <see cref="AppDbContext.ActFor"/> binds it to one.</summary>
public sealed class PostgresAppDbContext(DbContextOptions<PostgresAppDbContext> options) : AppDbContext(options)
{
    protected override async Task LockAuditChainsAsync(IReadOnlyList<Guid> organizationIds, CancellationToken ct)
    {
        // In id order, so two saves spanning the same organizations cannot deadlock.
        foreach (var id in organizationIds.Order())
        {
            var key = BitConverter.ToInt64(id.ToByteArray(), 0) ^ BitConverter.ToInt64(id.ToByteArray(), 8);
            await Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({key})", ct);
        }
    }
}
