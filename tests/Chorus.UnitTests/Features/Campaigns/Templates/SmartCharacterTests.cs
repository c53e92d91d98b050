using Chorus.Features.Campaigns.Templates;

namespace Chorus.UnitTests.Features.Campaigns.Templates;

public sealed class SmartCharacterTests
{
    [Theory]
    [InlineData('’', "'")]
    [InlineData('‘', "'")]
    [InlineData('“', "\"")]
    [InlineData('”', "\"")]
    [InlineData('´', "'")]
    [InlineData('`', "'")]
    [InlineData('–', "-")]
    [InlineData('—', "-")]
    [InlineData('…', "...")]
    [InlineData('•', "-")]
    [InlineData('½', "1/2")]
    [InlineData('Ａ', "A")]
    [InlineData('\u200b', "")]
    [InlineData('\t', "       ")]
    public void Suggests_twilios_gsm_look_alike_for_smart_punctuation(char smart, string expected)
    {
        var found = SegmentCounter.TryGetReplacement(smart, out var replacement);

        Assert.True(found);
        Assert.Equal(expected, replacement);
    }

    [Fact]
    public void A_no_break_space_becomes_two_spaces_as_in_twilios_smart_encoding_map()
    {
        // The calculator's SmartEncodingMap maps U+00A0 and the other wide spaces to two spaces; we follow it
        // so that cost estimates with Smart Encoding on match Twilio's.
        var found = SegmentCounter.TryGetReplacement('\u00a0', out var replacement);

        Assert.True(found);
        Assert.Equal("  ", replacement);
    }

    [Theory]
    [InlineData("😀")]
    [InlineData("ç")]
    [InlineData("á")]
    [InlineData("中")]
    public void Emoji_and_letters_outside_gsm_have_no_replacement(string character)
    {
        var info = SegmentCounter.Analyze("Hi " + character);

        var nonGsm = Assert.Single(info.NonGsmCharacters);

        Assert.Equal(character, nonGsm.Character);
        Assert.Null(nonGsm.Replacement);
    }

    [Fact]
    public void A_cluster_whose_every_part_has_a_look_alike_is_replaced_as_smart_encoding_would()
    {
        var info = SegmentCounter.Analyze("man\u0303ana");

        var nonGsm = Assert.Single(info.NonGsmCharacters);

        Assert.Equal("n\u0303", nonGsm.Character);
        Assert.Equal("n~", nonGsm.Replacement);
    }

    [Fact]
    public void Replacing_smart_characters_turns_a_pasted_word_processor_script_back_into_one_gsm_segment()
    {
        var pasted = "Hi Ana, it’s Sam with “Smith for Senate” — can we count on your vote Tuesday… Reply STOP to opt out";

        var replaced = SegmentCounter.ReplaceSmartCharacters(pasted);

        Assert.Equal("Hi Ana, it's Sam with \"Smith for Senate\" - can we count on your vote Tuesday... Reply STOP to opt out", replaced);
        Assert.Equal(2, SegmentCounter.Count(pasted).Segments);
        Assert.Equal(new SegmentCount(101, SmsEncoding.Gsm7, 1, 101), SegmentCounter.Count(replaced));
    }

    [Fact]
    public void Replacing_skips_longer_look_alikes_when_they_would_cost_another_segment()
    {
        // The emoji keeps the message UCS-2, where a tab turned into 7 spaces costs 6 more code units:
        // 69 units would become 75 and need a second segment. The one-for-one quote replacement still happens.
        var text = "😀\t’" + new string('a', 65);

        var replaced = SegmentCounter.ReplaceSmartCharacters(text);

        Assert.Equal("😀\t'" + new string('a', 65), replaced);
        Assert.Equal(1, SegmentCounter.Count(replaced).Segments);
        Assert.Equal(2, SegmentCounter.Count(SegmentCounter.ApplySmartEncoding(text)).Segments);
    }

    [Fact]
    public void Text_without_smart_characters_comes_back_unchanged()
    {
        var text = "Hi José! Reply STOP to opt out 😀";

        Assert.Same(text, SegmentCounter.ReplaceSmartCharacters(text));
        Assert.Same(text, SegmentCounter.ApplySmartEncoding(text));
    }
}
