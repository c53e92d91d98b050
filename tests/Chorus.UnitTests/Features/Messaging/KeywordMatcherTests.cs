using Chorus.Features.Messaging.Keywords;

namespace Chorus.UnitTests.Features.Messaging;

public sealed class KeywordMatcherTests
{
    [Theory]
    [InlineData("STOP")]
    [InlineData("STOPALL")]
    [InlineData("STOP ALL")]
    [InlineData("UNSUBSCRIBE")]
    [InlineData("CANCEL")]
    [InlineData("END")]
    [InlineData("QUIT")]
    [InlineData("REVOKE")]
    [InlineData("OPTOUT")]
    [InlineData("OPT OUT")]
    [InlineData("OPT-OUT")]
    [InlineData("PARAR")]
    [InlineData("PARE")]
    [InlineData("ALTO")]
    [InlineData("DETENER")]
    [InlineData("CANCELAR")]
    [InlineData("BASTA")]
    [InlineData("NO MAS")]
    [InlineData("BAJA")]
    public void Every_default_opt_out_keyword_opts_out(string body)
    {
        var match = KeywordMatcher.Match(body, KeywordRules.Default);

        Assert.Equal(KeywordKind.OptOut, match.Kind);
    }

    [Theory]
    [InlineData("stop", "STOP")]
    [InlineData("Stop", "STOP")]
    [InlineData("  stop  ", "STOP")]
    [InlineData("Stop.", "STOP")]
    [InlineData("Stop!", "STOP")]
    [InlineData("\"stop\"", "STOP")]
    [InlineData("STOP 🛑", "STOP")]
    [InlineData("🛑🛑 stop!!! 🙏🏽", "STOP")]
    [InlineData("stop ✋\uFE0F", "STOP")]
    [InlineData("👨\u200D👩\u200D👧 stop", "STOP")]
    [InlineData("ＳＴＯＰ", "STOP")]
    [InlineData("s\u200Btop", "STOP")]
    [InlineData("stop\r\n", "STOP")]
    [InlineData("Alto", "ALTO")]
    [InlineData("ALTO!", "ALTO")]
    [InlineData("no más", "NO MAS")]
    [InlineData("No   Más.", "NO MAS")]
    [InlineData("Opt-Out", "OPT-OUT")]
    [InlineData("opt out", "OPT OUT")]
    [InlineData("Opt\tOut", "OPT OUT")]
    [InlineData("stop all", "STOP ALL")]
    [InlineData("Détener", "DETENER")]
    public void Opts_out_whatever_the_case_spacing_punctuation_emoji_width_or_accents(string body, string normalized)
    {
        var match = KeywordMatcher.Match(body, KeywordRules.Default);

        Assert.Equal(KeywordKind.OptOut, match.Kind);
        Assert.Equal(normalized, match.Normalized);
    }

    [Theory]
    [InlineData("Opt - out")]
    [InlineData("OPT_OUT")]
    [InlineData("opt.out")]
    [InlineData("No-más")]
    public void Opts_out_on_the_keywords_words_with_only_punctuation_between_them(string body)
    {
        var match = KeywordMatcher.Match(body, KeywordRules.Default);

        Assert.Equal(KeywordKind.OptOut, match.Kind);
    }

    [Theory]
    [InlineData("START")]
    [InlineData("start")]
    [InlineData("Unstop")]
    [InlineData("YES")]
    [InlineData("Yes!")]
    [InlineData("yes 👍")]
    public void Opt_in_words_opt_in(string body)
    {
        var match = KeywordMatcher.Match(body, KeywordRules.Default);

        Assert.Equal(KeywordKind.OptIn, match.Kind);
    }

    [Theory]
    [InlineData("HELP")]
    [InlineData("help?")]
    [InlineData("Info")]
    public void Help_words_ask_for_help(string body)
    {
        var match = KeywordMatcher.Match(body, KeywordRules.Default);

        Assert.Equal(KeywordKind.Help, match.Kind);
    }

    [Theory]
    [InlineData("stop texting me")]
    [InlineData("Please remove me from your list")]
    [InlineData("wrong number")]
    [InlineData("Wrong number!!")]
    [InlineData("STOP PLEASE")]
    [InlineData("stop it")]
    [InlineData("Stop, please.")]
    [InlineData("PLEASE CANCEL")]
    [InlineData("please unsubscribe me")]
    [InlineData("Don't text me again")]
    [InlineData("Don’t text me again")]
    [InlineData("do not text this number")]
    [InlineData("Take me off this list")]
    [InlineData("Leave me alone.")]
    [InlineData("lose my number")]
    [InlineData("I'm not interested")]
    [InlineData("no more texts please")]
    [InlineData("Número equivocado")]
    [InlineData("Por favor no me escriban")]
    [InlineData("alto por favor")]
    public void Opt_out_wording_that_is_not_a_keyword_is_flagged_as_a_likely_opt_out(string body)
    {
        var match = KeywordMatcher.Match(body, KeywordRules.Default);

        Assert.Equal(KeywordKind.LikelyOptOut, match.Kind);
    }

    [Theory]
    [InlineData("We have to STOP this bill")]
    [InlineData("Yes I'll vote")]
    [InlineData("I will start knocking doors tomorrow")]
    [InlineData("Can you help me find my polling place?")]
    [InlineData("Stopping by the office later")]
    [InlineData("The information was useful")]
    [InlineData("Removed my yard sign? No, it's still up")]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("🛑")]
    [InlineData("?!")]
    public void Replies_that_only_contain_a_keyword_or_part_of_one_match_nothing(string body)
    {
        var match = KeywordMatcher.Match(body, KeywordRules.Default);

        Assert.Equal(KeywordKind.None, match.Kind);
    }

    [Theory]
    [InlineData("stop by the office")]
    [InlineData("We have to STOP this bill")]
    [InlineData("This has to end now, vote yes")]
    [InlineData("STOPPED")]
    [InlineData("unstoppable")]
    public void A_reply_merely_containing_an_opt_out_word_never_opts_out(string body)
    {
        var match = KeywordMatcher.Match(body, KeywordRules.Default);

        Assert.NotEqual(KeywordKind.OptOut, match.Kind);
    }

    [Theory]
    [InlineData("STOP")]
    [InlineData("stop")]
    [InlineData(" Stop \n")]
    [InlineData("Help")]
    [InlineData("info")]
    [InlineData("STOPALL")]
    [InlineData("optout")]
    [InlineData("Revoke")]
    [InlineData("UNSTOP")]
    [InlineData("yes")]
    [InlineData("Start")]
    public void Twilio_answers_its_own_single_word_keywords(string body)
    {
        var match = KeywordMatcher.Match(body, KeywordRules.Default);

        Assert.True(match.ProviderAnswers);
    }

    [Theory]
    [InlineData("stop all")]
    [InlineData("opt out")]
    [InlineData("OPT-OUT")]
    [InlineData("ALTO")]
    [InlineData("Stop.")]
    [InlineData("STOP 🛑")]
    [InlineData("ＳＴＯＰ")]
    [InlineData("STOP PLEASE")]
    [InlineData("ſtop")]
    [InlineData("ınfo")]
    [InlineData("wrong number")]
    public void Twilio_is_not_counted_on_to_answer_anything_else(string body)
    {
        var match = KeywordMatcher.Match(body, KeywordRules.Default);

        Assert.False(match.ProviderAnswers);
    }

    [Fact]
    public void An_organization_can_add_its_own_opt_out_keyword()
    {
        var rules = KeywordRules.Parse("ARRET, ARRÊTE\nSTOP", null, null, null);

        Assert.Equal(KeywordKind.OptOut, KeywordMatcher.Match("Arrête!", rules).Kind);
        Assert.Equal(KeywordKind.OptOut, KeywordMatcher.Match("arret", rules).Kind);
        Assert.Equal(KeywordKind.None, KeywordMatcher.Match("arret", KeywordRules.Default).Kind);
    }

    [Fact]
    public void A_custom_opt_out_list_replaces_the_optional_words_but_never_the_required_ones()
    {
        var rules = KeywordRules.Parse("ARRET", null, null, null);

        Assert.Equal(KeywordKind.OptOut, KeywordMatcher.Match("stop", rules).Kind);
        Assert.Equal(KeywordKind.OptOut, KeywordMatcher.Match("opt out", rules).Kind);
        Assert.Equal(KeywordKind.None, KeywordMatcher.Match("baja", rules).Kind);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("  \n ")]
    [InlineData(" , ,\n")]
    [InlineData("!!, 🛑")]
    public void A_blank_setting_means_the_default_list(string? setting)
    {
        var rules = KeywordRules.Parse(setting, setting, setting, setting);

        Assert.Equal(KeywordRules.Default.OptOut, rules.OptOut);
        Assert.Equal(KeywordRules.Default.OptIn, rules.OptIn);
        Assert.Equal(KeywordRules.Default.Help, rules.Help);
        Assert.Equal(KeywordRules.Default.LikelyOptOutPhrases, rules.LikelyOptOutPhrases);
    }

    [Fact]
    public void Custom_opt_in_help_and_phrase_lists_replace_the_defaults()
    {
        var rules = KeywordRules.Parse(null, "SUBSCRIBE", "AYUDA", "quit bugging me");

        Assert.Equal(KeywordKind.OptIn, KeywordMatcher.Match("subscribe", rules).Kind);
        Assert.Equal(KeywordKind.None, KeywordMatcher.Match("yes", rules).Kind);
        Assert.Equal(KeywordKind.Help, KeywordMatcher.Match("Ayuda", rules).Kind);
        Assert.Equal(KeywordKind.LikelyOptOut, KeywordMatcher.Match("Quit bugging me!", rules).Kind);
        Assert.Equal(KeywordKind.None, KeywordMatcher.Match("wrong number", rules).Kind);
    }

    [Fact]
    public void A_word_on_both_the_opt_out_and_the_opt_in_list_opts_out()
    {
        var rules = KeywordRules.Parse(null, "STOP, START", null, null);

        var match = KeywordMatcher.Match("stop", rules);

        Assert.Equal(KeywordKind.OptOut, match.Kind);
    }

    [Fact]
    public void Settings_entries_are_normalized_like_replies()
    {
        var rules = KeywordRules.Parse(" ¡Arrête! ,\r\n no  más ", null, null, " Don’t Bug Me ");

        Assert.Contains("ARRETE", rules.OptOut);
        Assert.Contains("NO MAS", rules.OptOut);
        Assert.Equal("DON’T BUG ME", Assert.Single(rules.LikelyOptOutPhrases));
        Assert.Equal(KeywordKind.LikelyOptOut, KeywordMatcher.Match("dont bug me", rules).Kind);
    }

    [Fact]
    public void A_formatted_list_parses_back_to_the_same_list()
    {
        var text = KeywordRules.Format(KeywordRules.Default.OptOut);

        var rules = KeywordRules.Parse(text, null, null, null);

        Assert.StartsWith("STOP, STOPALL, STOP ALL, ", text, StringComparison.Ordinal);
        Assert.Equal(KeywordRules.Default.OptOut, rules.OptOut);
    }

    [Theory]
    [InlineData("\uD800stop")]
    [InlineData("stop\uDC00")]
    [InlineData("\uDC00\uD800 STOP")]
    public void A_lone_surrogate_in_an_untrusted_body_does_not_throw(string body)
    {
        var match = KeywordMatcher.Match(body, KeywordRules.Default);

        Assert.Equal(KeywordKind.OptOut, match.Kind);
    }

    [Fact]
    public void A_1600_character_body_is_matched()
    {
        var body = string.Concat(Enumerable.Repeat("stop ", 319)) + "now!!";

        var match = KeywordMatcher.Match(body, KeywordRules.Default);

        Assert.Equal(1600, body.Length);
        Assert.Equal(KeywordKind.LikelyOptOut, match.Kind);
    }
}
