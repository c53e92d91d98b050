using System.ComponentModel.DataAnnotations;
using Chorus.Infrastructure.Data;
using Microsoft.Extensions.Options;

namespace Chorus.Features.Analytics.Counters;

/// <summary>Bound from <c>Chorus:Analytics:Counters</c>: how often campaign counters are compacted.</summary>
public sealed class CounterOptions
{
    public const string Section = "Chorus:Analytics:Counters";

    /// <summary>Whether this instance compacts on a schedule (tests call <see cref="CounterCompactor.RunOnceAsync"/>).</summary>
    public bool RunInBackground { get; set; } = true;

    /// <summary>Time between two compaction passes.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A campaign is compacted once it has this many more counter rows than keys.</summary>
    [Range(1, 1_000_000)]
    public int Threshold { get; set; } = 1_000;
}

/// <summary>
/// Keeps every campaign's counters a few rows per key, so the statistics read stays small however much is sent. Any
/// number of instances may run it: compacting the same campaign twice at once is safe (<see cref="CampaignCounters.CompactAsync"/>).
/// </summary>
public sealed class CounterCompactor(IServiceScopeFactory scopes, TimeProvider clock, IOptions<CounterOptions> options, ILogger<CounterCompactor> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RunInBackground)
        {
            return;
        }

        try
        {
            using var timer = new PeriodicTimer(options.Value.Interval, clock);
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    await RunOnceAsync(scopes, options.Value.Threshold, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "Compacting campaign counters failed; it will try again at its next pass.");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One pass: compacts each campaign over the threshold; returns how many were compacted.</summary>
    public static async Task<int> RunOnceAsync(IServiceScopeFactory scopes, int threshold, CancellationToken ct)
    {
        List<Guid> campaigns;
        await using (var scope = scopes.CreateAsyncScope())
        {
            campaigns = await CampaignCounters.CampaignsToCompactAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), threshold, ct);
        }

        foreach (var campaignId in campaigns)
        {
            await using var scope = scopes.CreateAsyncScope();
            await CampaignCounters.CompactAsync(scope.ServiceProvider.GetRequiredService<AppDbContext>(), campaignId, ct);
        }

        return campaigns.Count;
    }
}
