using Chorus.Features.Campaigns.Templates;
using static Chorus.Features.Campaigns.Templates.SmsEncoding;

namespace Chorus.UnitTests.Features.Campaigns.Templates;

public sealed class SegmentCounterTests
{
    private const string Digits = "1234567890";

    // DOMAIN.md §3.4, computed with sms-segments-calculator 1.3.0. The first column names the row.
    public static TheoryData<string, string, SmsEncoding, int> DomainVectors => new()
    {
        { "160 digits", Repeat(Digits, 16), Gsm7, 1 },
        { "161 digits", Repeat(Digits, 17)[..161], Gsm7, 2 },
        { "307 digits", Repeat(Digits, 31)[..307], Gsm7, 3 },
        { "a x306", new string('a', 306), Gsm7, 2 },
        { "a x307", new string('a', 307), Gsm7, 3 },
        { "a x459", new string('a', 459), Gsm7, 3 },
        { "a x460", new string('a', 460), Gsm7, 4 },
        { "€ x80", new string('€', 80), Gsm7, 1 },
        { "€ x81", new string('€', 81), Gsm7, 2 },
        { "a x159 + €", new string('a', 159) + "€", Gsm7, 2 },
        { "a x152 + € + a x152", new string('a', 152) + "€" + new string('a', 152), Gsm7, 3 },
        { "a x151 + € + a x153", new string('a', 151) + "€" + new string('a', 153), Gsm7, 2 },
        { "😜 + 68 digits", "😜" + Repeat(Digits, 7)[..68], Ucs2, 1 },
        { "😜 + 69 digits", "😜" + Repeat(Digits, 7)[..69], Ucs2, 2 },
        { "😀 x35", Repeat("😀", 35), Ucs2, 1 },
        { "😀 x36", Repeat("😀", 36), Ucs2, 2 },
        { "a x66 + 😀 + a x66", new string('a', 66) + "😀" + new string('a', 66), Ucs2, 3 },
        { "🏳️‍🌈 + 64 digits", "🏳️‍🌈" + Repeat(Digits, 7)[..64], Ucs2, 1 },
        { "’ + a x69", "’" + new string('a', 69), Ucs2, 1 },
        { "’ + a x70", "’" + new string('a', 70), Ucs2, 2 },
        { "ç x70", new string('ç', 70), Ucs2, 1 },
        { "ç x71", new string('ç', 71), Ucs2, 2 },
        { "é x70", new string('é', 70), Gsm7, 1 },
        { "Ç x160", new string('Ç', 160), Gsm7, 1 },
        { "Ω x160", new string('Ω', 160), Gsm7, 1 },
        // DOMAIN.md lists ]x69 as 1 segment, but that is 71 code units: the calculator says 2, and 1 for ]x68.
        { "😀 + ] x68", "😀" + new string(']', 68), Ucs2, 1 },
        { "😀 + ] x69", "😀" + new string(']', 69), Ucs2, 2 },
        { "curly apostrophe script", "Hi Ana, it’s Sam with Smith for Senate. Can we count on your vote Tuesday? Reply STOP to opt out", Ucs2, 2 },
        { "straight apostrophe script", "Hi Ana, it's Sam with Smith for Senate. Can we count on your vote Tuesday? Reply STOP to opt out", Gsm7, 1 },
        { "emoji donate ask", "Can you chip in $5? 👉 https://secure.actblue.com/donate/smith?refcode=sms_0412", Ucs2, 2 },
    };

    [Theory]
    [MemberData(nameof(DomainVectors))]
    public void Counts_each_domain_vector_like_twilios_calculator(string row, string text, SmsEncoding encoding, int segments)
    {
        var count = SegmentCounter.Count(text);

        Assert.True(encoding == count.Encoding && segments == count.Segments, $"{row}: expected {encoding}/{segments}, got {count.Encoding}/{count.Segments}");
    }

    [Fact]
    public void Smart_encoding_turns_curly_quotes_into_a_one_segment_gsm_message()
    {
        var sent = SegmentCounter.ApplySmartEncoding("“Hello” it’s me");

        var count = SegmentCounter.Count(sent);

        Assert.Equal("\"Hello\" it's me", sent);
        Assert.Equal(new SegmentCount(15, Gsm7, 1, 15), count);
    }

    [Fact]
    public void A_smart_quote_forces_ucs2_and_doubles_the_segments()
    {
        var straight = "Hi Ana, it's Sam with Smith for Senate. Can we count on your vote Tuesday? Reply STOP to opt out";

        var before = SegmentCounter.Count(straight);
        var after = SegmentCounter.Count(straight.Replace('\'', '’'));

        Assert.Equal((Gsm7, 1), (before.Encoding, before.Segments));
        Assert.Equal((Ucs2, 2), (after.Encoding, after.Segments));
    }

    [Fact]
    public void An_empty_message_is_one_gsm_segment_of_no_characters()
    {
        Assert.Equal(new SegmentCount(0, Gsm7, 1, 0), SegmentCounter.Count(""));
    }

    [Theory]
    [InlineData(1, 1)]
    [InlineData(160, 1)]
    [InlineData(161, 2)]
    [InlineData(306, 2)]
    [InlineData(307, 3)]
    [InlineData(459, 3)]
    [InlineData(460, 4)]
    [InlineData(1600, 11)]
    public void Gsm_messages_hold_160_septets_in_one_segment_and_153_per_segment_after(int length, int segments)
    {
        var count = SegmentCounter.Count(new string('x', length));

        Assert.Equal(new SegmentCount(length, Gsm7, segments, length), count);
    }

    [Theory]
    [InlineData(70, 1)]
    [InlineData(71, 2)]
    [InlineData(134, 2)]
    [InlineData(135, 3)]
    [InlineData(201, 3)]
    [InlineData(202, 4)]
    public void Ucs2_messages_hold_70_code_units_in_one_segment_and_67_per_segment_after(int length, int segments)
    {
        var count = SegmentCounter.Count("ç" + new string('x', length - 1));

        Assert.Equal(new SegmentCount(length, Ucs2, segments, length), count);
    }

    [Theory]
    [InlineData('^')]
    [InlineData('{')]
    [InlineData('}')]
    [InlineData('\\')]
    [InlineData('[')]
    [InlineData('~')]
    [InlineData(']')]
    [InlineData('|')]
    [InlineData('€')]
    [InlineData('\f')]
    public void Extension_characters_cost_two_septets(char extension)
    {
        var count = SegmentCounter.Count(new string('a', 158) + extension);

        Assert.Equal(new SegmentCount(160, Gsm7, 1, 160), count);
        Assert.Equal(2, SegmentCounter.Count(new string('a', 159) + extension).Segments);
    }

    [Fact]
    public void An_extension_character_that_straddles_a_segment_boundary_moves_whole_to_the_next_segment()
    {
        // 152 + 2 septets don't fit the first concatenated segment's 153, so the € starts segment 2,
        // which then holds 2 + 152 = 154 septets: too many, so a third segment is needed.
        var straddling = new string('a', 152) + "€" + new string('a', 152);

        var count = SegmentCounter.Count(straddling);

        Assert.Equal(306, count.Characters);
        Assert.Equal(3, count.Segments);
    }

    [Fact]
    public void A_surrogate_pair_that_straddles_a_segment_boundary_moves_whole_to_the_next_segment()
    {
        var straddling = new string('a', 66) + "😀" + new string('a', 66);

        var count = SegmentCounter.Count(straddling);

        Assert.Equal(new SegmentCount(133, Ucs2, 3, 134), count);
    }

    [Fact]
    public void A_family_emoji_is_one_character_of_several_code_units_and_never_split()
    {
        // 134 code units would fill exactly two concatenated segments, but the 8-unit family emoji doesn't
        // fit after the first 63 units and moves whole, so the message needs a third segment.
        var text = "ç" + new string('x', 62) + "👨‍👩‍👧" + new string('x', 63);

        var count = SegmentCounter.Count(text);

        Assert.Equal(new SegmentCount(127, Ucs2, 3, 134), count);
    }

    [Fact]
    public void Crlf_counts_as_two_characters()
    {
        var gsm = SegmentCounter.Count("a\r\nb");
        var ucs2 = SegmentCounter.Count("ç\r\nb");

        Assert.Equal(new SegmentCount(4, Gsm7, 1, 4), gsm);
        Assert.Equal(new SegmentCount(4, Ucs2, 1, 4), ucs2);
    }

    [Fact]
    public void Ucs2_characters_are_counted_as_twilios_calculator_clusters_them()
    {
        // grapheme-splitter (Unicode 10) keeps a skin tone on 👍 but not on 🫶, an emoji from 2021,
        // and splits ❤️‍🔥 after the joiner: the calculator says 5 characters, so do we.
        var count = SegmentCounter.Count("👍🏽🫶🏽❤️‍🔥");

        Assert.Equal(5, count.Characters);
    }

    [Fact]
    public void Gsm_characters_in_a_ucs2_message_cost_one_code_unit_extension_characters_included()
    {
        var count = SegmentCounter.Count("😀" + new string('€', 68));

        Assert.Equal(new SegmentCount(69, Ucs2, 1, 70), count);
    }

    [Fact]
    public void Lone_surrogates_are_ucs2_characters_of_their_own()
    {
        var count = SegmentCounter.Count("a\uD800b");

        Assert.Equal(new SegmentCount(3, Ucs2, 1, 3), count);
    }

    [Fact]
    public void Analyze_returns_no_non_gsm_characters_for_a_gsm_message()
    {
        var info = SegmentCounter.Analyze("Hi José, 5€ [or more]?");

        Assert.Equal(Gsm7, info.Encoding);
        Assert.Empty(info.NonGsmCharacters);
    }

    [Fact]
    public void Analyze_lists_each_non_gsm_character_with_its_positions_and_replacement()
    {
        var info = SegmentCounter.Analyze("It’s “on” — ç’est 👍🏽!");

        Assert.Equal(
            [
                ("’", 2, "2,13", "'"),
                ("“", 1, "5", "\""),
                ("”", 1, "8", "\""),
                ("—", 1, "10", "-"),
                ("ç", 1, "12", null),
                ("👍🏽", 1, "18", null),
            ],
            info.NonGsmCharacters.Select(c => (c.Character, c.Count, string.Join(',', c.Indexes), c.Replacement)));
    }

    [Fact]
    public void Estimates_cost_as_segments_times_price_without_rounding()
    {
        Assert.Equal(0.0237m, SegmentCounter.EstimateCost(3, 0.0079m));
        Assert.Equal(23_700m, SegmentCounter.EstimateCost(3_000_000L, 0.0079m));
        Assert.Throws<ArgumentOutOfRangeException>(() => SegmentCounter.EstimateCost(-1, 0.0079m));
    }

    private static string Repeat(string text, int times) => string.Concat(Enumerable.Repeat(text, times));
}
