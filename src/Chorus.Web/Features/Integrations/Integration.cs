using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Chorus.Features.Integrations;

/// <summary>How an integration is doing, as its admins see it.</summary>
public enum IntegrationHealth
{
    /// <summary>Nothing has failed since the last success (or nothing has run yet).</summary>
    Ok,

    /// <summary>The CRM refused the credentials; deliveries wait (and retry) until someone fixes them.</summary>
    Unauthorized,

    /// <summary>Deliveries are failing for another reason (the CRM is down, rate-limits, rejects items).</summary>
    Failing,
}

/// <summary>
/// One configured connection of an organization to another system: a CRM (NGP VAN, Action Network) or a URL that
/// receives Chorus's events (outbound webhook). An organization may have any number, of any kind. Settings are plain
/// JSON the kind's handler validates; credentials are one Data Protection ciphertext, never returned by the API.
/// </summary>
public sealed class Integration : IOrganizationOwned
{
    public const int MaxNameLength = 100;
    public const int MaxErrorLength = 2000;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; init; }

    /// <summary>The handler that serves it (<see cref="IIntegrationHandler.Kind"/>): "van", "action-network", "webhook" …</summary>
    public required string Kind { get; init; }

    public required string Name { get; set; }
    public bool Enabled { get; set; } = true;

    /// <summary>The kind's settings as JSON (mappings, base URL, subscribed events); never secret.</summary>
    public string Settings { get; set; } = "{}";

    /// <summary>Data Protection ciphertext of the credentials (a JSON object of name → value); null when there are none.</summary>
    public string? SecretsProtected { get; set; }

    /// <summary>
    /// The last audit-log <c>Sequence</c> of the organization the feed has turned into deliveries: events after it are
    /// still to be looked at. Set to the log's end when the integration is created, so it starts with what happens next
    /// (a catch-up run goes back further).
    /// </summary>
    public long FeedCursor { get; set; }

    public IntegrationHealth Health { get; set; }
    public string? LastError { get; set; }
    public DateTime? LastErrorUtc { get; set; }
    public DateTime? LastSuccessUtc { get; set; }
    public Guid CreatedByUserId { get; init; }
    public DateTime CreatedUtc { get; init; }
    public DateTime UpdatedUtc { get; set; }

    /// <summary>Set when removed: it stops, and its log stays on the record.</summary>
    public DateTime? DeletedUtc { get; set; }
}

internal sealed class IntegrationConfiguration : IEntityTypeConfiguration<Integration>
{
    public void Configure(EntityTypeBuilder<Integration> builder)
    {
        builder.HasIndex(i => new { i.OrganizationId, i.CreatedUtc });
        builder.Property(i => i.Kind).HasMaxLength(40);
        builder.Property(i => i.Name).HasMaxLength(Integration.MaxNameLength);
        builder.Property(i => i.Health).HasConversion<string>().HasMaxLength(20);
        builder.Property(i => i.LastError).HasMaxLength(Integration.MaxErrorLength);
    }
}
