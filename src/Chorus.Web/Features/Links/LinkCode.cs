using System.Security.Cryptography;

namespace Chorus.Features.Links;

/// <summary>
/// Short codes: a fixed number of random base62 characters. Fixed, so a message's length (and its segment count) is
/// known before its codes exist; base62, so every character is GSM-7 and URL-safe.
/// </summary>
public static class LinkCode
{
    /// <summary>62^8 ≈ 2.2 × 10^14 codes: guessing one among a million live links takes ~10^8 tries.</summary>
    public const int Length = 8;

    public const string Alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    /// <summary>What previews show in place of a code not made yet: same length, so the same segment count.</summary>
    public static readonly string Placeholder = new('x', Length);

    public static string New() => RandomNumberGenerator.GetString(Alphabet, Length);

    public static bool IsWellFormed(string? code) =>
        code is { Length: Length } && code.All(c => c is (>= '0' and <= '9') or (>= 'A' and <= 'Z') or (>= 'a' and <= 'z'));
}
