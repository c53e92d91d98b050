using Chorus.Features.Organizations;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Chorus.Features.Campaigns;

public enum CampaignStatus
{
    Draft,
    Active,
    Paused,
    Archived,
}

/// <summary>
/// What staff text about, to whom, with which words, and when. The script (initial message plus the survey tree)
/// is kept as one JSON document so that saving it is a single atomic replacement; question ids inside it are stable
/// across saves because recorded survey answers refer to them.
/// </summary>
public sealed class Campaign : IOrganizationOwned
{
    public const int MaxTitleLength = 200;
    public const int MaxDescriptionLength = 2000;
    public const int MaxMessageLength = 1600;
    public const int MaxTalkingPointsLength = 20_000;
    public const int MaxTrainingTextLength = 4_000;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; init; }
    public required string Title { get; set; }
    public string Description { get; set; } = "";
    public CampaignStatus Status { get; set; } = CampaignStatus.Draft;

    public string InitialMessage { get; set; } = "";

    /// <summary>The survey tree (<see cref="ScriptQuestion"/>) as JSON, or null when the script asks nothing.</summary>
    public string? QuestionJson { get; set; }

    /// <summary>Local start of the texting window in the contact's time zone.</summary>
    public TimeOnly TextingStart { get; set; } = new(9, 0);

    /// <summary>Local end (exclusive) of the texting window in the contact's time zone.</summary>
    public TimeOnly TextingEnd { get; set; } = new(21, 0);

    /// <summary>Days texting is allowed, as a bit set over <see cref="DayOfWeek"/> (bit 0 = Sunday).</summary>
    public int TextingDays { get; set; } = AllDays;

    public bool RequireOptOutLanguage { get; set; } = true;

    /// <summary>Training text for texters, Markdown; always rendered escaped.</summary>
    public string TalkingPoints { get; set; } = "";

    /// <summary>Plain text a texter reads and acknowledges before their first send in the campaign; empty for none.</summary>
    public string TrainingText { get; set; } = "";

    /// <summary>Custom fields the campaign's contacts carry (from their uploads), usable as merge fields.</summary>
    public List<string> CustomFields { get; set; } = [];

    public DateTime CreatedUtc { get; init; }
    public DateTime UpdatedUtc { get; set; }
    public DateTime? LaunchedUtc { get; set; }
    public DateTime? ArchivedUtc { get; set; }
    public Guid Version { get; set; } = Guid.NewGuid();

    public const int DefaultBatchSize = 100;
    public const int MaxBatchSize = 1_000;

    /// <summary>Texters may request batches of unassigned contacts themselves (Spoke's dynamic assignment).</summary>
    public bool DynamicAssignment { get; set; } = true;

    /// <summary>Contacts per requested batch.</summary>
    public int BatchSize { get; set; } = DefaultBatchSize;

    /// <summary>The most contacts one texter may hold in this campaign; null for no limit.</summary>
    public int? MaxContactsPerTexter { get; set; }

    /// <summary>Whether texters may edit the rendered initial message before sending it.</summary>
    public bool AllowEditingInitialMessage { get; set; }

    /// <summary>Spoke's rule: a texter with replies waiting must answer them before getting more contacts.</summary>
    public bool RequireRepliesBeforeMore { get; set; }

    public const int MaxRefcodeLength = 100;

    /// <summary>ActBlue <c>refcode</c> set on every tracked link to ActBlue (Features/Links); null to keep the link's own.</summary>
    public string? LinkRefcode { get; set; }

    /// <summary>ActBlue <c>refcode2</c>; null for the per-texter default (Features/Links/README.md).</summary>
    public string? LinkRefcode2 { get; set; }

    public const int AllDays = 0b111_1111;

    /// <summary>The campaign's window as the texting-window rule takes it (same day bits as <see cref="TextingDays"/>).</summary>
    public OptOuts.TextingHours ToTextingHours() => new(TextingStart, TextingEnd, (OptOuts.TextingDays)TextingDays);

    /// <summary>The campaign, tracked for changing, unless it is missing (404) or archived (409: archived campaigns are read-only).</summary>
    public static async Task<Outcome<Campaign>> FindEditableAsync(AppDbContext db, Guid campaignId, CancellationToken ct)
    {
        var campaign = await db.Campaigns.FirstOrDefaultAsync(c => c.Id == campaignId, ct);
        return campaign is null ? Failure.NotFound("The campaign")
            : campaign.Status == CampaignStatus.Archived ? Failure.Conflict("This campaign is archived; copy it to run it again.")
            : campaign;
    }

    public static int DaysMask(IEnumerable<DayOfWeek> days) => days.Aggregate(0, (mask, d) => mask | (1 << (int)d));

    public static IReadOnlyList<DayOfWeek> DaysOf(int mask) => [.. Enum.GetValues<DayOfWeek>().Where(d => (mask & (1 << (int)d)) != 0)];
}

internal sealed class CampaignConfiguration : IEntityTypeConfiguration<Campaign>
{
    public void Configure(EntityTypeBuilder<Campaign> builder)
    {
        builder.HasIndex(c => new { c.OrganizationId, c.Status });
        builder.Property(c => c.Title).HasMaxLength(Campaign.MaxTitleLength);
        builder.Property(c => c.Description).HasMaxLength(Campaign.MaxDescriptionLength);
        builder.Property(c => c.InitialMessage).HasMaxLength(Campaign.MaxMessageLength * 2);
        builder.Property(c => c.TalkingPoints).HasMaxLength(Campaign.MaxTalkingPointsLength);
        builder.Property(c => c.TrainingText).HasMaxLength(Campaign.MaxTrainingTextLength);
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.LinkRefcode).HasMaxLength(Campaign.MaxRefcodeLength);
        builder.Property(c => c.LinkRefcode2).HasMaxLength(Campaign.MaxRefcodeLength);
        builder.Property(c => c.Version).IsConcurrencyToken();
        builder.HasOne<Organization>().WithMany().HasForeignKey(c => c.OrganizationId).OnDelete(DeleteBehavior.Cascade);
    }
}
