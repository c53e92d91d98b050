using System.Text.RegularExpressions;
using Microsoft.AspNetCore.WebUtilities;

namespace Chorus.Features.Links;

/// <summary>
/// ActBlue reference codes (DOMAIN.md §5.3): letters, digits and underscores; set as <c>refcode</c> / <c>refcode2</c> on
/// links to ActBlue so donations can be traced to the campaign and the texter.
/// </summary>
public static partial class ActBlueRefcodes
{
    public const string Rule = "letters, digits and underscores only (A-Z, a-z, 0-9, _)";

    public static bool IsValid(string value) => Pattern().IsMatch(value);

    /// <summary>actblue.com and its subdomains (secure.actblue.com), nothing that merely ends in "actblue.com".</summary>
    public static bool IsActBlue(Uri uri) =>
        uri.Host.Equals("actblue.com", StringComparison.OrdinalIgnoreCase) || uri.Host.EndsWith(".actblue.com", StringComparison.OrdinalIgnoreCase);

    /// <summary>The per-texter default for refcode2: <c>t_</c> and the last 8 hex digits of the texter's id (the random part of a version-7 id; its first digits are a timestamp that texters created within a minute share).</summary>
    public static string ForTexter(Guid texterUserId) => "t_" + texterUserId.ToString("N")[^8..];

    /// <summary>
    /// The target with <c>refcode</c> / <c>refcode2</c> set (replacing any the link had) when it goes to ActBlue and a value
    /// is given; every other parameter, the path and the fragment are kept as they were. Any other host: unchanged.
    /// </summary>
    public static string Apply(string target, string? refcode, string? refcode2)
    {
        if (!Uri.TryCreate(target, UriKind.Absolute, out var uri) || !IsActBlue(uri) || (refcode is null && refcode2 is null))
        {
            return target;
        }

        var pairs = QueryHelpers.ParseQuery(uri.Query).SelectMany(p => p.Value.Select(v => (p.Key, Value: v ?? ""))).ToList();
        void Set(string name, string? value)
        {
            if (value is null)
            {
                return;
            }

            var at = pairs.FindIndex(p => p.Key.Equals(name, StringComparison.OrdinalIgnoreCase));
            pairs.RemoveAll(p => p.Key.Equals(name, StringComparison.OrdinalIgnoreCase));
            pairs.Insert(at < 0 ? pairs.Count : at, (name, value));
        }

        Set("refcode", refcode);
        Set("refcode2", refcode2);
        var query = string.Join('&', pairs.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));
        return new UriBuilder(uri) { Query = query }.Uri.AbsoluteUri;
    }

    [GeneratedRegex("^[A-Za-z0-9_]+$", RegexOptions.CultureInvariant)]
    private static partial Regex Pattern();
}
