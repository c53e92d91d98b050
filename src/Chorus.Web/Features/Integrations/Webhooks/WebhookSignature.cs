using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Chorus.Features.Integrations.Webhooks;

/// <summary>
/// The signing scheme of outbound webhooks: <c>v1=</c> and the lowercase hex HMAC-SHA256, keyed with the UTF-8 bytes of
/// the signing secret, of <c>"{timestamp}.{body}"</c> (the unix-seconds timestamp sent in <c>Chorus-Webhook-Timestamp</c>,
/// a dot, and the exact bytes of the body). Signing the timestamp with the body lets receivers refuse old requests.
/// </summary>
public static class WebhookSignature
{
    public const string IdHeader = "Chorus-Webhook-Id";
    public const string TimestampHeader = "Chorus-Webhook-Timestamp";
    public const string SignatureHeader = "Chorus-Webhook-Signature";
    public const string Version = "v1";

    /// <summary>The shortest signing secret accepted from a caller (Chorus makes 43-character ones).</summary>
    public const int MinSecretLength = 32;
    public const int MaxSecretLength = 256;

    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes(timestamp.ToString(CultureInfo.InvariantCulture) + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        return $"{Version}={Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed))}";
    }

    /// <summary>A new signing secret: 32 random bytes, base64url without padding (43 characters).</summary>
    public static string NewSecret() =>
        Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));
}
