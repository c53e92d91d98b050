using Chorus.Features.Campaigns;
using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Chorus.Features.Contacts;

/// <summary>
/// A person a campaign may text, from an upload. Unique per campaign by phone (the first row of an upload wins);
/// numbers on the organization's opt-out list never become contacts.
/// </summary>
public sealed class Contact : IOrganizationOwned
{
    public const int MaxNameLength = 100;
    public const int MaxZipLength = 10;
    public const int MaxExternalIdLength = 100;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; init; }
    public Guid CampaignId { get; init; }

    /// <summary>E.164, e.g. +12125550123.</summary>
    public required string PhoneE164 { get; init; }

    public string FirstName { get; init; } = "";
    public string LastName { get; init; } = "";
    public string Zip { get; init; } = "";
    public string ExternalId { get; init; } = "";

    /// <summary>Custom fields as a JSON object of merge-field key → value.</summary>
    public string CustomFields { get; init; } = "{}";

    /// <summary>Candidate IANA zones, comma-separated; texting needs every one of them inside the window.</summary>
    public required string TimeZones { get; init; }

    /// <summary>Where the zone came from: Explicit, ZipCode, PhonePrefix or OrganizationDefault.</summary>
    public required string TimeZoneSource { get; init; }

    /// <summary>US state for state texting rules, when known.</summary>
    public string? State { get; init; }

    public Guid? ImportId { get; init; }
    public DateTime CreatedUtc { get; init; }

    /// <summary>Where the conversation stands; set by messaging (first text, replies, opt-outs).</summary>
    public ConversationStatus ConversationStatus { get; set; }

    /// <summary>The texter the contact and its conversation belong to: assigned, else whoever sent the first message.</summary>
    public Guid? TexterUserId { get; set; }

    /// <summary>The assignment (texter's batch) holding this contact; null while it waits in the campaign's pool.</summary>
    public Guid? AssignmentId { get; set; }

    /// <summary>The batch request that assigned it: what that request returns.</summary>
    public Guid? BatchId { get; set; }

    /// <summary>Tags as a JSON array of names.</summary>
    public string Tags { get; set; } = "[]";

    /// <summary>Sent to staff by the texter; stays in the supervisors' queue until they close or reassign it.</summary>
    public bool Escalated { get; set; }

    public string? EscalationReason { get; set; }

    /// <summary>Sticky sender: the number this contact always hears from once the first text went out.</summary>
    public string? SenderNumber { get; set; }

    public DateTime? LastMessageUtc { get; set; }
    public DateTime? LastInboundUtc { get; set; }

    /// <summary>Set when the provider says the number cannot take texts (21211, 21614, landline): never text it again.</summary>
    public bool BadNumber { get; set; }
}

public enum ConversationStatus
{
    /// <summary>No message yet.</summary>
    NotContacted = 0,

    /// <summary>The first message is queued or sent; no answer yet.</summary>
    Messaged = 1,

    /// <summary>The voter wrote last: a texter owes an answer.</summary>
    NeedsResponse = 2,

    /// <summary>A texter answered the voter's last message.</summary>
    Responded = 3,

    /// <summary>The voter opted out; nothing more is sent.</summary>
    OptedOut = 4,

    /// <summary>Closed by a texter or supervisor.</summary>
    Closed = 5,
}

internal sealed class ContactConfiguration : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> builder)
    {
        // One index on the phone serves the campaign's uniqueness and every look-up by number (an organization's
        // contacts with a number are the few rows under it). A second one, by organization, doubled an upload's
        // random index writes: phones arrive in no order, so each one lands on a random page (BENCHMARKS.md).
        builder.HasIndex(c => new { c.PhoneE164, c.CampaignId }).IsUnique();
        builder.Property(c => c.SenderNumber).HasMaxLength(20);
        // Bulk inserts name their columns, so the database must supply the empty list itself.
        builder.Property(c => c.Tags).HasMaxLength(2000).HasDefaultValue("[]");
        builder.Property(c => c.EscalationReason).HasMaxLength(500);
        builder.HasIndex(c => new { c.OrganizationId, c.TexterUserId, c.ConversationStatus });

        // The pool a batch request takes from, and a texter's contacts. The second ends with the id so that "the
        // assignment's next unsent contact" (ordered by id) is one seek: without it PostgreSQL, estimating that an
        // assignment's unsent contacts are spread evenly, walked the primary key from the start until it met one,
        // 12.5 ms a call mid-campaign, and sends ran at 240/s instead of 431/s (BENCHMARKS.md).
        builder.HasIndex(c => new { c.CampaignId, c.AssignmentId, c.ConversationStatus });
        builder.HasIndex(c => new { c.AssignmentId, c.ConversationStatus, c.Id });
        builder.Property(c => c.PhoneE164).HasMaxLength(16);
        builder.Property(c => c.FirstName).HasMaxLength(Contact.MaxNameLength);
        builder.Property(c => c.LastName).HasMaxLength(Contact.MaxNameLength);
        builder.Property(c => c.Zip).HasMaxLength(Contact.MaxZipLength);
        builder.Property(c => c.ExternalId).HasMaxLength(Contact.MaxExternalIdLength);
        builder.Property(c => c.TimeZones).HasMaxLength(1000);
        builder.Property(c => c.TimeZoneSource).HasMaxLength(20);
        builder.Property(c => c.State).HasMaxLength(2);
        builder.HasOne<Campaign>().WithMany().HasForeignKey(c => c.CampaignId).OnDelete(DeleteBehavior.Cascade);
    }
}
