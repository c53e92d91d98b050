using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Chorus.Features.Texting;

/// <summary>A contact's answer to one question of the script, as the texter recorded it. One per contact and question.</summary>
public sealed class SurveyResponse : IOrganizationOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; init; }
    public Guid CampaignId { get; init; }
    public Guid ContactId { get; init; }
    public Guid StepId { get; init; }
    public required string Answer { get; set; }
    public Guid? TexterUserId { get; set; }
    public DateTime RecordedUtc { get; set; }
}

internal sealed class SurveyResponseConfiguration : IEntityTypeConfiguration<SurveyResponse>
{
    public void Configure(EntityTypeBuilder<SurveyResponse> builder)
    {
        builder.HasIndex(r => new { r.ContactId, r.StepId }).IsUnique();
        builder.HasIndex(r => new { r.CampaignId, r.StepId });
        builder.Property(r => r.Answer).HasMaxLength(200);
    }
}
