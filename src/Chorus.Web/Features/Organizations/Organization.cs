using System.Globalization;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Chorus.Features.Organizations;

public sealed class Organization
{
    public const int MaxNameLength = 100;
    public const int MaxSlugLength = 60;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string Name { get; set; }

    /// <summary>Unique, lower-case, URL-safe; appears in every organization-scoped path. Never changes.</summary>
    public required string Slug { get; init; }

    public DateTime CreatedUtc { get; init; }

    public const string DefaultOptOutLanguage = "Reply STOP to opt out";
    public const int MaxOptOutLanguageLength = 100;

    /// <summary>Appended to an initial message that lacks an opt-out instruction when the campaign requires one.</summary>
    public string OptOutLanguage { get; set; } = DefaultOptOutLanguage;

    /// <summary>What the provider charges per SMS segment, in US dollars, for cost estimates.</summary>
    public decimal PricePerSegment { get; set; } = 0.0079m;

    /// <summary>IANA zone used when a contact's zone cannot be resolved from their data or number.</summary>
    public string DefaultTimeZone { get; set; } = "America/New_York";

    /// <summary>Region (ISO 3166-1 alpha-2) for parsing phone numbers written without a country code.</summary>
    public string DefaultRegion { get; set; } = "US";

    /// <summary>
    /// Bumped by every change to who owns the organization, so that two concurrent changes (two owners demoting each
    /// other) cannot both pass the "at least one Owner" check: the second fails its concurrency check.
    /// </summary>
    public Guid Version { get; set; } = Guid.NewGuid();

    /// <summary>
    /// Turns a name into a slug: ASCII letters and digits joined by single hyphens ("Friends of María" →
    /// "friends-of-maria"). Uniqueness is the caller's job.
    /// </summary>
    public static string SlugFrom(string name)
    {
        var decomposed = name.Normalize(NormalizationForm.FormD);
        var slug = new StringBuilder(decomposed.Length);
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
            {
                continue;
            }

            if (char.IsAsciiLetterOrDigit(c))
            {
                slug.Append(char.ToLowerInvariant(c));
            }
            else if (slug.Length > 0 && slug[^1] != '-')
            {
                slug.Append('-');
            }
        }

        var result = slug.ToString().Trim('-');
        if (result.Length > MaxSlugLength - 6)
        {
            result = result[..(MaxSlugLength - 6)].TrimEnd('-');
        }

        return result.Length == 0 ? "org" : result;
    }
}

internal sealed class OrganizationConfiguration : IEntityTypeConfiguration<Organization>
{
    public void Configure(EntityTypeBuilder<Organization> builder)
    {
        builder.Property(o => o.Name).HasMaxLength(Organization.MaxNameLength);
        builder.Property(o => o.Slug).HasMaxLength(Organization.MaxSlugLength);
        builder.HasIndex(o => o.Slug).IsUnique();
        builder.Property(o => o.Version).IsConcurrencyToken();
        builder.Property(o => o.OptOutLanguage).HasMaxLength(Organization.MaxOptOutLanguageLength);
        builder.Property(o => o.PricePerSegment).HasPrecision(10, 6);
        builder.Property(o => o.DefaultTimeZone).HasMaxLength(64);
        builder.Property(o => o.DefaultRegion).HasMaxLength(2);
    }
}
