namespace Chorus.Features.Campaigns.Templates;

/// <summary>
/// What a message body costs, counted the way Twilio's segment calculator counts it
/// (npm <c>sms-segments-calculator</c> 1.3.0; see README.md).
/// </summary>
/// <param name="Characters">
/// The calculator's <c>numberOfCharacters</c>: for GSM-7 the septets, so each extension character
/// (<c>^ { } \ [ ~ ] | €</c>, form feed) counts 2; for UCS-2 the user-perceived characters (grapheme clusters:
/// an emoji flag or a family emoji is 1), with <c>\r\n</c> counted as 2.
/// </param>
/// <param name="Encoding">GSM-7 when every character is in the GSM-7 basic set or extension table.</param>
/// <param name="Segments">Billable SMS segments; at least 1, even for an empty body.</param>
/// <param name="CodeUnits">What fills the segments: septets for GSM-7, UTF-16 code units for UCS-2.</param>
public readonly record struct SegmentCount(int Characters, SmsEncoding Encoding, int Segments, int CodeUnits);

/// <summary><see cref="SegmentCount"/> plus the characters that forced UCS-2, for the script editor.</summary>
/// <param name="Characters">As in <see cref="SegmentCount"/>: septets for GSM-7, grapheme clusters for UCS-2.</param>
/// <param name="Encoding">As in <see cref="SegmentCount"/>.</param>
/// <param name="Segments">As in <see cref="SegmentCount"/>.</param>
/// <param name="CodeUnits">As in <see cref="SegmentCount"/>.</param>
/// <param name="NonGsmCharacters">
/// Each distinct character outside GSM-7, in order of first appearance; empty for a GSM-7 body.
/// </param>
public sealed record SegmentInfo(
    int Characters,
    SmsEncoding Encoding,
    int Segments,
    int CodeUnits,
    IReadOnlyList<NonGsmCharacter> NonGsmCharacters)
{
    public SegmentCount Count => new(Characters, Encoding, Segments, CodeUnits);
}

/// <summary>A character (grapheme cluster) outside GSM-7 and where it occurs.</summary>
/// <param name="Character">The grapheme cluster as it appears in the text, e.g. <c>’</c> or <c>👍🏽</c>.</param>
/// <param name="Count">How many times it occurs.</param>
/// <param name="Indexes">The UTF-16 index of each occurrence in the text.</param>
/// <param name="Replacement">
/// The GSM-7 look-alike Twilio's Smart Encoding would send instead (<c>’</c> → <c>'</c>, <c>—</c> → <c>-</c>,
/// <c>…</c> → <c>...</c>), or null when there is none (emoji, <c>ç</c>, <c>á</c>).
/// </param>
public sealed record NonGsmCharacter(string Character, int Count, IReadOnlyList<int> Indexes, string? Replacement);
