using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Chorus.Features.Links;

/// <summary>
/// One request for a tracked link. Bots and link-preview fetchers are recorded too, flagged <see cref="IsBot"/>, and
/// never counted as clicks (README.md). Voter activity, not a staff action: not audited.
/// </summary>
public sealed class LinkClick : IOrganizationOwned
{
    public const int MaxUserAgentLength = 256;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; init; }
    public Guid CampaignId { get; init; }
    public Guid ContactId { get; init; }
    public Guid LinkId { get; init; }
    public required string Code { get; init; }
    public DateTime ClickedUtc { get; init; }

    /// <summary>The request's User-Agent, cut to <see cref="MaxUserAgentLength"/> characters; empty when none was sent.</summary>
    public string UserAgent { get; init; } = "";

    public bool IsBot { get; init; }
}

internal sealed class LinkClickConfiguration : IEntityTypeConfiguration<LinkClick>
{
    public void Configure(EntityTypeBuilder<LinkClick> builder)
    {
        builder.Property(c => c.Code).HasMaxLength(LinkCode.Length);
        builder.Property(c => c.UserAgent).HasMaxLength(LinkClick.MaxUserAgentLength);

        // Stats (clicks, distinct clickers, bots) and the export's pages by contact id range.
        builder.HasIndex(c => new { c.CampaignId, c.IsBot, c.ContactId });

        // A contact's record.
        builder.HasIndex(c => new { c.ContactId, c.ClickedUtc });
    }
}
