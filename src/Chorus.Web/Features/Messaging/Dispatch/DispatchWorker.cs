using Microsoft.Extensions.Options;

namespace Chorus.Features.Messaging.Dispatch;

/// <summary>Runs the dispatcher and, every few seconds, the reconciler, on every instance.</summary>
public sealed class DispatchWorker(MessageDispatcher dispatcher, Reconciler reconciler, OutboxSignal signal, TimeProvider clock, IOptions<DispatchOptions> options, ILogger<DispatchWorker> logger)
    : BackgroundService
{
    private static readonly TimeSpan ReconcileEvery = TimeSpan.FromSeconds(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RunWorkers)
        {
            return;
        }

        var lastReconcile = DateTimeOffset.MinValue;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await DrainAsync(dispatcher, options.Value.Passes, stoppingToken);

                if (clock.GetUtcNow() - lastReconcile >= ReconcileEvery)
                {
                    lastReconcile = clock.GetUtcNow();
                    await reconciler.RunOnceAsync(stoppingToken);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "A dispatch pass failed; it will try again.");
            }

            await signal.WaitAsync(options.Value.IdleDelay, stoppingToken);
            if (options.Value.GatherDelay > TimeSpan.Zero)
            {
                await Task.Delay(options.Value.GatherDelay, stoppingToken); // real time, as the idle wait above
            }
        }
    }

    /// <summary>
    /// Runs <paramref name="passes"/> dispatch loops side by side until the outbox holds nothing due. Claims are
    /// exclusive (as between instances), so each loop sends its own messages; one pass is sequential (claim, read, send,
    /// record), and while one waits on the database's write lock or the provider another has the CPU. A loop goes on
    /// only after a full batch: a shorter claim took every message due, and whatever is queued meanwhile wakes the
    /// worker again, to be gathered into one pass. Going on until a pass claimed nothing made three or four passes of
    /// every wake-up, each taking the write lock from the inbound saves (BENCHMARKS.md, inbound).
    /// </summary>
    /// <returns>How many passes claimed something, and how many messages they claimed.</returns>
    public static async Task<(int Passes, int Claimed)> DrainAsync(MessageDispatcher dispatcher, int passes, CancellationToken ct)
    {
        var (ran, claimed) = (0, 0);
        await Task.WhenAll(Enumerable.Range(0, Math.Max(1, passes)).Select(async _ =>
        {
            int n;
            do
            {
                n = await dispatcher.RunOnceAsync(ct);
                if (n > 0)
                {
                    Interlocked.Increment(ref ran);
                    Interlocked.Add(ref claimed, n);
                }
            }
            while (n >= dispatcher.BatchSize);
        }));
        return (ran, claimed);
    }
}

/// <summary>Wakes this instance's dispatcher as soon as something is queued here.</summary>
public sealed class OutboxSignal : Infrastructure.Hosting.WorkSignal;
