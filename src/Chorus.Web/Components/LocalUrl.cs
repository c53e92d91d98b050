namespace Chorus.Components;

/// <summary>Return URLs arrive in query strings that anyone can craft, so only paths on this site are followed.</summary>
public static class LocalUrl
{
    public static string OrDefault(string? url, string fallback = "/") => IsLocal(url) ? url! : fallback;

    /// <summary>
    /// A path on this site: starts with one slash. "//evil.example" and "/\evil.example" are rejected because
    /// browsers treat them as other hosts.
    /// </summary>
    public static bool IsLocal(string? url) =>
        !string.IsNullOrEmpty(url)
        && url[0] == '/'
        && (url.Length == 1 || (url[1] != '/' && url[1] != '\\'))
        && !url.Any(char.IsControl);
}
