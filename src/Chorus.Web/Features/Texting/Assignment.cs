using Chorus.Features.Campaigns;
using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Chorus.Features.Texting;

/// <summary>
/// A texter's share of a campaign: the contacts they were given (by requesting batches, or by an admin). One per
/// texter and campaign; each batch adds contacts to it. A contact belongs to at most one assignment at a time.
/// </summary>
public sealed class Assignment : IOrganizationOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; init; }
    public Guid CampaignId { get; init; }
    public Guid TexterUserId { get; init; }
    public DateTime CreatedUtc { get; init; }

    /// <summary>When the texter acknowledged the campaign's training text; their first send waits for it.</summary>
    public DateTime? TrainingAcknowledgedUtc { get; set; }
}

internal sealed class AssignmentConfiguration : IEntityTypeConfiguration<Assignment>
{
    public void Configure(EntityTypeBuilder<Assignment> builder)
    {
        builder.HasIndex(a => new { a.CampaignId, a.TexterUserId }).IsUnique();
        builder.HasIndex(a => new { a.OrganizationId, a.TexterUserId });
        builder.HasOne<Campaign>().WithMany().HasForeignKey(a => a.CampaignId).OnDelete(DeleteBehavior.Cascade);
    }
}
