using Chorus.Features.Campaigns;
using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Chorus.Features.Contacts.Uploads;

public enum ImportStatus
{
    Queued,
    Running,
    Completed,
    Failed,
}

/// <summary>
/// One upload into a campaign. The file is stored (as <see cref="ImportChunk"/> rows) before the upload is
/// acknowledged; the worker then works through it in batches, each committed together with the import's counters
/// and the number of records done, so a restart resumes after the last committed batch.
/// </summary>
public sealed class ContactImport : IOrganizationOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; init; }
    public Guid CampaignId { get; init; }
    public required string FileName { get; init; }
    public long FileBytes { get; set; }

    /// <summary>Bytes of the file behind the committed batches (a little ahead, by the parser's buffer); for progress.</summary>
    public long BytesRead { get; set; }
    public string? MappingJson { get; init; }
    public ImportStatus Status { get; set; } = ImportStatus.Queued;

    /// <summary>Records read and settled (imported, rejected or counted) in committed batches.</summary>
    public long RowsRead { get; set; }

    public long Imported { get; set; }
    public long Invalid { get; set; }
    public long Duplicates { get; set; }
    public long OptedOut { get; set; }
    public string? Error { get; set; }

    public const int MaxErrorLength = 2000;

    /// <summary>The worker holding the import, and when it last showed signs of life; a stale claim is taken over.</summary>
    public Guid? ClaimToken { get; set; }

    public DateTime? HeartbeatUtc { get; set; }
    public Guid CreatedByUserId { get; init; }
    public DateTime CreatedUtc { get; init; }
    public DateTime? StartedUtc { get; set; }
    public DateTime? CompletedUtc { get; set; }
}

/// <summary>A piece of an uploaded file, in order. Deleted once the import ends.</summary>
public sealed class ImportChunk
{
    /// <summary>
    /// 64 KiB: under the 85,000 bytes from which .NET puts an array on the large object heap. With 4 MiB chunks every
    /// chunk read went there twice (Npgsql's buffer for the row, then the value), and that heap, swept only by full
    /// collections and fragmented by the holes, held 100–140 MB at a million-row upload's peak on PostgreSQL; the
    /// server peaked at 380–434 MB resident, and at 334–378 MB with 64 KiB chunks (BENCHMARKS.md).
    /// </summary>
    public const int Size = 64 * 1024;

    /// <summary>Chunks stored by one save and read back by one query (2 MiB), so small chunks cost no more round trips.</summary>
    public const int PerRoundTrip = 32;

    public Guid ImportId { get; init; }
    public int Index { get; init; }
    public required byte[] Data { get; init; }
}

/// <summary>A row the import refused: where it was, why, and what it said (the raw CSV record).</summary>
public sealed class ImportRejection
{
    public long Id { get; init; }
    public Guid ImportId { get; init; }
    public long LineNumber { get; init; }
    public required string Reason { get; init; }
    public required string RawRecord { get; init; }
}

internal sealed class ContactImportConfiguration : IEntityTypeConfiguration<ContactImport>
{
    public void Configure(EntityTypeBuilder<ContactImport> builder)
    {
        builder.HasIndex(i => new { i.Status, i.HeartbeatUtc });
        builder.HasIndex(i => new { i.OrganizationId, i.CampaignId });
        builder.Property(i => i.FileName).HasMaxLength(260);
        builder.Property(i => i.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(i => i.Error).HasMaxLength(ContactImport.MaxErrorLength);
        builder.Property(i => i.ClaimToken).IsConcurrencyToken();
        builder.HasOne<Campaign>().WithMany().HasForeignKey(i => i.CampaignId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ImportChunkConfiguration : IEntityTypeConfiguration<ImportChunk>
{
    public void Configure(EntityTypeBuilder<ImportChunk> builder)
    {
        builder.HasKey(c => new { c.ImportId, c.Index });
        builder.HasOne<ContactImport>().WithMany().HasForeignKey(c => c.ImportId).OnDelete(DeleteBehavior.Cascade);

        // PostgreSQL compresses large values with pglz by default: 1.45 s of CPU for an 80 MB file, in the upload's own
        // request. lz4 takes 0.2 s for nearly the same size (36 MB against 32; 87 MB uncompressed). SQLite ignores it.
        builder.Property(c => c.Data).UseCompressionMethod("lz4");
    }
}

internal sealed class ImportRejectionConfiguration : IEntityTypeConfiguration<ImportRejection>
{
    public void Configure(EntityTypeBuilder<ImportRejection> builder)
    {
        builder.HasIndex(r => new { r.ImportId, r.LineNumber });
        builder.Property(r => r.Reason).HasMaxLength(300);
        builder.HasOne<ContactImport>().WithMany().HasForeignKey(r => r.ImportId).OnDelete(DeleteBehavior.Cascade);
    }
}
