namespace Chorus.Features.Messaging.Dispatch;

/// <summary>Bound from <c>Chorus:Dispatch</c>.</summary>
public sealed class DispatchOptions
{
    public const string Section = "Chorus:Dispatch";

    /// <summary>Whether this instance runs the dispatch and reconcile workers (tests drive them by hand).</summary>
    public bool RunWorkers { get; set; } = true;

    /// <summary>Messages claimed per pass.</summary>
    public int BatchSize { get; set; } = 500;

    /// <summary>Dispatch passes run side by side on each instance (each claims its own batch).</summary>
    public int Passes { get; set; } = 2;

    /// <summary>Provider calls in flight at once per pass.</summary>
    public int Concurrency { get; set; } = 16;

    /// <summary>How long one provider call may take before its outcome is declared unknown.</summary>
    public TimeSpan SendTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Refusals worth retrying (429, 5xx) are retried this many times, with backoff, then the message fails.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>A claim older than this with no answer recorded means its dispatcher died: the outcome is unknown.</summary>
    public TimeSpan StaleClaim { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>How long an unknown outcome waits before the provider is asked (it may still be indexing the message).</summary>
    public TimeSpan ReconcileAfter { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Pause between passes when there is nothing to send.</summary>
    public TimeSpan IdleDelay { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// How long the worker waits, once woken, before it claims: texts queued meanwhile go in the same pass. Under a
    /// flood of replies (each STOP and HELP queues an answer), a pass per queued answer took SQLite's one write lock
    /// from the inbound saves twice per answer. At 100 ms rather than 25, the inbound saves waited for the lock half as
    /// long (BENCHMARKS.md, inbound); a tenth of a second between a press of Send and the provider is not noticed.
    /// </summary>
    public TimeSpan GatherDelay { get; set; } = TimeSpan.FromMilliseconds(100);
}
