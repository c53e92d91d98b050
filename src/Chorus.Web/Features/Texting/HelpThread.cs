using Chorus.Features.Campaigns;
using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Chorus.Features.Texting;

/// <summary>
/// A texter's live help chat with staff about one campaign: one per texter and campaign, reopened by their next
/// question after a supervisor resolves it.
/// </summary>
public sealed class HelpThread : IOrganizationOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; init; }
    public Guid CampaignId { get; init; }
    public Guid TexterUserId { get; init; }

    /// <summary>The texter wrote last and no staff member has answered since.</summary>
    public bool AwaitingAnswer { get; set; }

    public DateTime? ResolvedUtc { get; set; }
    public DateTime CreatedUtc { get; init; }
    public DateTime LastMessageUtc { get; set; }
}

/// <summary>One line of a help chat. Texters' and staff's words alike are untrusted text: shown escaped, never as markup.</summary>
public sealed class HelpMessage : IOrganizationOwned
{
    public const int MaxLength = 2_000;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; init; }
    public Guid ThreadId { get; init; }
    public Guid AuthorUserId { get; init; }

    /// <summary>Written by a supervisor or above (an answer), rather than by the thread's texter.</summary>
    public bool FromStaff { get; init; }

    public required string Body { get; init; }
    public DateTime CreatedUtc { get; init; }
}

internal sealed class HelpThreadConfiguration : IEntityTypeConfiguration<HelpThread>
{
    public void Configure(EntityTypeBuilder<HelpThread> builder)
    {
        builder.HasIndex(t => new { t.CampaignId, t.TexterUserId }).IsUnique();
        builder.HasIndex(t => new { t.OrganizationId, t.ResolvedUtc, t.LastMessageUtc });
        builder.HasOne<Campaign>().WithMany().HasForeignKey(t => t.CampaignId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class HelpMessageConfiguration : IEntityTypeConfiguration<HelpMessage>
{
    public void Configure(EntityTypeBuilder<HelpMessage> builder)
    {
        builder.Property(m => m.Body).HasMaxLength(HelpMessage.MaxLength);
        builder.HasIndex(m => new { m.ThreadId, m.CreatedUtc });
        builder.HasOne<HelpThread>().WithMany().HasForeignKey(m => m.ThreadId).OnDelete(DeleteBehavior.Cascade);
    }
}
