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
}

internal sealed class ContactConfiguration : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> builder)
    {
        builder.HasIndex(c => new { c.CampaignId, c.PhoneE164 }).IsUnique();
        builder.HasIndex(c => new { c.OrganizationId, c.PhoneE164 });
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
