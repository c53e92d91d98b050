using Chorus.Features.Accounts;
using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Chorus.Features.Organizations;

/// <summary>
/// A link an admin shares so that people can join the organization with a given role. The code is kept in the
/// clear so admins can copy the link again later; it grants only a low-privilege membership by default, and
/// it can be revoked, expire, or run out of uses.
/// </summary>
public sealed class JoinLink : IOrganizationOwned
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; init; }
    public required string Code { get; init; }
    public OrgRole Role { get; init; } = OrgRole.Texter;

    /// <summary>A campaign join link: after joining, the person lands on that campaign's texting, ready to start.</summary>
    public Guid? CampaignId { get; init; }
    public DateTime? ExpiresUtc { get; init; }
    public int? MaxUses { get; init; }
    public int Uses { get; set; }
    public DateTime? RevokedUtc { get; set; }
    public Guid CreatedByUserId { get; init; }
    public DateTime CreatedUtc { get; init; }

    public static string NewCode() => ApiToken.Base64Url(System.Security.Cryptography.RandomNumberGenerator.GetBytes(18));

    /// <summary>Why the link cannot be used now, or null when it can.</summary>
    public string? Unusable(DateTime nowUtc) =>
        RevokedUtc is not null ? "This join link has been revoked. Ask your organizer for a new one."
        : ExpiresUtc is { } expires && expires <= nowUtc ? "This join link has expired. Ask your organizer for a new one."
        : MaxUses is { } max && Uses >= max ? "This join link has been used as many times as allowed. Ask your organizer for a new one."
        : null;
}

internal sealed class JoinLinkConfiguration : IEntityTypeConfiguration<JoinLink>
{
    public void Configure(EntityTypeBuilder<JoinLink> builder)
    {
        builder.Property(l => l.Code).HasMaxLength(40);
        builder.HasIndex(l => l.Code).IsUnique();
        builder.HasIndex(l => l.OrganizationId);
        builder.Property(l => l.Role).HasConversion<string>().HasMaxLength(20);
        builder.HasOne<Organization>().WithMany().HasForeignKey(l => l.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
