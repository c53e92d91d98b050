using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Chorus.Features.Links;

/// <summary>
/// One link of one contact's message: the short code the voter receives in place of <see cref="TargetUrl"/>. One per
/// contact and target (unique index), so rendering the same contact again gives the same code.
/// </summary>
public sealed class TrackedLink : IOrganizationOwned
{
    /// <summary>Longest target kept; a longer URL in a message is sent as written, untracked.</summary>
    public const int MaxTargetLength = 2000;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; init; }
    public Guid CampaignId { get; init; }
    public Guid ContactId { get; init; }

    /// <summary>The texter whose screen first rendered it: the default <c>refcode2</c> (README.md).</summary>
    public Guid? TexterUserId { get; init; }

    /// <summary><see cref="LinkCode.Length"/> base62 characters, unique across all organizations (the path has no org).</summary>
    public required string Code { get; init; }

    /// <summary>Always an absolute http(s) URL: only those are ever tracked, so only those are ever redirected to.</summary>
    public required string TargetUrl { get; init; }

    /// <summary>SHA-256 of <see cref="TargetUrl"/> (hex): the uniqueness key, since a 2,000-character URL is too long for a PostgreSQL index entry.</summary>
    public required string TargetHash { get; init; }

    /// <summary>The message that carried it, set in the same save that queues the message; null while only previewed.</summary>
    public Guid? MessageId { get; set; }

    public DateTime CreatedUtc { get; init; }
}

internal sealed class TrackedLinkConfiguration : IEntityTypeConfiguration<TrackedLink>
{
    public void Configure(EntityTypeBuilder<TrackedLink> builder)
    {
        builder.Property(l => l.Code).HasMaxLength(LinkCode.Length);
        builder.Property(l => l.TargetUrl).HasMaxLength(TrackedLink.MaxTargetLength);
        builder.Property(l => l.TargetHash).HasMaxLength(64);
        builder.HasIndex(l => l.Code).IsUnique();
        builder.HasIndex(l => new { l.ContactId, l.TargetHash }).IsUnique();

        // Stats: initial messages that carried a tracked link.
        builder.HasIndex(l => new { l.CampaignId, l.MessageId });
    }
}
