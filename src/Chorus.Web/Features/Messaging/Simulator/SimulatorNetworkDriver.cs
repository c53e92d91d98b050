using Microsoft.Extensions.Options;

namespace Chorus.Features.Messaging.Simulator;

/// <summary>Makes the simulated network's due webhook posts every 200 ms of the injected clock.</summary>
public sealed class SimulatorNetworkDriver(SimulatorNetwork network, TimeProvider clock, IOptions<SimulatorOptions> options, ILogger<SimulatorNetworkDriver> logger) : BackgroundService
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RunInBackground)
        {
            return;
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await network.RunDueAsync(stoppingToken);
                await Task.Delay(Interval, clock, stoppingToken);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogError(ex, "The simulator's network pass failed; it will try again.");
                await Task.Delay(Interval, clock, stoppingToken);
            }
        }
    }
}
