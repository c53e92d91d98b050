using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Chorus.Features.Audit;

/// <summary>
/// One entry of an organization's append-only record. Entries of an organization form a hash chain: each stores
/// the hash of the one before it, and its own hash covers that and its canonical content, so editing, deleting or
/// reordering any stored entry breaks verification from that entry on. <see cref="Sequence"/> and the hashes are
/// assigned when the entry is saved (see <see cref="AuditChain"/>), never by the code that records it.
/// </summary>
public sealed class AuditEvent : IOrganizationOwned
{
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    private static long s_recorded;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; init; }
    public long Sequence { get; set; }

    /// <summary>
    /// The order entries were made in this process, to chain entries of one save that share a timestamp in the order
    /// they were recorded (version-7 ids of one millisecond have no order). Not stored: <see cref="Sequence"/> is.
    /// </summary>
    internal long RecordedOrder { get; } = Interlocked.Increment(ref s_recorded);
    public DateTime OccurredUtc { get; init; }
    public Guid? ActorUserId { get; init; }
    public required string Actor { get; init; }
    public required string Action { get; init; }
    public required string Subject { get; init; }

    /// <summary>Details as compact JSON, kept as text so the hashed bytes are the stored bytes on every database.</summary>
    public required string Data { get; init; }

    public string PreviousHash { get; set; } = "";
    public string Hash { get; set; } = "";

    public string ComputeHash() => ComputeHash(PreviousHash);

    public string ComputeHash(string previousHash)
    {
        var canonical = string.Join('\n',
            previousHash,
            Sequence.ToString(CultureInfo.InvariantCulture),
            OrganizationId.ToString("D"),
            OccurredUtc.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
            ActorUserId?.ToString("D") ?? "",
            Actor,
            Action,
            Subject,
            Data);
        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(canonical)));
    }

    /// <summary>Adds an entry to the context; it is chained and stored with the caller's next save.</summary>
    public static AuditEvent Record(AppDbContext db, Guid organizationId, AuditActor actor, string action, string subject, object? data, DateTime nowUtc)
    {
        var entry = new AuditEvent
        {
            OrganizationId = organizationId,
            // Microsecond precision survives every database we support, so the hash recomputes exactly.
            OccurredUtc = new DateTime(nowUtc.Ticks - (nowUtc.Ticks % 10), DateTimeKind.Utc),
            ActorUserId = actor.UserId,
            Actor = Truncate(actor.Name, 200),
            Action = action,
            Subject = Truncate(subject, 200),
            Data = data is null ? "{}" : JsonSerializer.Serialize(data, JsonOptions),
        };
        db.AuditEvents.Add(entry);
        return entry;
    }

    private static readonly JsonSerializerOptions JsonOptions = new(JsonSerializerDefaults.Web);

    private static string Truncate(string value, int max) => value.Length <= max ? value : value[..max];
}

/// <summary>Who did it: a signed-in person, or the system (CLI, worker) by name.</summary>
public sealed record AuditActor(Guid? UserId, string Name)
{
    public static readonly AuditActor Cli = new(null, "cli");
    public static readonly AuditActor System = new(null, "system");
}

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> builder)
    {
        builder.HasIndex(e => new { e.OrganizationId, e.Sequence }).IsUnique();
        builder.HasIndex(e => new { e.OrganizationId, e.Action, e.OccurredUtc });
        builder.Property(e => e.Actor).HasMaxLength(200);
        builder.Property(e => e.Action).HasMaxLength(100);
        builder.Property(e => e.Subject).HasMaxLength(200);
        builder.Property(e => e.PreviousHash).HasMaxLength(64);
        builder.Property(e => e.Hash).HasMaxLength(64);
    }
}
