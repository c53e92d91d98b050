namespace Chorus.Features.Campaigns;

/// <summary>A campaign as the API and UI show it (never the entity itself).</summary>
public sealed record CampaignView(
    Guid Id,
    string Title,
    string Description,
    CampaignStatus Status,
    TextingHoursSettings TextingHours,
    bool RequireOptOutLanguage,
    string TalkingPoints,
    IReadOnlyList<string> CustomFields,
    DateTime CreatedUtc,
    DateTime UpdatedUtc,
    DateTime? LaunchedUtc,
    DateTime? ArchivedUtc,
    bool DynamicAssignment,
    int BatchSize,
    int? MaxContactsPerTexter,
    bool AllowEditingInitialMessage,
    bool RequireRepliesBeforeMore,
    string TrainingText = "",
    string? LinkRefcode = null,
    string? LinkRefcode2 = null)
{
    public static CampaignView From(Campaign c) => new(
        c.Id, c.Title, c.Description, c.Status, TextingHoursSettings.From(c), c.RequireOptOutLanguage, c.TalkingPoints,
        c.CustomFields, c.CreatedUtc, c.UpdatedUtc, c.LaunchedUtc, c.ArchivedUtc,
        c.DynamicAssignment, c.BatchSize, c.MaxContactsPerTexter, c.AllowEditingInitialMessage, c.RequireRepliesBeforeMore, c.TrainingText, c.LinkRefcode, c.LinkRefcode2);
}
