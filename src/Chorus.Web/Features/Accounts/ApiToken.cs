using System.Security.Cryptography;
using System.Text;

namespace Chorus.Features.Accounts;

/// <summary>
/// A personal API token. Only its SHA-256 hash is stored: the token itself is shown once, at creation.
/// A plain hash (not a password hash) is enough because the token is 32 random bytes, not something a person chose.
/// </summary>
public sealed class ApiToken
{
    public const string TokenPrefix = "chorus_";
    public const int MaxNameLength = 100;

    public Guid Id { get; init; } = Guid.CreateVersion7();
    public Guid UserId { get; init; }
    public required string Name { get; init; }
    public required string TokenHash { get; init; }

    /// <summary>The first characters of the token, so a person can tell their tokens apart.</summary>
    public required string Hint { get; init; }

    public DateTime CreatedUtc { get; init; }
    public DateTime? LastUsedUtc { get; set; }
    public DateTime? RevokedUtc { get; set; }

    public static (ApiToken Token, string Secret) Issue(Guid userId, string name, DateTime nowUtc)
    {
        var secret = TokenPrefix + Base64Url(RandomNumberGenerator.GetBytes(32));
        var token = new ApiToken
        {
            UserId = userId,
            Name = name,
            TokenHash = Hash(secret),
            Hint = secret[..(TokenPrefix.Length + 6)],
            CreatedUtc = nowUtc,
        };
        return (token, secret);
    }

    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));

    internal static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
