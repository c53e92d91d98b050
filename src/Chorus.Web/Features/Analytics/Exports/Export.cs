using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Chorus.Features.Analytics.Exports;

public enum ExportKind
{
    Contacts,
    Messages,
    OptOuts,
    Audit,
}

public enum ExportStatus
{
    Queued,
    Running,
    Completed,
    Failed,
}

/// <summary>
/// One requested CSV export: a job row the export worker claims, and the record of the file it produced. The file
/// lives on disk under <see cref="ExportsOptions.Directory"/> (<see cref="Id"/>.csv) until the retention period
/// ends; the row stays, as the history of who exported what.
/// </summary>
public sealed class Export : IOrganizationOwned
{
    public const int MaxErrorLength = 2000;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; init; }
    public ExportKind Kind { get; init; }

    /// <summary>The campaign exported (contacts, or messages of one campaign); null for organization-wide exports.</summary>
    public Guid? CampaignId { get; init; }

    public ExportStatus Status { get; set; } = ExportStatus.Queued;

    /// <summary>Rows written so far (the final count once completed), header excluded.</summary>
    public long Rows { get; set; }

    /// <summary>Rows the export expects to write, counted when it starts; for progress only (rows may arrive meanwhile).</summary>
    public long TotalRows { get; set; }

    public long FileBytes { get; set; }
    public string? Error { get; set; }

    /// <summary>How many times a worker started it; an export that keeps dying with its worker is failed, not retried forever.</summary>
    public int Attempts { get; set; }

    /// <summary>The worker holding the export, and when it last wrote a page; a stale claim is taken over and the export re-run.</summary>
    public Guid? ClaimToken { get; set; }

    public DateTime? HeartbeatUtc { get; set; }
    public Guid CreatedByUserId { get; init; }
    public DateTime CreatedUtc { get; init; }
    public DateTime? StartedUtc { get; set; }
    public DateTime? CompletedUtc { get; set; }

    /// <summary>When the retention clean-up deleted the file; the export can no longer be downloaded.</summary>
    public DateTime? ExpiredUtc { get; set; }
}

internal sealed class ExportConfiguration : IEntityTypeConfiguration<Export>
{
    public void Configure(EntityTypeBuilder<Export> builder)
    {
        builder.HasIndex(e => new { e.Status, e.HeartbeatUtc });
        builder.HasIndex(e => new { e.OrganizationId, e.CreatedUtc });
        builder.HasIndex(e => new { e.Status, e.CompletedUtc });
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.Error).HasMaxLength(Export.MaxErrorLength);
        builder.Property(e => e.ClaimToken).IsConcurrencyToken();
    }
}
