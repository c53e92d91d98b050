using System.ComponentModel.DataAnnotations;

namespace Chorus.Features.Messaging.Providers;

/// <summary>Settings of <see cref="TwilioSmsProvider"/>, bound from <c>Chorus:Twilio</c>.</summary>
public sealed class TwilioProviderOptions
{
    public const string Section = "Chorus:Twilio";

    /// <summary>
    /// How long one call to Twilio's API may take, wall-clock (default 15 s). A send that takes longer counts as
    /// <see cref="SendResult.Unknown"/>: Twilio may have accepted it, so the reconciler looks it up instead of resending.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:00.050", "00:05:00")]
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(15);
}
