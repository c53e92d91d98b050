namespace Chorus.Features.Integrations;

/// <summary>
/// Does one kind of <see cref="SyncRun"/> that a handler offers beyond events (a VAN saved-list import, an Action
/// Network tag import). Registered as a singleton; the worker claims queued runs of its <see cref="RunKind"/>, gives
/// them a scope acting for the run's organization, and records the outcome. Throwing fails the run with the message.
/// </summary>
public interface IIntegrationRunner
{
    /// <summary>"van.list-import" …: the handler's kind, a dot, what it does.</summary>
    string RunKind { get; }

    /// <summary>Does the run; sets its counts and summary (and <see cref="SyncRun.ResultId"/>) on <paramref name="run"/>, which the worker saves.</summary>
    Task RunAsync(IntegrationContext integration, SyncRun run, IServiceProvider services, CancellationToken ct);
}
