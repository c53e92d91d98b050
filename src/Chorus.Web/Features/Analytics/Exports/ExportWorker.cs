using System.Text;
using Chorus.Features.Audit;
using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Chorus.Features.Analytics.Exports;

/// <summary>What one run of an export did: for the worker's log and for tests that check it streamed in pages.</summary>
public sealed record ExportRun(Guid ExportId, ExportStatus Status, long Rows, int Pages);

/// <summary>
/// Claims requested exports one at a time and writes them to disk, page by page; deletes finished files once the
/// retention period has passed. Any instance may run it: the claim is one conditional UPDATE, and an export whose
/// worker stopped showing signs of life (no page written for <see cref="StaleAfter"/>: a crash, a restart) is taken
/// over and written again from the start — at most <see cref="MaxAttempts"/> times, then failed with the reason.
/// </summary>
public sealed class ExportWorker(IServiceScopeFactory scopes, ExportSignal signal, IOptions<ExportsOptions> options, ILogger<ExportWorker> logger) : BackgroundService
{
    public static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(2);
    public const int MaxAttempts = 3;
    private static readonly TimeSpan PollInterval = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CleanUpInterval = TimeSpan.FromMinutes(10);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RunWorker)
        {
            return;
        }

        var nextCleanUp = TimeProvider.System.GetTimestamp();
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await RunOnceAsync(scopes, stoppingToken) is not null)
                {
                }

                if (TimeProvider.System.GetTimestamp() >= nextCleanUp)
                {
                    await CleanUpAsync(scopes, stoppingToken);
                    nextCleanUp = TimeProvider.System.GetTimestamp() + (long)(CleanUpInterval.TotalSeconds * TimeProvider.System.TimestampFrequency);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "The export worker's pass failed; it will try again.");
            }

            await signal.WaitAsync(PollInterval, stoppingToken);
        }
    }

    /// <summary>
    /// Claims and writes one export, if any is waiting; null when none is. Tests call it directly, with their own
    /// page size to see the file written in pages.
    /// </summary>
    public static async Task<ExportRun?> RunOnceAsync(IServiceScopeFactory scopes, CancellationToken ct, int? pageSize = null)
    {
        await using var scope = scopes.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<AppDbContext>();
        var clock = sp.GetRequiredService<TimeProvider>();
        var now = clock.GetUtcNow().UtcDateTime;
        var stale = now - StaleAfter;
        var candidate = await db.Exports.IgnoreQueryFilters()
            .Where(e => e.Status == ExportStatus.Queued || (e.Status == ExportStatus.Running && e.HeartbeatUtc < stale))
            .OrderBy(e => e.CreatedUtc)
            .Select(e => new { e.Id, e.OrganizationId })
            .FirstOrDefaultAsync(ct);
        if (candidate is null)
        {
            return null;
        }

        var token = Guid.NewGuid();
        var claimed = await db.Exports.IgnoreQueryFilters()
            .Where(e => e.Id == candidate.Id && (e.Status == ExportStatus.Queued || (e.Status == ExportStatus.Running && e.HeartbeatUtc < stale)))
            .ExecuteUpdateAsync(s => s
                .SetProperty(e => e.Status, ExportStatus.Running)
                .SetProperty(e => e.ClaimToken, token)
                .SetProperty(e => e.HeartbeatUtc, now)
                .SetProperty(e => e.Attempts, e => e.Attempts + 1)
                .SetProperty(e => e.Rows, 0)
                .SetProperty(e => e.StartedUtc, e => e.StartedUtc ?? now), ct);
        if (claimed == 0)
        {
            return new ExportRun(candidate.Id, ExportStatus.Running, 0, 0); // another instance took it first; look again
        }

        // Every query of the export runs under the export's organization, as the request that asked for it did.
        var slug = await db.Organizations.Where(o => o.Id == candidate.OrganizationId).Select(o => o.Slug).FirstAsync(ct);
        sp.GetRequiredService<CurrentOrganization>().Set(candidate.OrganizationId, slug, null);
        var runner = new Runner(db, sp.GetRequiredService<ExportFiles>(), clock, token, pageSize ?? sp.GetRequiredService<IOptions<ExportsOptions>>().Value.PageSize);
        try
        {
            return await runner.RunAsync(candidate.Id, ct);
        }
        catch (ClaimLostException)
        {
            return new ExportRun(candidate.Id, ExportStatus.Running, runner.Rows, runner.Pages);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // A bug or an outage in the middle of an export: end it visibly rather than retrying forever.
            sp.GetRequiredService<ILogger<ExportWorker>>().LogError(ex, "Export {ExportId} failed", candidate.Id);
            db.ChangeTracker.Clear();
            await runner.FailAsync(candidate.Id, $"The export stopped unexpectedly after {runner.Rows:N0} rows: {ex.Message}", CancellationToken.None);
            return new ExportRun(candidate.Id, ExportStatus.Failed, runner.Rows, runner.Pages);
        }
    }

    /// <summary>Deletes the files of exports finished more than the retention period ago; their rows stay, marked expired.</summary>
    public static async Task<int> CleanUpAsync(IServiceScopeFactory scopes, CancellationToken ct)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var files = scope.ServiceProvider.GetRequiredService<ExportFiles>();
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var cutoff = now - scope.ServiceProvider.GetRequiredService<IOptions<ExportsOptions>>().Value.Retention;
        var expired = await db.Exports.IgnoreQueryFilters()
            .Where(e => e.Status == ExportStatus.Completed && e.ExpiredUtc == null && e.CompletedUtc < cutoff)
            .OrderBy(e => e.CompletedUtc).Take(500).ToListAsync(ct);
        foreach (var export in expired)
        {
            files.Delete(export.Id);
            export.ExpiredUtc = now;
            AuditEvent.Record(db, export.OrganizationId, AuditActor.System, "export.expired", $"export:{export.Id}",
                new { kind = ExportKinds.Name(export.Kind), export.CampaignId }, now);
        }

        await db.SaveChangesAsync(ct);
        return expired.Count;
    }

    private sealed class ClaimLostException() : Exception("Another worker took the export over.");

    private sealed class Runner(AppDbContext db, ExportFiles files, TimeProvider clock, Guid token, int pageSize)
    {
        public long Rows { get; private set; }
        public int Pages { get; private set; }

        public async Task<ExportRun> RunAsync(Guid exportId, CancellationToken ct)
        {
            var export = await db.Exports.FirstAsync(e => e.Id == exportId, ct);
            if (export.Attempts > MaxAttempts)
            {
                await FailAsync(exportId, $"The export was interrupted {MaxAttempts} times (the server stopped while writing it); request it again.", ct);
                return new ExportRun(exportId, ExportStatus.Failed, 0, 0);
            }

            export.TotalRows = export.Kind switch
            {
                ExportKind.Contacts => await ContactsExport.CountAsync(db, export.CampaignId!.Value, ct),
                ExportKind.Messages => await MessagesExport.CountAsync(db, export.CampaignId, ct),
                ExportKind.OptOuts => await OptOutsExport.CountAsync(db, ct),
                _ => await AuditExport.CountAsync(db, ct),
            };
            await db.SaveChangesAsync(ct);
            db.ChangeTracker.Clear();

            var part = files.PartPathOf(exportId, token);
            try
            {
                await using (var stream = files.CreatePart(exportId, token))
                await using (var writer = new StreamWriter(stream, new UTF8Encoding(encoderShouldEmitUTF8Identifier: true), 64 * 1024))
                {
                    var sink = new CsvSink(writer, pageSize, async (rows, pageCt) =>
                    {
                        await writer.FlushAsync(pageCt);
                        await PageWrittenAsync(exportId, rows, pageCt);
                    });
                    switch (export.Kind)
                    {
                        case ExportKind.Contacts:
                            await ContactsExport.WriteAsync(db, export.CampaignId!.Value, sink, ct);
                            break;
                        case ExportKind.Messages:
                            await MessagesExport.WriteAsync(db, export.CampaignId, sink, ct);
                            break;
                        case ExportKind.OptOuts:
                            await OptOutsExport.WriteAsync(db, sink, ct);
                            break;
                        default:
                            await AuditExport.WriteAsync(db, sink, ct);
                            break;
                    }
                }

                files.Publish(exportId, token);
            }
            finally
            {
                File.Delete(part);
            }

            var now = clock.GetUtcNow().UtcDateTime;
            var bytes = new FileInfo(files.PathOf(exportId)).Length;
            var completed = await db.Exports.Where(e => e.Id == exportId && e.ClaimToken == token)
                .ExecuteUpdateAsync(s => s
                    .SetProperty(e => e.Status, ExportStatus.Completed)
                    .SetProperty(e => e.Rows, Rows)
                    .SetProperty(e => e.FileBytes, bytes)
                    .SetProperty(e => e.CompletedUtc, now)
                    .SetProperty(e => e.ClaimToken, (Guid?)null), ct);
            if (completed == 0)
            {
                throw new ClaimLostException();
            }

            AuditEvent.Record(db, export.OrganizationId, AuditActor.System, "export.completed", $"export:{exportId}",
                new { kind = ExportKinds.Name(export.Kind), export.CampaignId, rows = Rows, bytes }, now);
            await db.SaveChangesAsync(ct);
            return new ExportRun(exportId, ExportStatus.Completed, Rows, Pages);
        }

        public async Task FailAsync(Guid exportId, string error, CancellationToken ct)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            var export = await db.Exports.FirstAsync(e => e.Id == exportId, ct);
            if (export.ClaimToken != token)
            {
                return;
            }

            export.Status = ExportStatus.Failed;
            export.Error = error.Length > Export.MaxErrorLength ? error[..Export.MaxErrorLength] : error;
            export.CompletedUtc = now;
            export.ClaimToken = null;
            AuditEvent.Record(db, export.OrganizationId, AuditActor.System, "export.failed", $"export:{exportId}",
                new { kind = ExportKinds.Name(export.Kind), export.CampaignId, error = export.Error }, now);
            await db.SaveChangesAsync(ct);
        }

        /// <summary>Records progress and shows the claim is alive; a worker that lost its claim stops writing.</summary>
        private async Task PageWrittenAsync(Guid exportId, int rows, CancellationToken ct)
        {
            Rows += rows;
            Pages++;
            var now = clock.GetUtcNow().UtcDateTime;
            var written = Rows;
            var updated = await db.Exports.Where(e => e.Id == exportId && e.ClaimToken == token)
                .ExecuteUpdateAsync(s => s.SetProperty(e => e.Rows, written).SetProperty(e => e.HeartbeatUtc, now), ct);
            if (updated == 0)
            {
                throw new ClaimLostException();
            }
        }
    }
}
