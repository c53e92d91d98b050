using System.ComponentModel.DataAnnotations;

namespace Chorus.Features.Analytics.Exports;

/// <summary>Bound from the <c>Chorus:Exports</c> section.</summary>
public sealed class ExportsOptions
{
    public const string Section = "Chorus:Exports";

    /// <summary>
    /// Where finished files are kept, relative to the content root unless absolute (default <c>data/exports</c>, beside
    /// the SQLite database). Several instances must share it (a mounted volume): any instance may run an export and any
    /// may serve its download.
    /// </summary>
    [Required]
    public string Directory { get; set; } = "data/exports";

    /// <summary>How long a finished file is kept before the clean-up deletes it (default 7 days).</summary>
    public TimeSpan Retention { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Rows read per database round trip; memory grows with this, never with the campaign.</summary>
    [Range(1, 100_000)]
    public int PageSize { get; set; } = 5_000;

    /// <summary>Whether this instance runs the export worker (on by default; an instance may leave exports to others).</summary>
    public bool RunWorker { get; set; } = true;
}
