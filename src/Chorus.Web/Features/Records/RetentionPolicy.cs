using Chorus.Features.Organizations;
using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Chorus.Features.Records;

/// <summary>
/// How long an organization keeps what was said in its texts. After <see cref="MessageBodyYears"/> the bodies are
/// replaced by a marker; counts, statuses, error codes, opt-outs and the audit log stay (README.md). No row means
/// the default, <see cref="DefaultYears"/>.
/// </summary>
public sealed class RetentionPolicy : IOrganizationOwned
{
    public const int DefaultYears = 5;
    public const int MinYears = 1;
    public const int MaxYears = 10;

    public Guid OrganizationId { get; init; }
    public int MessageBodyYears { get; set; } = DefaultYears;
    public DateTime UpdatedUtc { get; set; }

    /// <summary>Messages created before this instant have their bodies purged. Calendar years, in UTC.</summary>
    public static DateTime CutoffFor(DateTime nowUtc, int years) => nowUtc.AddYears(-years);
}

internal sealed class RetentionPolicyConfiguration : IEntityTypeConfiguration<RetentionPolicy>
{
    public void Configure(EntityTypeBuilder<RetentionPolicy> builder)
    {
        builder.HasKey(p => p.OrganizationId);
        builder.HasOne<Organization>().WithOne().HasForeignKey<RetentionPolicy>(p => p.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
