using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Chorus.Features.Messaging;

/// <summary>
/// An organization's sending set-up: which provider, its credentials (encrypted with ASP.NET Data Protection, whose
/// keys live in the database), sending numbers, throughput limits, and the keyword texts. One row per organization,
/// created on first use with the simulator.
/// </summary>
public sealed class MessagingSettings : IOrganizationOwned
{
    public const string Simulator = "simulator";
    public const string Twilio = "twilio";

    public const string DefaultHelpText = "{orgName}: campaign texts. Reply STOP to opt out. Msg&Data rates may apply.";
    public const string DefaultOptOutConfirmation = "You're unsubscribed from {orgName} and won't get more texts from us. Reply START to resubscribe.";
    public const string DefaultOptInConfirmation = "You're resubscribed to texts from {orgName}. Reply STOP to opt out.";
    public const int MaxTextLength = 320;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid OrganizationId { get; init; }
    public string Provider { get; set; } = Simulator;

    public string? TwilioAccountSid { get; set; }

    /// <summary>Data Protection ciphertext of the auth token; never returned by the API.</summary>
    public string? TwilioAuthTokenProtected { get; set; }

    public string? TwilioMessagingServiceSid { get; set; }

    /// <summary>Sending numbers (E.164), comma-separated, when sending from a pool without a messaging service.</summary>
    public string TwilioNumbers { get; set; } = "";

    public string? TwilioApiBaseUrl { get; set; }

    /// <summary>Whether Twilio answers STOP/START/HELP itself (its default); then Chorus sends no second confirmation.</summary>
    public bool TwilioAnswersKeywords { get; set; } = true;

    /// <summary>Data Protection ciphertext of the secret the simulator signs its webhooks with.</summary>
    public required string SimulatorSecretProtected { get; set; }

    /// <summary>Organization-wide messages per second; null for the provider's default.</summary>
    public int? MessagesPerSecond { get; set; }

    /// <summary>Messages per sending number per second; null for no per-number limit.</summary>
    public int? MessagesPerSecondPerNumber { get; set; }

    /// <summary>Messages per UTC day; null for no daily limit.</summary>
    public int? MessagesPerDay { get; set; }

    public string HelpText { get; set; } = DefaultHelpText;
    public string OptOutConfirmation { get; set; } = DefaultOptOutConfirmation;
    public string OptInConfirmation { get; set; } = DefaultOptInConfirmation;

    /// <summary>Comma-separated keyword lists; null means the defaults (DOMAIN.md decision 2).</summary>
    public string? OptOutKeywords { get; set; }

    public string? OptInKeywords { get; set; }
    public string? HelpKeywords { get; set; }
    public string? LikelyOptOutPhrases { get; set; }

    public DateTime UpdatedUtc { get; set; }

    /// <summary>Conservative 10DLC default (DOMAIN.md §2.7: AT&amp;T political class, 4,500 a minute) when Twilio sends.</summary>
    public const int DefaultTwilioMessagesPerSecond = 75;

    public int? EffectiveMessagesPerSecond => MessagesPerSecond ?? (Provider == Twilio ? DefaultTwilioMessagesPerSecond : null);

    public IReadOnlyList<string> Numbers =>
        TwilioNumbers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}

internal sealed class MessagingSettingsConfiguration : IEntityTypeConfiguration<MessagingSettings>
{
    public void Configure(EntityTypeBuilder<MessagingSettings> builder)
    {
        builder.HasIndex(s => s.OrganizationId).IsUnique();
        builder.Property(s => s.Provider).HasMaxLength(20);
        builder.Property(s => s.TwilioAccountSid).HasMaxLength(64);
        builder.Property(s => s.TwilioAuthTokenProtected).HasMaxLength(2000);
        builder.Property(s => s.TwilioMessagingServiceSid).HasMaxLength(64);
        builder.Property(s => s.TwilioNumbers).HasMaxLength(4000);
        builder.Property(s => s.TwilioApiBaseUrl).HasMaxLength(500);
        builder.Property(s => s.SimulatorSecretProtected).HasMaxLength(2000);
        builder.Property(s => s.HelpText).HasMaxLength(MessagingSettings.MaxTextLength);
        builder.Property(s => s.OptOutConfirmation).HasMaxLength(MessagingSettings.MaxTextLength);
        builder.Property(s => s.OptInConfirmation).HasMaxLength(MessagingSettings.MaxTextLength);
        builder.Property(s => s.OptOutKeywords).HasMaxLength(2000);
        builder.Property(s => s.OptInKeywords).HasMaxLength(2000);
        builder.Property(s => s.HelpKeywords).HasMaxLength(2000);
        builder.Property(s => s.LikelyOptOutPhrases).HasMaxLength(4000);
    }
}
