using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Chorus.Features.OptOuts;

/// <summary>
/// A number that must never be texted again by this organization (DESIGN.md invariant 1). Kept forever, per
/// organization, never shared across organizations; removing one is an audited admin action.
/// </summary>
public sealed class OptOut : IOrganizationOwned
{
    public const int MaxReasonLength = 200;
    public const int MaxSourceLength = 20;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; init; }
    public required string PhoneE164 { get; init; }

    /// <summary>How it arrived: keyword (a STOP reply), manual, import, texter; or, for an imported list, the file's own source column.</summary>
    public required string Source { get; init; }

    public string? Reason { get; init; }
    public Guid? CreatedByUserId { get; init; }
    public DateTime CreatedUtc { get; init; }
}

internal sealed class OptOutConfiguration : IEntityTypeConfiguration<OptOut>
{
    public void Configure(EntityTypeBuilder<OptOut> builder)
    {
        builder.HasIndex(o => new { o.OrganizationId, o.PhoneE164 }).IsUnique();
        builder.Property(o => o.PhoneE164).HasMaxLength(16);
        builder.Property(o => o.Source).HasMaxLength(OptOut.MaxSourceLength);
        builder.Property(o => o.Reason).HasMaxLength(OptOut.MaxReasonLength);
    }
}
