namespace Chorus.Features.Links;

/// <summary>
/// Requests that are not a person clicking: link-preview fetchers of messaging apps (they fetch a link as soon as it
/// arrives, before anyone taps it), search crawlers and command-line tools. Recorded, counted as bots, never as clicks.
/// A short list of well-known names (README.md), matched case-insensitively anywhere in the User-Agent; no generic
/// "bot" match, since phone models carry it (Cubot).
/// </summary>
public static class LinkPreviewFetchers
{
    public static readonly IReadOnlyList<string> UserAgentMarkers =
    [
        "facebookexternalhit", // Facebook, Messenger, Instagram; Apple's iMessage previews also send it
        "Facebot",
        "Twitterbot",
        "Slackbot", // also Slack-ImgProxy is not matched: it fetches images, not links
        "WhatsApp",
        "TelegramBot",
        "Discordbot",
        "LinkedInBot",
        "Googlebot",
        "bingbot",
        "Applebot",
        "SkypeUriPreview",
        "curl/",
        "Wget/",
    ];

    /// <summary>HEAD requests (only fetchers send them), an empty User-Agent, or a known fetcher's.</summary>
    public static bool IsBot(string method, string? userAgent) =>
        HttpMethods.IsHead(method)
        || string.IsNullOrWhiteSpace(userAgent)
        || UserAgentMarkers.Any(m => userAgent.Contains(m, StringComparison.OrdinalIgnoreCase));
}
