using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Chorus.Features.Integrations;

/// <summary>Wakes the integration worker when something is queued on this instance (a run, a replay).</summary>
public sealed class IntegrationSignal : WorkSignal;

/// <summary>
/// Each pass: plans the new events of every live integration (<see cref="IntegrationFeed"/>), delivers due items
/// (<see cref="IntegrationDispatcher"/>) and does queued runs (<see cref="SyncRuns"/>). Any number of instances may run
/// it; every step claims its work.
/// </summary>
public sealed class IntegrationWorker(IServiceScopeFactory scopes, IntegrationSignal signal, IOptions<IntegrationsOptions> options, ILogger<IntegrationWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RunWorker)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await RunOnceAsync(scopes, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "The integration worker's pass failed; it will try again.");
            }

            await signal.WaitAsync(options.Value.PollInterval, stoppingToken);
        }
    }

    /// <summary>One full pass; tests call it to move integrations along on their own clock. Returns the items delivered.</summary>
    public static async Task<int> RunOnceAsync(IServiceScopeFactory scopes, CancellationToken ct)
    {
        while (await SyncRuns.RunOnceAsync(scopes, ct) is not null)
        {
        }

        await using var scope = scopes.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<AppDbContext>();
        var registry = sp.GetRequiredService<IntegrationRegistry>();
        var clock = sp.GetRequiredService<TimeProvider>();
        var live = await db.Integrations.IgnoreQueryFilters().Where(i => i.Enabled && i.DeletedUtc == null).Select(i => i.Id).ToListAsync(ct);
        foreach (var id in live)
        {
            // Null once the integration has seen the whole log; a page another instance planned first just reads on.
            while (await IntegrationFeed.AdvanceAsync(db, registry, id, clock, ct) is not null)
            {
            }
        }

        var delivered = 0;
        var batchSize = sp.GetRequiredService<IOptions<IntegrationsOptions>>().Value.BatchSize;
        while (await IntegrationDispatcher.RunOnceAsync(db, registry, clock, batchSize, ct) is > 0 and var count)
        {
            delivered += count;
        }

        return delivered;
    }
}
