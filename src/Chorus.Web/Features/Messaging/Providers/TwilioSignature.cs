using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Primitives;

namespace Chorus.Features.Messaging.Providers;

/// <summary>
/// X-Twilio-Signature (DOMAIN.md §4.4): Base64(HMAC-SHA1(auth token, URL + each form parameter's name and value in
/// ordinal name order)). Written here rather than taken from the Twilio SDK's RequestValidator because that one takes
/// a single value per name, and Twilio's multi-valued parameters (sorted, de-duplicated values, as the node library
/// does) are part of the vectors we must pass. The simulator signs its webhooks with the same function.
/// </summary>
public static class TwilioSignature
{
    public const string Header = "X-Twilio-Signature";

    /// <summary>The signature of a form POST to <paramref name="url"/> with <paramref name="parameters"/>.</summary>
    public static string Compute(string url, IEnumerable<KeyValuePair<string, StringValues>> parameters, string authToken) =>
        Convert.ToBase64String(Sign(Encoding.UTF8.GetBytes(authToken), url + SignedParameters(parameters)));

    /// <summary>
    /// Whether <paramref name="signature"/> is Twilio's for this request: over the URL as given, then (as every Twilio
    /// library does, "since sig generation on back end is inconsistent") without its port and with the scheme's
    /// default port. Each comparison is constant-time; the parameters are put in order once, and the first variant that
    /// matches ends the search (which variant Twilio signed is no secret).
    /// </summary>
    public static bool IsValid(string url, IEnumerable<KeyValuePair<string, StringValues>> parameters, string authToken, string? signature)
    {
        if (string.IsNullOrEmpty(signature) || string.IsNullOrEmpty(authToken))
        {
            return false;
        }

        var signed = SignedParameters(parameters);
        var key = Encoding.UTF8.GetBytes(authToken);
        var expected = Encoding.UTF8.GetBytes(signature);
        foreach (var candidate in UrlVariants(url))
        {
            if (CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(Convert.ToBase64String(Sign(key, candidate + signed))), expected))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Each parameter's name and value, in ordinal name order, multi-valued ones sorted and de-duplicated.</summary>
    private static string SignedParameters(IEnumerable<KeyValuePair<string, StringValues>> parameters)
    {
        var data = new StringBuilder();
        foreach (var (name, values) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            if (values.Count == 1)
            {
                data.Append(name).Append(values[0]);
                continue;
            }

            foreach (var value in values.Select(v => v ?? "").Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
            {
                data.Append(name).Append(value);
            }
        }

        return data.ToString();
    }

#pragma warning disable CA5350 // Twilio's protocol fixes HMAC-SHA1; we verify it, we do not choose it.
    private static byte[] Sign(byte[] key, string data) => HMACSHA1.HashData(key, Encoding.UTF8.GetBytes(data));
#pragma warning restore CA5350

    /// <summary>
    /// Whether <paramref name="signature"/> is Twilio's for a JSON-bodied request (DOMAIN.md §4.4 step 7): the URL
    /// carries <c>bodySHA256</c>, the lowercase hex SHA-256 of the raw body, and the signature covers the URL alone (no
    /// parameters appended). A URL without <c>bodySHA256</c> never validates a JSON body.
    /// </summary>
    public static bool IsValidJson(string url, string rawBody, string authToken, string? signature)
    {
        var claimedHash = BodyHashParameter(url);
        if (claimedHash is null)
        {
            return false;
        }

        var signatureValid = IsValid(url, [], authToken, signature);
        var actualHash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(rawBody)));
        var hashValid = CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(actualHash), Encoding.ASCII.GetBytes(claimedHash));
        return signatureValid & hashValid;
    }

    private static string? BodyHashParameter(string url)
    {
        var queryStart = url.IndexOf('?', StringComparison.Ordinal);
        if (queryStart < 0)
        {
            return null;
        }

        var fragment = url.IndexOf('#', queryStart);
        var query = Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(fragment < 0 ? url[queryStart..] : url[queryStart..fragment]);
        return query.TryGetValue("bodySHA256", out var values) && !StringValues.IsNullOrEmpty(values) ? values[0] : null;
    }

    /// <summary>
    /// The URL as given, without its port, and with the default port of its scheme; and each of those again with its
    /// query percent-encoded the way a WHATWG URL parser does (<c>'</c> becomes <c>%27</c>), because Twilio has signed
    /// both spellings (node's "legacy querystring" retry; DOMAIN.md §4.4 step 6). Distinct.
    /// </summary>
    public static IEnumerable<string> UrlVariants(string url) =>
        PortVariants(url).SelectMany(u => new[] { u, WhatwgQuery(u) }).Distinct(StringComparer.Ordinal);

    // The WHATWG "special-query percent-encode set" beyond what a configured URL can already contain unescaped.
    private static string WhatwgQuery(string url)
    {
        var queryStart = url.IndexOf('?', StringComparison.Ordinal);
        if (queryStart < 0)
        {
            return url;
        }

        var query = new StringBuilder(url.Length + 8);
        foreach (var c in url.AsSpan(queryStart))
        {
            _ = c switch
            {
                '\'' => query.Append("%27"),
                '"' => query.Append("%22"),
                '<' => query.Append("%3C"),
                '>' => query.Append("%3E"),
                ' ' => query.Append("%20"),
                _ => query.Append(c),
            };
        }

        return string.Concat(url.AsSpan(0, queryStart), query.ToString());
    }

    private static IEnumerable<string> PortVariants(string url)
    {
        yield return url;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri))
        {
            yield break;
        }

        var withoutPort = WithPort(url, uri, null);
        if (withoutPort != url)
        {
            yield return withoutPort;
        }

        var defaultPort = uri.Scheme.Equals("https", StringComparison.OrdinalIgnoreCase) ? 443 : 80;
        var withDefault = WithPort(url, uri, defaultPort);
        if (withDefault != url && withDefault != withoutPort)
        {
            yield return withDefault;
        }
    }

    // Rebuilds the authority by hand so that the scheme's and host's case and any user info are kept exactly as given
    // (they are part of what was signed).
    private static string WithPort(string url, Uri uri, int? port)
    {
        var schemeEnd = url.IndexOf("://", StringComparison.Ordinal);
        if (schemeEnd < 0)
        {
            return url;
        }

        var authorityStart = schemeEnd + 3;
        var authorityEnd = url.IndexOfAny(['/', '?', '#'], authorityStart);
        if (authorityEnd < 0)
        {
            authorityEnd = url.Length;
        }

        var authority = url[authorityStart..authorityEnd];
        var at = authority.LastIndexOf('@');
        var userInfo = at >= 0 ? authority[..(at + 1)] : "";
        var hostPort = authority[(at + 1)..];
        var colon = hostPort.StartsWith('[') ? hostPort.IndexOf("]:", StringComparison.Ordinal) + 1 : hostPort.LastIndexOf(':');
        var host = colon > 0 ? hostPort[..colon] : hostPort;
        _ = uri;
        var newAuthority = userInfo + host + (port is { } p ? ":" + p.ToString(System.Globalization.CultureInfo.InvariantCulture) : "");
        return string.Concat(url.AsSpan(0, authorityStart), newAuthority, url.AsSpan(authorityEnd));
    }
}
