using Microsoft.EntityFrameworkCore;

namespace Chorus.Infrastructure.Data;

/// <summary>A context starts acting for no organization; <see cref="AppDbContext.ActFor"/> binds it to one.</summary>
public sealed class SqliteAppDbContext(DbContextOptions<SqliteAppDbContext> options) : AppDbContext(options)
{
    protected override Task<IDisposable?> EnterWriteGateAsync(CancellationToken ct) =>
        SqliteWriteGate.EnterAsync(Database.GetDbConnection().DataSource, ct);

    public override bool WriteTurnWanted => SqliteWriteGate.HasWaiters(Database.GetDbConnection().DataSource);
}
