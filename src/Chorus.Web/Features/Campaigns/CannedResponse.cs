using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Chorus.Features.Campaigns;

/// <summary>A ready-made reply texters pick from: for one campaign, or for the whole organization when CampaignId is null.</summary>
public sealed class CannedResponse : IOrganizationOwned
{
    public const int MaxTitleLength = 100;
    public const int MaxTags = 10;
    public const int MaxTagLength = 40;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; init; }
    public Guid? CampaignId { get; init; }
    public required string Title { get; set; }
    public required string Text { get; set; }
    public List<string> Tags { get; set; } = [];
    public DateTime CreatedUtc { get; init; }
    public DateTime UpdatedUtc { get; set; }
}

internal sealed class CannedResponseConfiguration : IEntityTypeConfiguration<CannedResponse>
{
    public void Configure(EntityTypeBuilder<CannedResponse> builder)
    {
        builder.HasIndex(r => new { r.OrganizationId, r.CampaignId });
        builder.Property(r => r.Title).HasMaxLength(CannedResponse.MaxTitleLength);
        builder.Property(r => r.Text).HasMaxLength(Campaign.MaxMessageLength * 2);
        builder.HasOne<Campaign>().WithMany().HasForeignKey(r => r.CampaignId).OnDelete(DeleteBehavior.Cascade);
    }
}
