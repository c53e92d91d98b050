using System.Text;
using Chorus.Features.Campaigns.Templates;

namespace Chorus.UnitTests.Features.Campaigns.Templates;

// Invariants checked over many seeded random bodies; a failure names the seed's body so it can be replayed.
public sealed class SegmentCounterPropertyTests
{
    private const int Runs = 3_000;

    private static readonly string[] Ascii = [.. "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,!?'\"-:;()@#$%&*+/=<>_".Select(c => c.ToString())];
    private static readonly string[] GsmOnly = [.. Ascii, "^", "{", "}", "\\", "[", "~", "]", "|", "€", "\f", "\n", "\r\n", "é", "Ñ", "ß", "£", "Ω", "Ç"];
    private static readonly string[] Pieces =
    [
        .. GsmOnly, "’", "“", "”", "—", "–", "…", "\u00a0", "\t", "½", "‼", "´", "`", "ç", "á", "ó", "😀", "👉", "🇺🇸", "🇲",
        "👍🏽", "🏽", "\u200d", "\u200b", "\u2060", "\ufeff", "\u00a0", "\u0600", "❤️‍🔥", "👨‍👩‍👧", "e\u0301", "\u0301", "\ufe0f", "中", "𝐕", "\u1100", "\u1161", "\u11a8",
    ];

    [Fact]
    public void Appending_a_character_never_decreases_the_segment_count()
    {
        var random = new Random(20_241_105);

        for (var run = 0; run < Runs; run++)
        {
            var text = RandomText(random, Pieces, random.Next(0, 420));
            var appended = text + Pick(random, Pieces);

            var before = SegmentCounter.Count(text).Segments;
            var after = SegmentCounter.Count(appended).Segments;

            Assert.True(after >= before, $"{Escape(text)} is {before} segments but {after} with {Escape(appended[text.Length..])} appended");
        }
    }

    [Fact]
    public void Gsm_text_of_at_most_160_septets_is_one_segment()
    {
        var random = new Random(160);

        for (var run = 0; run < Runs; run++)
        {
            var target = random.Next(0, 161);
            var builder = new StringBuilder();
            var septets = 0;
            for (var piece = Pick(random, GsmOnly); septets + SegmentCounter.Count(piece).Characters <= target; piece = Pick(random, GsmOnly))
            {
                builder.Append(piece);
                septets += SegmentCounter.Count(piece).Characters;
            }

            builder.Append('a', target - septets);

            var count = SegmentCounter.Count(builder.ToString());

            Assert.Equal(SmsEncoding.Gsm7, count.Encoding);
            Assert.True(count.Characters == target && count.Segments == 1, $"{Escape(builder.ToString())}: {count}");
        }
    }

    [Fact]
    public void Replacing_smart_characters_never_increases_the_segment_count()
    {
        var random = new Random(7);

        for (var run = 0; run < Runs; run++)
        {
            var text = RandomText(random, Pieces, random.Next(0, 420));

            var before = SegmentCounter.Count(text).Segments;
            var after = SegmentCounter.Count(SegmentCounter.ReplaceSmartCharacters(text)).Segments;

            Assert.True(after <= before, $"{Escape(text)}: {before} segments before, {after} after replacement");
        }
    }

    [Fact]
    public void Analyze_agrees_with_Count_and_lists_non_gsm_characters_only_for_ucs2()
    {
        var random = new Random(42);

        for (var run = 0; run < Runs; run++)
        {
            var text = RandomText(random, Pieces, random.Next(0, 300));

            var info = SegmentCounter.Analyze(text);

            Assert.Equal(SegmentCounter.Count(text), info.Count);
            Assert.Equal(info.Encoding == SmsEncoding.Ucs2, info.NonGsmCharacters.Count > 0);
            Assert.All(info.NonGsmCharacters, c => Assert.All(c.Indexes, i => Assert.True(text.AsSpan(i).StartsWith(c.Character, StringComparison.Ordinal))));
        }
    }

    private static string RandomText(Random random, string[] pieces, int length)
    {
        var asciiShare = random.NextDouble();
        var builder = new StringBuilder();
        for (var i = 0; i < length; i++)
        {
            builder.Append(random.NextDouble() < asciiShare ? Pick(random, Ascii) : Pick(random, pieces));
        }

        return builder.ToString();
    }

    private static string Pick(Random random, string[] pieces) => pieces[random.Next(pieces.Length)];

    private static string Escape(string text) =>
        string.Concat(text.Select(c => c is >= ' ' and < '\u007f' ? c.ToString() : $"\\u{(int)c:x4}"));
}
