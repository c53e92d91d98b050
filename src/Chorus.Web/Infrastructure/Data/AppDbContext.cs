using System.Reflection;
using Chorus.Features.Accounts;
using Chorus.Features.Analytics.Counters;
using Chorus.Features.Audit;
using Chorus.Features.Campaigns;
using Chorus.Features.Contacts;
using Chorus.Features.Contacts.Uploads;
using Chorus.Features.OptOuts;
using Chorus.Features.Organizations;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Infrastructure.Data;

/// <summary>
/// The one model, shared by both providers. Provider-specific conventions live only in
/// <see cref="SqliteAppDbContext"/> and <see cref="PostgresAppDbContext"/>, each with its own migration set.
/// </summary>
/// <remarks>
/// The app leases instances from EF Core's context pool (<see cref="DatabaseModule"/>): a fresh context costs about as
/// much CPU to set up as a short query. A leased context acts for the lease's scope through <see cref="ActFor"/>, and
/// forgets that scope when returned, so a context used after its scope ended admits no organization's rows.
/// </remarks>
public abstract class AppDbContext(DbContextOptions options)
    : IdentityUserContext<AppUser, Guid>(options), IDataProtectionKeyContext
{
    private CurrentOrganization currentOrganization = new();

    /// <summary>The organization the tenant filter admits; <see cref="Guid.Empty"/> admits nothing.</summary>
    public Guid CurrentOrganizationId => currentOrganization.Id ?? Guid.Empty;

    /// <summary>The organization this context acts for, as its scope set it.</summary>
    internal CurrentOrganization Organization => currentOrganization;

    /// <summary>Binds the context (one leased from the pool, or one made by hand) to a scope's organization.</summary>
    internal AppDbContext ActFor(CurrentOrganization organization)
    {
        currentOrganization = organization;
        counterDeltas.Clear();
        return this;
    }

    public override void Dispose()
    {
        ActFor(new CurrentOrganization());
        base.Dispose();
        GC.SuppressFinalize(this);
    }

    public override async ValueTask DisposeAsync()
    {
        ActFor(new CurrentOrganization());
        await base.DisposeAsync();
        GC.SuppressFinalize(this);
    }

    public DbSet<Organization> Organizations => Set<Organization>();
    public DbSet<Membership> Memberships => Set<Membership>();
    public DbSet<JoinLink> JoinLinks => Set<JoinLink>();
    public DbSet<ApiToken> ApiTokens => Set<ApiToken>();
    public DbSet<SetupToken> SetupTokens => Set<SetupToken>();
    public DbSet<AuditEvent> AuditEvents => Set<AuditEvent>();
    public DbSet<Campaign> Campaigns => Set<Campaign>();
    public DbSet<CannedResponse> CannedResponses => Set<CannedResponse>();
    public DbSet<Contact> Contacts => Set<Contact>();
    public DbSet<ContactImport> ContactImports => Set<ContactImport>();
    public DbSet<ImportChunk> ImportChunks => Set<ImportChunk>();
    public DbSet<ImportRejection> ImportRejections => Set<ImportRejection>();
    public DbSet<OptOut> OptOuts => Set<OptOut>();
    public DbSet<Features.Messaging.Message> Messages => Set<Features.Messaging.Message>();
    public DbSet<Features.Messaging.MessageStatusChange> MessageStatusChanges => Set<Features.Messaging.MessageStatusChange>();
    public DbSet<Features.Messaging.PendingStatusReport> PendingStatusReports => Set<Features.Messaging.PendingStatusReport>();
    public DbSet<Features.Messaging.MessagingSettings> MessagingSettings => Set<Features.Messaging.MessagingSettings>();
    public DbSet<Features.Messaging.SendRateCounter> SendRateCounters => Set<Features.Messaging.SendRateCounter>();
    public DbSet<Features.Texting.Assignment> Assignments => Set<Features.Texting.Assignment>();
    public DbSet<Features.Texting.SurveyResponse> SurveyResponses => Set<Features.Texting.SurveyResponse>();
    public DbSet<Features.Records.RetentionPolicy> RetentionPolicies => Set<Features.Records.RetentionPolicy>();
    public DbSet<Features.Texting.HelpThread> HelpThreads => Set<Features.Texting.HelpThread>();
    public DbSet<Features.Texting.HelpMessage> HelpMessages => Set<Features.Texting.HelpMessage>();
    public DbSet<Features.Analytics.Exports.Export> Exports => Set<Features.Analytics.Exports.Export>();
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<Features.Analytics.AnalyticsSettings> AnalyticsSettings => Set<Features.Analytics.AnalyticsSettings>();
    public DbSet<Features.Integrations.Integration> Integrations => Set<Features.Integrations.Integration>();
    public DbSet<Features.Integrations.IntegrationDelivery> IntegrationDeliveries => Set<Features.Integrations.IntegrationDelivery>();
    public DbSet<Features.Integrations.SyncRun> SyncRuns => Set<Features.Integrations.SyncRun>();
    public DbSet<Features.Links.TrackedLink> TrackedLinks => Set<Features.Links.TrackedLink>();
    public DbSet<Features.Links.LinkClick> LinkClicks => Set<Features.Links.LinkClick>();
    public DbSet<CampaignCounter> CampaignCounters => Set<CampaignCounter>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.Entity<AppUser>().ToTable("Users");
        builder.Entity<Microsoft.AspNetCore.Identity.IdentityUserClaim<Guid>>().ToTable("UserClaims");
        builder.Entity<Microsoft.AspNetCore.Identity.IdentityUserLogin<Guid>>().ToTable("UserLogins");
        builder.Entity<Microsoft.AspNetCore.Identity.IdentityUserToken<Guid>>().ToTable("UserTokens");
        builder.ApplyConfigurationsFromAssembly(typeof(AppDbContext).Assembly);
        QueryHints.Register(builder, Database.IsSqlite());

        var applyFilter = typeof(AppDbContext).GetMethod(nameof(ApplyOrganizationFilter), BindingFlags.NonPublic | BindingFlags.Instance)!;
        foreach (var entity in builder.Model.GetEntityTypes().Where(e => typeof(IOrganizationOwned).IsAssignableFrom(e.ClrType)))
        {
            applyFilter.MakeGenericMethod(entity.ClrType).Invoke(this, [builder]);
        }
    }

    // Each save detects changes once, then turns automatic detection off while the audit bookkeeping and EF's own
    // save run: measured on a 1,500-entity dispatch save, every ChangeTracker.Entries call otherwise re-scanned all
    // tracked entities (three scans per save, 8% of dispatch CPU). Sealing only sets plain properties of Added
    // entries, which EF reads from the entities when it writes them.
    public override int SaveChanges(bool acceptAllChangesOnSuccess)
    {
        var autoDetect = ChangeTracker.AutoDetectChangesEnabled;
        if (autoDetect)
        {
            ChangeTracker.DetectChanges();
        }

        ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            Features.Analytics.Counters.CampaignCounters.Track(this, counterDeltas);
            AuditChain.Seal(this, AuditChain.Pending(this));
            var saved = base.SaveChanges(acceptAllChangesOnSuccess);
            ForgetCounterDeltas();
            return saved;
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = autoDetect;
        }
    }

    public override Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default) =>
        SaveTrackedAsync(acceptAllChangesOnSuccess, inBulk: false, cancellationToken);

    /// <summary>
    /// A save for a pass that writes hundreds of messages and contacts at once (the dispatcher, the inbound batch): the
    /// same counters, audit sealing and single transaction as <see cref="SaveChangesAsync(bool, CancellationToken)"/>,
    /// but on SQLite the new and changed messages, changed contacts and new status changes are written by
    /// <see cref="SqliteBulkRows"/>. If it throws, the context's tracked state no longer matches the database: discard
    /// the context, as its callers do.
    /// </summary>
    public Task<int> SaveChangesInBulkAsync(CancellationToken ct) => SaveTrackedAsync(true, inBulk: Database.IsSqlite(), ct);

    private async Task<int> SaveTrackedAsync(bool acceptAllChangesOnSuccess, bool inBulk, CancellationToken cancellationToken)
    {
        var autoDetect = ChangeTracker.AutoDetectChangesEnabled;
        if (autoDetect)
        {
            ChangeTracker.DetectChanges();
        }

        ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            Features.Analytics.Counters.CampaignCounters.Track(this, counterDeltas);

            // Taken after the in-memory bookkeeping, so the serial part of a save is only its writes.
            using var gate = await WriteTurnAsync(cancellationToken);
            var saved = inBulk ? await SaveInBulkAsync(acceptAllChangesOnSuccess, cancellationToken) : await SaveSealedAsync(acceptAllChangesOnSuccess, cancellationToken);
            ForgetCounterDeltas();
            return saved;
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = autoDetect;
        }
    }

    private async Task<int> SaveInBulkAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        var owned = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
        try
        {
            var written = SqliteBulkRows.Write(this);
            var saved = await SaveSealedAsync(acceptAllChangesOnSuccess, cancellationToken, inBulk: true);
            if (owned is not null)
            {
                await owned.CommitAsync(cancellationToken);
            }

            return written + saved;
        }
        finally
        {
            if (owned is not null)
            {
                await owned.DisposeAsync();
            }
        }
    }

    // The counter rows of the changes being saved (Features/Analytics/Counters): recomputed by every save attempt, and
    // no longer tracked once written, so a long-lived context does not accumulate them.
    private readonly List<CampaignCounter> counterDeltas = [];

    private void ForgetCounterDeltas()
    {
        foreach (var row in counterDeltas)
        {
            Entry(row).State = EntityState.Detached;
        }

        counterDeltas.Clear();
    }

    private async Task<int> SaveSealedAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken, bool inBulk = false)
    {
        var pending = AuditChain.Pending(this);
        if (pending.Count == 0)
        {
            var counted = inBulk ? SqliteBulkRows.WriteSealed(this) : 0;
            return counted + await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
        }

        for (var attempt = 1; ; attempt++)
        {
            // Number the entries inside the write transaction, after taking the organization's chain: two saves can
            // then never pick the same sequence number (SQLite: the transaction holds the database's write lock from
            // its start; PostgreSQL: a transaction-scoped advisory lock per organization). Measured under 32 concurrent
            // webhooks, reading the last entry before the transaction made half of all saves collide and retry.
            var owned = Database.CurrentTransaction is null ? await Database.BeginTransactionAsync(cancellationToken) : null;
            try
            {
                await LockAuditChainsAsync([.. pending.Select(p => p.OrganizationId)], cancellationToken);
                await AuditChain.SealAsync(this, pending, cancellationToken);
                // In bulk, the sealed entries and the counter rows go by prepared statement too (SqliteBulkRows).
                var sealedInBulk = inBulk ? SqliteBulkRows.WriteSealed(this) : 0;
                var saved = sealedInBulk + await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
                if (owned is not null)
                {
                    await owned.CommitAsync(cancellationToken);
                }

                return saved;
            }
            catch (DbUpdateException ex) when (attempt < MaxAuditSaveAttempts && owned is not null && AuditChain.IsSequenceCollision(ex))
            {
                // Only a writer that does not take the lock (an older instance during a rolling upgrade) can collide;
                // the failed save was rolled back as a whole, so re-seal and retry.
                await owned.RollbackAsync(CancellationToken.None);
                await Task.Delay(Random.Shared.Next(1, 5 * attempt), cancellationToken);
            }
            finally
            {
                if (owned is not null)
                {
                    await owned.DisposeAsync();
                }
            }
        }
    }

    /// <summary>
    /// This process's turn to write, taken around a save that opens its own write transaction and around a statement
    /// that writes outside one (the dispatcher's claim, the send-rate counters), and released when the write is over:
    /// writers queue here instead of sleeping in SQLite's busy handler. Null inside a transaction, which already holds
    /// the database's write lock, and where the provider needs no gate. Not re-entrant: never take it twice.
    /// </summary>
    public Task<IDisposable?> WriteTurnAsync(CancellationToken ct) =>
        Database.CurrentTransaction is null ? EnterWriteGateAsync(ct) : Task.FromResult<IDisposable?>(null);

    /// <summary>Whether another save is waiting for the write turn, so a long transaction holding it should end soon.</summary>
    public virtual bool WriteTurnWanted => false;

    /// <summary>The gate behind <see cref="WriteTurnAsync"/>; null when the provider needs none.</summary>
    protected virtual Task<IDisposable?> EnterWriteGateAsync(CancellationToken ct) => Task.FromResult<IDisposable?>(null);

    /// <summary>
    /// Serializes audit appends of these organizations until the current transaction ends. SQLite needs nothing: its
    /// transactions begin IMMEDIATE and so already hold the only write lock.
    /// </summary>
    protected virtual Task LockAuditChainsAsync(IReadOnlyList<Guid> organizationIds, CancellationToken ct) => Task.CompletedTask;

    private const int MaxAuditSaveAttempts = 30;

    protected override void ConfigureConventions(ModelConfigurationBuilder configurationBuilder)
    {
        // Every timestamp is UTC; SQLite forgets DateTimeKind, so mark it on the way back in.
        configurationBuilder.Properties<DateTime>().HaveConversion<UtcDateTimeConverter>();
        configurationBuilder.Properties<DateTime?>().HaveConversion<NullableUtcDateTimeConverter>();
    }

    private void ApplyOrganizationFilter<TEntity>(ModelBuilder builder)
        where TEntity : class, IOrganizationOwned
        => builder.Entity<TEntity>().HasQueryFilter(e => e.OrganizationId == CurrentOrganizationId);
}
