using System.ComponentModel.DataAnnotations;

namespace Chorus.Features.Records;

/// <summary>Bound from <c>Chorus:Retention</c>: when the background purge runs and how much it changes per statement.</summary>
public sealed class RetentionOptions
{
    public const string Section = "Chorus:Retention";

    /// <summary>Whether this instance runs the purge on a schedule (tests run it by hand).</summary>
    public bool RunInBackground { get; set; } = true;

    /// <summary>Time between two scheduled runs.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromDays(1);

    /// <summary>Wait after start before the first run, so a starting instance serves before it purges.</summary>
    public TimeSpan FirstRunDelay { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// Messages changed per statement. Each batch is its own short transaction, so SQLite's single write lock is
    /// never held for long and texting goes on during a purge.
    /// </summary>
    [Range(100, 100_000)]
    public int BatchSize { get; set; } = 5_000;
}
