using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Chorus.Features.Contacts.Uploads;

/// <summary>
/// Claims stored uploads one at a time and runs them. Any instance may run it: the claim is one conditional UPDATE,
/// and an import whose worker stopped showing signs of life (no committed batch for <see cref="StaleAfter"/>) is taken
/// over and resumed from its last committed batch.
/// </summary>
public sealed class ContactImportWorker(IServiceScopeFactory scopes, ImportSignal signal, Microsoft.Extensions.Options.IOptions<ContactsOptions> options, ILogger<ContactImportWorker> logger) : BackgroundService
{
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RunImportWorker)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            long bytesImported = 0;
            try
            {
                while (await RunNextAsync(scopes, stoppingToken) is { } bytes)
                {
                    bytesImported += bytes;
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "The contact import worker's pass failed; it will try again.");
            }

            if (bytesImported >= ReturnMemoryAfterBytes)
            {
                ReturnMemory();
            }

            await signal.WaitAsync(PollInterval, stoppingToken);
        }
    }

    /// <summary>
    /// Gives the memory an import grew to back to the system once no import is waiting: one blocking, compacting
    /// collection that decommits what the heap no longer uses (33–57 ms after a million rows), and the C library's free
    /// pages (SQLite's import cache). Without it a server that had imported a million rows stayed at 355 MB (SQLite) or
    /// 369–381 MB (PostgreSQL) while idle, and its next import peaked from there: 429 MB and 412–454 MB. With it,
    /// 241–246 MB idle and 357–362 MB peak on SQLite, 254–276 MB and 385–428 MB on PostgreSQL (BENCHMARKS.md). Only
    /// after files of <see cref="ReturnMemoryAfterBytes"/> or more: the collection pauses every thread of the process,
    /// and a small list leaves nothing to give back.
    /// </summary>
    private static void ReturnMemory()
    {
        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        NativeHeap.Trim();
    }

    /// <summary>Bytes of uploaded files imported in one spell (about 200,000 rows) before <see cref="ReturnMemory"/> runs.</summary>
    private const long ReturnMemoryAfterBytes = 16 * 1024 * 1024;

    /// <summary>Claims and runs one import, if any is waiting. Returns whether it found one. Tests call it directly.</summary>
    public static async Task<bool> RunOnceAsync(IServiceScopeFactory scopes, CancellationToken ct) => await RunNextAsync(scopes, ct) is not null;

    /// <summary>
    /// Claims and runs one import, if any is waiting: null when none is, else the size of the file it ran (0 when another
    /// instance claimed it first).
    /// </summary>
    private static async Task<long?> RunNextAsync(IServiceScopeFactory scopes, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var now = clock.GetUtcNow().UtcDateTime;
        var stale = now - StaleAfter;
        var waiting = await db.ContactImports.IgnoreQueryFilters()
            .Where(i => i.Status == ImportStatus.Queued || (i.Status == ImportStatus.Running && i.HeartbeatUtc < stale))
            .OrderBy(i => i.CreatedUtc)
            .Select(i => new { i.Id, i.FileBytes })
            .FirstOrDefaultAsync(ct);
        if (waiting is not { Id: var candidate })
        {
            return null;
        }

        var token = Guid.NewGuid();
        var claimed = await db.ContactImports.IgnoreQueryFilters()
            .Where(i => i.Id == candidate && (i.Status == ImportStatus.Queued || (i.Status == ImportStatus.Running && i.HeartbeatUtc < stale)))
            .ExecuteUpdateAsync(s => s
                .SetProperty(i => i.Status, ImportStatus.Running)
                .SetProperty(i => i.ClaimToken, token)
                .SetProperty(i => i.HeartbeatUtc, now)
                .SetProperty(i => i.StartedUtc, i => i.StartedUtc ?? now), ct);
        if (claimed == 0)
        {
            return 0; // another instance took it first; look again
        }

        var settings = scope.ServiceProvider.GetRequiredService<IOptions<ContactsOptions>>().Value;
        // The stored file is read on a connection of its own, and on PostgreSQL batches are written on two more, side by
        // side (ContactImporter.WriteDbs); a context costs nothing until it is used.
        await using var fileScope = scopes.CreateAsyncScope();
        await using var laneA = scopes.CreateAsyncScope();
        await using var laneB = scopes.CreateAsyncScope();
        var writer = scope.ServiceProvider.GetRequiredService<ContactBulkWriter>();
        var importer = new ContactImporter(db, writer, clock, scope.ServiceProvider.GetRequiredService<ILogger<ContactImporter>>())
        {
            BatchSize = settings.ImportBatchSize ?? writer.DefaultBatchSize,
            YieldAfterRows = settings.ImportYieldAfterRows,
            MaxFileBytes = settings.MaxUploadBytes,
            FileDb = fileScope.ServiceProvider.GetRequiredService<AppDbContext>(),
            WriteDbs = [laneA.ServiceProvider.GetRequiredService<AppDbContext>(), laneB.ServiceProvider.GetRequiredService<AppDbContext>()],
        };
        try
        {
            await importer.RunAsync(candidate, ct);
        }
        catch (Exception ex) when (ex is not OperationCanceledException and not DbUpdateConcurrencyException)
        {
            // A bug or an outage in the middle of a file: end it visibly rather than retrying forever.
            db.ChangeTracker.Clear();
            var import = await db.ContactImports.IgnoreQueryFilters().FirstAsync(i => i.Id == candidate, CancellationToken.None);
            await importer.FailAsync(import, $"The import stopped unexpectedly after {import.RowsRead:N0} rows: {ex.Message}", CancellationToken.None);
            scope.ServiceProvider.GetRequiredService<ILogger<ContactImportWorker>>().LogError(ex, "Import {ImportId} failed", candidate);
        }

        return waiting.FileBytes;
    }
}
