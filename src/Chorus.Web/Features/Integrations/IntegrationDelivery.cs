using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Chorus.Features.Integrations;

public enum DeliveryStatus
{
    /// <summary>Waiting for its first attempt or for its next retry (<see cref="IntegrationDelivery.NextAttemptUtc"/>).</summary>
    Pending,

    /// <summary>The other system accepted it; it is never sent again unless an admin replays it.</summary>
    Succeeded,

    /// <summary>Refused for good (bad data, no mapping) or out of attempts; an admin may replay it.</summary>
    Failed,
}

/// <summary>
/// One item an integration writes to the other system: a canvass response, a tagging, a webhook call. Items are
/// made by the feed in the same transaction that moves the integration's cursor, and each carries an idempotency key
/// unique per integration (the audit entry and what it is for), so a re-read of the log or a catch-up never makes an
/// item twice and an item that succeeded is never written again. Its log — attempts, the last error, the other
/// system's answer — is what admins see.
/// </summary>
public sealed class IntegrationDelivery : IOrganizationOwned
{
    public const int MaxKeyLength = 200;
    public const int MaxErrorLength = 2000;
    public const int MaxResponseLength = 4000;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; init; }
    public Guid IntegrationId { get; init; }

    /// <summary>Unique per integration; sent to the other system where it takes one (webhooks send it as a header).</summary>
    public required string IdempotencyKey { get; init; }

    /// <summary>The event it came from: <see cref="IntegrationEvent.Kind"/>, or the handler's own kind for pushes it plans itself.</summary>
    public required string EventKind { get; init; }

    /// <summary>What it is about, for the log: "contact:…", "phone:+1…".</summary>
    public string Subject { get; init; } = "";

    /// <summary>What the handler needs to deliver it, as JSON; webhooks send it as the body.</summary>
    public required string Payload { get; init; }

    /// <summary>The audit entry it came from; null for items a run made (imports, manual pushes).</summary>
    public long? SourceSequence { get; init; }

    public Guid? SyncRunId { get; init; }
    public DeliveryStatus Status { get; set; } = DeliveryStatus.Pending;
    public int Attempts { get; set; }
    public DateTime NextAttemptUtc { get; set; }
    public string? LastError { get; set; }

    /// <summary>The other system's answer to the last attempt (status and the start of the body).</summary>
    public string? Response { get; set; }

    public Guid? ClaimToken { get; set; }
    public DateTime? ClaimedUtc { get; set; }
    public DateTime CreatedUtc { get; init; }
    public DateTime? CompletedUtc { get; set; }
}

internal sealed class IntegrationDeliveryConfiguration : IEntityTypeConfiguration<IntegrationDelivery>
{
    public void Configure(EntityTypeBuilder<IntegrationDelivery> builder)
    {
        builder.HasIndex(d => new { d.IntegrationId, d.IdempotencyKey }).IsUnique();
        builder.HasIndex(d => new { d.Status, d.NextAttemptUtc });
        builder.HasIndex(d => new { d.IntegrationId, d.CreatedUtc });
        builder.Property(d => d.IdempotencyKey).HasMaxLength(IntegrationDelivery.MaxKeyLength);
        builder.Property(d => d.EventKind).HasMaxLength(60);
        builder.Property(d => d.Subject).HasMaxLength(200);
        builder.Property(d => d.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(d => d.LastError).HasMaxLength(IntegrationDelivery.MaxErrorLength);
        builder.Property(d => d.Response).HasMaxLength(IntegrationDelivery.MaxResponseLength);
    }
}
