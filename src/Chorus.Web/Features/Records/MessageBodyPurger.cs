using Chorus.Features.Audit;
using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Chorus.Features.Records;

/// <summary>
/// Purges every organization's expired message bodies once per <see cref="RetentionOptions.Interval"/>. Any number of
/// instances may run it: a purge is an idempotent conditional UPDATE (a row already purged no longer matches), so two
/// instances purging at once change each message once, at worst recording two audit entries.
/// </summary>
public sealed class MessageBodyPurger(IServiceScopeFactory scopes, TimeProvider clock, IOptions<RetentionOptions> options, ILogger<MessageBodyPurger> logger)
    : BackgroundService
{
    public static readonly AuditActor Actor = new(null, "retention");

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!options.Value.RunInBackground)
        {
            return;
        }

        try
        {
            await Task.Delay(options.Value.FirstRunDelay, clock, stoppingToken);
            using var timer = new PeriodicTimer(options.Value.Interval, clock);
            do
            {
                try
                {
                    await RunOnceAsync(scopes, options.Value.BatchSize, stoppingToken);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    logger.LogError(ex, "The retention purge failed; it will try again at its next run.");
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    /// <summary>One run over every organization; returns the messages purged. Tests call it directly.</summary>
    public static async Task<long> RunOnceAsync(IServiceScopeFactory scopes, int batchSize, CancellationToken ct)
    {
        List<Guid> organizations;
        await using (var scope = scopes.CreateAsyncScope())
        {
            organizations = await scope.ServiceProvider.GetRequiredService<AppDbContext>().Organizations.Select(o => o.Id).ToListAsync(ct);
        }

        long purged = 0;
        foreach (var organizationId in organizations)
        {
            // A scope per organization: its own change tracker, and a failure stays with that organization.
            await using var scope = scopes.CreateAsyncScope();
            var result = await PurgeMessageBodies.RunAsync(organizationId, Actor, PurgeMessageBodies.Scheduled, batchSize,
                scope.ServiceProvider.GetRequiredService<AppDbContext>(), scope.ServiceProvider.GetRequiredService<TimeProvider>(), ct);
            purged += result.Messages;
        }

        return purged;
    }
}
