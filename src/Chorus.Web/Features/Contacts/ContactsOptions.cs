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
    /// Rows an import writes per transaction: a restart resumes after the last committed batch, and the import's progress
    /// moves once per batch. Unset, each database gets its own (<see cref="Infrastructure.Data.ContactBulkWriter.DefaultBatchSize"/>):
    /// 200,000 on SQLite, whose commit rewrites every index page the batch touched (phones arrive in no order, so a
    /// batch touches most of the phone index), and 50,000 on PostgreSQL, where a batch's contacts are buffered for one
    /// COPY and a smaller batch lowers the peak memory (figures in BENCHMARKS.md).
    /// </summary>
    [Range(1, 1_000_000)]
    public int? ImportBatchSize { get; set; }

    /// <summary>Whether this instance runs the import worker (on by default; an instance may leave imports to others).</summary>
    public bool RunImportWorker { get; set; } = true;
}
