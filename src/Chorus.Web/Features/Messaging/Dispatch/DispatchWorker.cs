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
                while (await dispatcher.RunOnceAsync(stoppingToken) > 0)
                {
                }

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
        }
    }
}

/// <summary>Wakes this instance's dispatcher as soon as something is queued here.</summary>
public sealed class OutboxSignal : Infrastructure.Hosting.WorkSignal;
