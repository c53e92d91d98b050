using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Chorus.Features.Integrations;

public enum SyncRunStatus
{
    Queued,
    Running,
    Completed,
    Failed,
}

/// <summary>
/// One run of an integration that is more than a single event: a catch-up over past events, a list import from the
/// CRM. Its counts and error are the run's log; the items it made point back to it.
/// </summary>
public sealed class SyncRun : IOrganizationOwned
{
    public const int MaxSummaryLength = 2000;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; init; }
    public Guid IntegrationId { get; init; }

    /// <summary>"catch-up", or the handler's own ("van.list-import", "action-network.import" …).</summary>
    public required string Kind { get; init; }

    /// <summary>What the run was asked to do, as JSON (a list id, a campaign, a start time).</summary>
    public string Parameters { get; init; } = "{}";

    public SyncRunStatus Status { get; set; } = SyncRunStatus.Queued;
    public long Items { get; set; }
    public long Succeeded { get; set; }
    public long Failed { get; set; }

    /// <summary>A line for admins: what it did, or why it failed.</summary>
    public string? Summary { get; set; }

    /// <summary>What the run produced in Chorus, when it did (an import's id).</summary>
    public Guid? ResultId { get; set; }

    public Guid? ClaimToken { get; set; }
    public DateTime? HeartbeatUtc { get; set; }
    public Guid CreatedByUserId { get; init; }
    public DateTime CreatedUtc { get; init; }
    public DateTime? StartedUtc { get; set; }
    public DateTime? FinishedUtc { get; set; }
}

internal sealed class SyncRunConfiguration : IEntityTypeConfiguration<SyncRun>
{
    public void Configure(EntityTypeBuilder<SyncRun> builder)
    {
        builder.HasIndex(r => new { r.IntegrationId, r.CreatedUtc });
        builder.HasIndex(r => new { r.Status, r.HeartbeatUtc });
        builder.Property(r => r.Kind).HasMaxLength(60);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.Summary).HasMaxLength(SyncRun.MaxSummaryLength);
    }
}
