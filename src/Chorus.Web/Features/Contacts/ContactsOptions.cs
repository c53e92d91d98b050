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
    /// Rows an import writes per transaction (default: the database's <see cref="Infrastructure.Data.ContactBulkWriter.DefaultBatchSize"/>,
    /// 50,000 on SQLite and 8,000 on PostgreSQL): a restart resumes after the last committed batch, and the import's
    /// progress moves once per batch. On SQLite contacts are written a thousand at a time as they are settled, so the
    /// batch size barely changes memory; larger batches are somewhat faster (200,000: 1M rows in 21 s instead of 23 s) but
    /// a batch holds SQLite's one write lock until it commits, so every other write on the instance (sends, webhooks)
    /// waits behind it for longer. On PostgreSQL a batch's contacts are buffered for one COPY, and two batches are written
    /// while a third is read, so the batch size sets the memory an import holds (figures in BENCHMARKS.md).
    /// </summary>
    [Range(1, 1_000_000)]
    public int? ImportBatchSize { get; set; }

    /// <summary>
    /// On SQLite, where a batch holds the database's one write lock until it commits: once a batch has this many rows and
    /// another save is waiting (a texter's send, a webhook), the batch commits early and lets it through. Without it every
    /// write on the instance waited behind a 50,000-row batch: p50 843 ms, max 3.3 s during a 1M-row upload
    /// (BENCHMARKS.md). PostgreSQL writers do not wait on each other, so it has no effect there.
    /// </summary>
    [Range(1, 1_000_000)]
    public int ImportYieldAfterRows { get; set; } = Uploads.ContactImporter.DefaultYieldAfterRows;

    /// <summary>Whether this instance runs the import worker (on by default; an instance may leave imports to others).</summary>
    public bool RunImportWorker { get; set; } = true;
}
