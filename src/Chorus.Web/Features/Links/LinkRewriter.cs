using System.Text.RegularExpressions;

namespace Chorus.Features.Links;

/// <summary>
/// Finds the links of a message and puts short links in their place. Pure text rules, shared by the preview and the
/// send, so both agree on which links are tracked and how long the result is.
/// </summary>
public static partial class LinkRewriter
{
    /// <summary>
    /// Every http(s) URL, minus trailing punctuation that ends a sentence ("Donate at https://x.org/a."), minus a closing
    /// parenthesis the URL did not open, and minus URLs that already are short links (an edited message keeps them).
    /// Longer than <see cref="TrackedLink.MaxTargetLength"/> or not an absolute http(s) URI: left as written.
    /// </summary>
    public static IReadOnlyList<string> Targets(string text, string shortPrefix)
    {
        var targets = new List<string>();
        foreach (Match match in Url().Matches(text))
        {
            if (Trackable(Trim(match.Value), shortPrefix) is { } target && !targets.Contains(target, StringComparer.Ordinal))
            {
                targets.Add(target);
            }
        }

        return targets;
    }

    /// <summary>The text with each trackable URL replaced by <c>{shortPrefix}{code}</c>; URLs <paramref name="codeFor"/> has no code for stay.</summary>
    public static string Rewrite(string text, string shortPrefix, Func<string, string?> codeFor) =>
        Url().Replace(text, match =>
        {
            var url = Trim(match.Value);
            var rest = match.Value[url.Length..];
            return Trackable(url, shortPrefix) is { } target && codeFor(target) is { } code ? shortPrefix + code + rest : match.Value;
        });

    /// <summary>The text as it will be sent, with <see cref="LinkCode.Placeholder"/> for codes not made yet: same length, same segments.</summary>
    public static string Preview(string text, string shortPrefix) => Rewrite(text, shortPrefix, _ => LinkCode.Placeholder);

    /// <summary>Codes of short links already in the text (an edited message, or one rendered before).</summary>
    public static IReadOnlyList<string> ShortCodes(string text, string shortPrefix)
    {
        var codes = new List<string>();
        foreach (Match match in Url().Matches(text))
        {
            var url = Trim(match.Value);
            if (url.StartsWith(shortPrefix, StringComparison.OrdinalIgnoreCase) && url[shortPrefix.Length..] is var code && LinkCode.IsWellFormed(code))
            {
                codes.Add(code);
            }
        }

        return codes;
    }

    private static string? Trackable(string url, string shortPrefix) =>
        url.StartsWith(shortPrefix, StringComparison.OrdinalIgnoreCase)
        || url.Length > TrackedLink.MaxTargetLength
        || !Uri.TryCreate(url, UriKind.Absolute, out var uri)
        || uri.Scheme is not ("http" or "https")
        || uri.Host.Length == 0
            ? null
            : url;

    private static string Trim(string url)
    {
        var end = url.Length;
        while (end > 0)
        {
            var last = url[end - 1];
            if (last is '.' or ',' or ';' or ':' or '!' or '?' or '\'' or '"' or ']' or '*'
                || (last == ')' && url.AsSpan(0, end).Count('(') < url.AsSpan(0, end).Count(')')))
            {
                end--;
            }
            else
            {
                break;
            }
        }

        return url[..end];
    }

    [GeneratedRegex(@"https?://[^\s<>""{}|\\^`]+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Url();
}
