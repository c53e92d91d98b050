using Markdig;
using Markdig.Syntax;
using Markdig.Syntax.Inlines;

namespace Chorus.Features.Campaigns.Pages;

/// <summary>
/// Renders talking points (Markdown that staff write for texters) to HTML that is safe to show as markup: raw HTML
/// in the text is escaped, not passed through, and links may only go to web, mail and phone addresses, because
/// Markdown itself happily links to <c>javascript:</c>.
/// </summary>
public static class TalkingPointsMarkdown
{
    private static readonly MarkdownPipeline Pipeline = new MarkdownPipelineBuilder()
        .DisableHtml()
        .UseSoftlineBreakAsHardlineBreak()
        .Build();

    private static readonly string[] SafeSchemes = ["http", "https", "mailto", "tel"];

    public static string ToHtml(string markdown)
    {
        var document = Markdown.Parse(markdown ?? "", Pipeline);
        foreach (var link in document.Descendants<LinkInline>())
        {
            // Images would make every texter's browser fetch an address of the writer's choosing.
            if (link.IsImage || !IsSafe(link.Url))
            {
                link.Url = "";
                link.IsImage = false;
            }
        }

        foreach (var link in document.Descendants<AutolinkInline>())
        {
            if (!link.IsEmail && !IsSafe(link.Url))
            {
                link.Url = "";
            }
        }

        return Markdown.ToHtml(document, Pipeline);
    }

    private static bool IsSafe(string? url)
    {
        if (string.IsNullOrWhiteSpace(url))
        {
            return true;
        }

        // Relative addresses ("#section", "/orgs/…") stay on this site; anything with a scheme must be on the list.
        var colon = url.IndexOf(':', StringComparison.Ordinal);
        var firstSeparator = url.IndexOfAny(['/', '?', '#']);
        if (colon < 0 || (firstSeparator >= 0 && firstSeparator < colon))
        {
            return true;
        }

        var scheme = url[..colon].Trim();
        return SafeSchemes.Contains(scheme, StringComparer.OrdinalIgnoreCase);
    }
}
