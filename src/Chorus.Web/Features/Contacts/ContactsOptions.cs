using System.ComponentModel.DataAnnotations;

namespace Chorus.Features.Contacts;

/// <summary>Bound from the <c>Contacts</c> section.</summary>
public sealed class ContactsOptions
{
    public const string Section = "Contacts";

    /// <summary>The largest CSV an upload may be, in bytes (default 1 GiB).</summary>
    [Range(1024, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>
    /// Rows an import writes per transaction (default 50,000). Each batch's contacts stay in memory until it commits,
    /// so a smaller batch lowers the server's peak memory during a large upload; each commit costs a WAL checkpoint on
    /// SQLite, so it also makes the upload slower (figures in BENCHMARKS.md).
    /// </summary>
    [Range(1, 1_000_000)]
    public int ImportBatchSize { get; set; } = Uploads.ContactImporter.DefaultBatchSize;

    /// <summary>Whether this instance runs the import worker (on by default; an instance may leave imports to others).</summary>
    public bool RunImportWorker { get; set; } = true;
}
