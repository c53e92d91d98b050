using Chorus.Features.Organizations;
using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Chorus.Features.Analytics;

/// <summary>
/// Analytics' own per-organization settings: what an inbound segment costs. The outbound price is the organization's
/// <see cref="Organization.PricePerSegment"/> (the message composer's estimate uses it too), so there is one outbound
/// price in the system. No row means the defaults.
/// </summary>
public sealed class AnalyticsSettings : IOrganizationOwned
{
    /// <summary>
    /// US dollars per received SMS segment. Default: Twilio's US list price for an inbound SMS segment
    /// (twilio.com/en-us/sms/pricing/us, $0.0083 in 2025); carrier pass-through fees are not included.
    /// </summary>
    public const decimal DefaultInboundPricePerSegment = 0.0083m;

    public Guid OrganizationId { get; init; }
    public decimal InboundPricePerSegment { get; set; } = DefaultInboundPricePerSegment;
    public DateTime UpdatedUtc { get; set; }
}

internal sealed class AnalyticsSettingsConfiguration : IEntityTypeConfiguration<AnalyticsSettings>
{
    public void Configure(EntityTypeBuilder<AnalyticsSettings> builder)
    {
        builder.HasKey(s => s.OrganizationId);
        builder.Property(s => s.InboundPricePerSegment).HasPrecision(10, 6);
        builder.HasOne<Organization>().WithMany().HasForeignKey(s => s.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
