using Chorus.Features.Campaigns;
using Chorus.Features.Links;

namespace Chorus.UnitTests.Features.Links;

public sealed class LinkRulesTests
{
    private const string Prefix = "https://act.example.org/l/";

    [Fact]
    public void Every_http_and_https_url_is_a_target_without_the_punctuation_that_ends_its_sentence()
    {
        var text = "Donate: https://secure.actblue.com/donate/x?refcode=sms. Or see (http://example.org/a_(b)) and HTTPS://Example.org/c, ftp://nope.org";

        var targets = LinkRewriter.Targets(text, Prefix);

        Assert.Equal(["https://secure.actblue.com/donate/x?refcode=sms", "http://example.org/a_(b)", "HTTPS://Example.org/c"], targets);
    }

    [Fact]
    public void Short_links_already_in_the_text_are_kept_and_reported_not_tracked_again()
    {
        var text = "Edited: https://act.example.org/l/Ab3dE5gH and https://example.org/new";

        Assert.Equal(["https://example.org/new"], LinkRewriter.Targets(text, Prefix));
        Assert.Equal(["Ab3dE5gH"], LinkRewriter.ShortCodes(text, Prefix));
    }

    [Fact]
    public void A_preview_has_the_length_of_any_sent_text()
    {
        var text = "Chip in: https://secure.actblue.com/donate/x?refcode=sms&amount=5. Thanks!";

        var preview = LinkRewriter.Preview(text, Prefix);
        var sent = LinkRewriter.Rewrite(text, Prefix, _ => LinkCode.New());

        Assert.Equal("Chip in: https://act.example.org/l/xxxxxxxx. Thanks!", preview);
        Assert.Equal(preview.Length, sent.Length);
        Assert.True(LinkCode.IsWellFormed(sent[(sent.IndexOf("/l/", StringComparison.Ordinal) + 3)..][..LinkCode.Length]));
    }

    [Fact]
    public void Refcodes_are_set_on_ActBlue_links_only_keeping_every_other_parameter()
    {
        Assert.Equal("https://secure.actblue.com/donate/x?refcode=p2p&amount=25&refcode2=t_1",
            ActBlueRefcodes.Apply("https://secure.actblue.com/donate/x?refcode=sms&amount=25", "p2p", "t_1"));
        Assert.Equal("https://secure.actblue.com/donate/x?refcode=sms&amount=25&refcode2=t_1#top",
            ActBlueRefcodes.Apply("https://secure.actblue.com/donate/x?refcode=sms&amount=25#top", null, "t_1"));
        Assert.Equal("https://evilactblue.com/x?a=1", ActBlueRefcodes.Apply("https://evilactblue.com/x?a=1", "p2p", "t_1"));
        Assert.Equal("https://example.org/", ActBlueRefcodes.Apply("https://example.org/", "p2p", null));
    }

    [Theory]
    [InlineData("p2p_gotv_2026", true)]
    [InlineData("p2p-gotv", false)]
    [InlineData("a b", false)]
    [InlineData("café", false)]
    [InlineData("", false)]
    public void A_refcode_is_letters_digits_and_underscores(string value, bool valid) => Assert.Equal(valid, ActBlueRefcodes.IsValid(value));

    [Fact]
    public void The_texter_refcode_uses_the_random_end_of_the_id() =>
        Assert.Equal("t_89abcdef", ActBlueRefcodes.ForTexter(Guid.Parse("01234567-0000-7000-8000-012389abcdef")));

    [Theory]
    [InlineData("GET", "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 Mobile/15E148 Safari/604.1", false)]
    [InlineData("GET", "Mozilla/5.0 (Linux; Android 13; Cubot KingKong) Chrome/120 Mobile", false)]
    [InlineData("HEAD", "Mozilla/5.0 (iPhone) Safari/604.1", true)]
    [InlineData("GET", "", true)]
    [InlineData("GET", "WhatsApp/2.23.20.0", true)]
    [InlineData("GET", "Mozilla/5.0 (compatible; Discordbot/2.0; +https://discordapp.com)", true)]
    [InlineData("GET", "Mozilla/5.0 (Macintosh) Safari/601.2.4 facebookexternalhit/1.1 Facebot Twitterbot/1.0", true)]
    [InlineData("GET", "curl/8.5.0", true)]
    public void Bots_and_link_previews_are_told_from_people(string method, string userAgent, bool bot) =>
        Assert.Equal(bot, LinkPreviewFetchers.IsBot(method, userAgent));

    [Theory]
    [InlineData("Click javascript:alert(1)", "javascript")]
    [InlineData("See JavaScript:void(0)", "javascript")]
    [InlineData("data:text/html;base64,PHNjcmlwdD4=", "data")]
    [InlineData("data:,hello", "data")]
    [InlineData("file:///etc/passwd", "file")]
    [InlineData("vbscript:msgbox", "vbscript")]
    public void Links_that_are_not_http_are_problems_naming_the_field(string text, string scheme)
    {
        var problem = Assert.Single(ScriptRules.UnsafeLinkProblems(text, "initialMessage"));

        Assert.Equal("initialMessage", problem.Field);
        Assert.StartsWith($"'{scheme}:'", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Our data: 5 GB of it")]
    [InlineData("The file: attached")]
    [InlineData("Vote at https://vote.example.org/data:x")]
    public void Prose_and_http_links_are_not_problems(string text) => Assert.Empty(ScriptRules.UnsafeLinkProblems(text, "initialMessage"));
}
