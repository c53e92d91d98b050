using System.Net;
using System.Net.Http.Json;
using Chorus.Features.Analytics;
using Chorus.Features.Campaigns;
using Chorus.Features.Links;
using Chorus.Features.Organizations;
using Chorus.Features.Records;
using Chorus.Features.Texting;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Features.Analytics;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using static Chorus.IntegrationTests.Features.Messaging.MessagingKit;
using static Chorus.IntegrationTests.Features.Texting.VolunteerKit;

namespace Chorus.IntegrationTests.Features.Links;

public sealed class TrackedLinkTests
{
    private const string Donate = "https://secure.actblue.com/donate/chorus-gotv?refcode=sms&amount=25";
    private const string Script = "Hi {firstName}, it's Sam with Chorus. Polls close at 8, chip in to keep us texting: " + Donate + " Reply STOP to opt out";
    private const string Iphone = "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/18.1 Mobile/15E148 Safari/604.1";

    private sealed record Setup(TestOrg Org, TestUser Texter, Guid CampaignId, Guid AssignmentId, IReadOnlyList<Guid> ContactIds);

    /// <summary>An active campaign whose script carries the ActBlue link, and a texter holding a batch of its contacts.</summary>
    private static async Task<Setup> SetUpAsync(ChorusApp app, int contacts = 3, string script = Script)
    {
        var org = await app.Seed.OrganizationAsync();
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var campaignId = await ActiveCampaignAsync(app, org, contacts);
        await app.WithDbAsync(async db =>
        {
            (await db.Campaigns.IgnoreQueryFilters().FirstAsync(c => c.Id == campaignId, Ct)).InitialMessage = script;
            return await db.SaveChangesAsync(Ct);
        });
        var batch = await BatchAsync(texter, org, campaignId);
        return new Setup(org, texter, campaignId, batch.AssignmentId, [.. batch.Contacts.Select(c => c.Id).Order()]);
    }

    private static async Task<SendInitialMessage.Next> NextAsync(Setup s, Guid? after = null) =>
        await (await s.Texter.Client.GetAsync(Url(s.Org, $"/assignments/{s.AssignmentId}/next{(after is { } a ? $"?after={a}" : "")}"), Ct))
            .ReadAsync<SendInitialMessage.Next>(HttpStatusCode.OK);

    private static async Task<Guid> SendAsync(Setup s, Guid contactId) =>
        (await (await Texting.VolunteerKit.SendAsync(s.Texter, s.Org, s.AssignmentId, contactId)).ReadAsync<SendInitialMessage.Response>(HttpStatusCode.Accepted)).MessageId;

    private static string CodeIn(string text)
    {
        var at = text.IndexOf("/l/", StringComparison.Ordinal);
        Assert.True(at >= 0, $"no short link in: {text}");
        return text.Substring(at + 3, LinkCode.Length);
    }

    private static async Task<HttpResponseMessage> FollowAsync(ChorusApp app, string code, string? userAgent = Iphone, HttpMethod? method = null)
    {
        using var client = app.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var request = new HttpRequestMessage(method ?? HttpMethod.Get, new Uri($"/l/{code}", UriKind.Relative));
        if (userAgent is not null)
        {
            request.Headers.TryAddWithoutValidation("User-Agent", userAgent);
        }

        return await client.SendAsync(request, Ct);
    }

    private static Task<List<LinkClick>> ClicksAsync(ChorusApp app, TestOrg org) =>
        app.WithDbAsync(db => db.LinkClicks.IgnoreQueryFilters().AsNoTracking().Where(c => c.OrganizationId == org.Id).ToListAsync(Ct));

    [Theory, BothDatabases]
    public async Task A_sent_link_redirects_to_ActBlue_with_the_campaigns_refcodes_and_each_get_is_one_click(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var s = await SetUpAsync(app, contacts: 1);
        (await s.Org.Owner.Client.PatchAsJsonAsync(Url(s.Org, $"/campaigns/{s.CampaignId}"), new { linkRefcode = "p2p_gotv" }, Ct)).EnsureSuccessStatusCode();
        var next = await NextAsync(s);
        var messageId = await SendAsync(s, next.ContactId);
        var code = CodeIn(next.Text);

        var first = await FollowAsync(app, code);
        var second = await FollowAsync(app, code);

        Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        var texterCode = "t_" + s.Texter.Id.ToString("N")[^8..];
        Assert.Equal($"https://secure.actblue.com/donate/chorus-gotv?refcode=p2p_gotv&amount=25&refcode2={texterCode}", first.Headers.Location!.AbsoluteUri);
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        var message = await MessageAsync(app, messageId);
        Assert.Equal(next.Text, message.Body);
        Assert.Contains($"http://localhost/l/{code} Reply STOP", message.Body, StringComparison.Ordinal);
        Assert.DoesNotContain("actblue", message.Body, StringComparison.OrdinalIgnoreCase);
        var clicks = await ClicksAsync(app, s.Org);
        Assert.Equal(2, clicks.Count);
        Assert.All(clicks, c => Assert.Equal((s.CampaignId, next.ContactId, code, false, Iphone), (c.CampaignId, c.ContactId, c.Code, c.IsBot, c.UserAgent)));
        var record = await (await s.Org.Owner.Client.GetAsync(Url(s.Org, $"/records/{Uri.EscapeDataString(next.Phone)}"), Ct)).ReadAsync<GetContactRecord.Response>(HttpStatusCode.OK);
        Assert.Equal(2, record.LinkClicks.Count);
        Assert.All(record.LinkClicks, c => Assert.Equal((Donate, false, "GOTV"), (c.TargetUrl, c.IsBot, c.CampaignName)));
    }

    [Theory, BothDatabases]
    public async Task Head_requests_and_link_preview_fetchers_are_recorded_as_bots_and_never_counted_as_clicks(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var s = await SetUpAsync(app, contacts: 1);
        var next = await NextAsync(s);
        await SendAsync(s, next.ContactId);
        var code = CodeIn(next.Text);

        string?[] fetchers =
        [
            "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
            "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_11_1) AppleWebKit/601.2.4 (KHTML, like Gecko) Version/9.0.1 Safari/601.2.4 facebookexternalhit/1.1 Facebot Twitterbot/1.0",
            "WhatsApp/2.23.20.0",
            "TelegramBot (like TwitterBot)",
            "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
            "curl/8.5.0",
            "",
            null,
        ];
        foreach (var agent in fetchers)
        {
            Assert.Equal(HttpStatusCode.Redirect, (await FollowAsync(app, code, agent)).StatusCode);
        }

        Assert.Equal(HttpStatusCode.Redirect, (await FollowAsync(app, code, Iphone, HttpMethod.Head)).StatusCode);
        var stats = await (await s.Org.Owner.Client.GetAsync(Url(s.Org, $"/campaigns/{s.CampaignId}/stats"), Ct)).ReadAsync<CampaignStats.Response>(HttpStatusCode.OK);

        var clicks = await ClicksAsync(app, s.Org);
        Assert.Equal(fetchers.Length + 1, clicks.Count);
        Assert.All(clicks, c => Assert.True(c.IsBot, c.UserAgent));
        Assert.Equal((0, 0, fetchers.Length + 1), (stats.Clicks, stats.UniqueClickers, stats.BotClicks));
    }

    [Theory, BothDatabases]
    public async Task An_unknown_or_malformed_code_answers_404_and_records_nothing(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var s = await SetUpAsync(app, contacts: 1);
        await NextAsync(s);

        var unknown = await FollowAsync(app, "ZZZZZZZZ");
        var malformed = await FollowAsync(app, "javascript:alert(1)");
        var tooLong = await FollowAsync(app, "abcdefghij");

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound), (unknown.StatusCode, malformed.StatusCode, tooLong.StatusCode));
        Assert.Null(unknown.Headers.Location);
        Assert.Empty(await ClicksAsync(app, s.Org));
    }

    [Theory, BothDatabases]
    public async Task Rendering_a_contact_again_gives_the_same_code_and_another_contact_gets_its_own(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var s = await SetUpAsync(app, contacts: 2);

        var first = await NextAsync(s);
        var again = await NextAsync(s);
        var other = await NextAsync(s, after: first.ContactId);
        var messageId = await SendAsync(s, first.ContactId);

        Assert.Equal(first.ContactId, again.ContactId);
        Assert.Equal(first.Text, again.Text);
        Assert.NotEqual(first.ContactId, other.ContactId);
        Assert.NotEqual(CodeIn(first.Text), CodeIn(other.Text));
        var links = await app.WithDbAsync(db => db.TrackedLinks.IgnoreQueryFilters().AsNoTracking().Where(l => l.OrganizationId == s.Org.Id).ToListAsync(Ct));
        Assert.Equal(2, links.Count);
        var sent = Assert.Single(links, l => l.ContactId == first.ContactId);
        Assert.Equal((CodeIn(first.Text), Donate, (Guid?)messageId, (Guid?)s.Texter.Id), (sent.Code, sent.TargetUrl, sent.MessageId, sent.TexterUserId));
        Assert.Null(Assert.Single(links, l => l.ContactId == other.ContactId).MessageId);
        Assert.Equal((await MessageAsync(app, messageId)).Body, first.Text);
    }

    [Theory, BothDatabases]
    public async Task Renders_of_one_contact_racing_each_other_end_with_one_code(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var s = await SetUpAsync(app, contacts: 1);

        var renders = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => NextAsync(s)));

        Assert.Single(renders.Select(r => r.Text).Distinct());
        Assert.Equal(1, await app.Seed.CountAsync(db => db.TrackedLinks.IgnoreQueryFilters().Where(l => l.OrganizationId == s.Org.Id)));
    }

    [Theory, BothDatabases]
    public async Task An_edited_message_keeps_the_short_link_it_was_shown_and_a_link_the_texter_added_is_tracked_too(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var s = await SetUpAsync(app, contacts: 1);
        await app.WithDbAsync(async db =>
        {
            (await db.Campaigns.IgnoreQueryFilters().FirstAsync(c => c.Id == s.CampaignId, Ct)).AllowEditingInitialMessage = true;
            return await db.SaveChangesAsync(Ct);
        });
        var next = await NextAsync(s);
        var shown = $"http://localhost/l/{CodeIn(next.Text)}";

        var response = await s.Texter.Client.PostAsJsonAsync(Url(s.Org, $"/assignments/{s.AssignmentId}/contacts/{next.ContactId}/send"),
            new { text = $"Hi Voter0, Sam with Chorus: {shown} and rides at https://rides.example.org/ny. Reply STOP to opt out" }, Ct);

        var messageId = (await response.ReadAsync<SendInitialMessage.Response>(HttpStatusCode.Accepted)).MessageId;
        var body = (await MessageAsync(app, messageId)).Body;
        var links = await app.WithDbAsync(db => db.TrackedLinks.IgnoreQueryFilters().AsNoTracking().Where(l => l.ContactId == next.ContactId).ToListAsync(Ct));
        Assert.Equal(2, links.Count);
        Assert.All(links, l => Assert.Equal((Guid?)messageId, l.MessageId));
        var added = Assert.Single(links, l => l.TargetUrl == "https://rides.example.org/ny");
        Assert.Equal($"Hi Voter0, Sam with Chorus: {shown} and rides at http://localhost/l/{added.Code}. Reply STOP to opt out", body);
    }

    [Theory, BothDatabases]
    public async Task The_previews_segment_count_is_the_sent_messages(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        // 79 GSM-7 characters with the short link; 180 with the ActBlue address as written (two segments).
        var script = "Hi {firstName}! Sam here. Chip in: " + Donate + "&utm_source=sms&utm_campaign=general_election_2026_final_push Reply STOP to opt out";
        var s = await SetUpAsync(app, contacts: 1, script: script);

        var preview = await (await s.Org.Owner.Client.PostAsJsonAsync(Url(s.Org, "/messages/preview"),
            new { template = script, campaignId = s.CampaignId, contact = new Dictionary<string, string> { ["firstName"] = "Voter0" } }, Ct)).ReadAsync<PreviewMessage.Response>(HttpStatusCode.OK);
        var raw = await (await s.Org.Owner.Client.PostAsJsonAsync(Url(s.Org, "/messages/preview"),
            new { template = script, campaignId = s.CampaignId, trackLinks = false, contact = new Dictionary<string, string> { ["firstName"] = "Voter0" } }, Ct)).ReadAsync<PreviewMessage.Response>(HttpStatusCode.OK);
        var next = await NextAsync(s);
        var message = await MessageAsync(app, await SendAsync(s, next.ContactId));

        Assert.Contains("http://localhost/l/" + LinkCode.Placeholder, preview.Text, StringComparison.Ordinal);
        Assert.Equal(preview.Text.Length, message.Body.Length);
        Assert.Equal((1, 1, 1), (preview.Segments, next.Segments, message.Segments));
        Assert.Equal(2, raw.Segments);
    }

    [Theory, BothDatabases]
    public async Task A_script_with_a_javascript_or_data_link_is_refused_and_nothing_is_saved(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var s = await SetUpAsync(app, contacts: 1);

        var response = await s.Org.Owner.Client.PutAsJsonAsync(Url(s.Org, $"/campaigns/{s.CampaignId}/script"), new
        {
            initialMessage = "Hi {firstName}! Click javascript:alert(document.cookie) Reply STOP to opt out",
            question = new { text = "Vote?", answers = new[] { new { value = "Yes", message = "Great: data:text/html;base64,PHNjcmlwdD4=" } } },
        }, Ct);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        var fields = problem.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("field").GetString()).ToList();
        Assert.Contains("initialMessage", fields);
        Assert.Contains("question.answers[0].message", fields);
        Assert.Contains("javascript:", problem.GetProperty("problems")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
        var stored = await app.WithDbAsync(db => db.Campaigns.IgnoreQueryFilters().AsNoTracking().FirstAsync(c => c.Id == s.CampaignId, Ct));
        Assert.Equal(Script, stored.InitialMessage);
        Assert.Null(stored.QuestionJson);
    }

    [Theory, BothDatabases]
    public async Task A_refcode_with_other_characters_is_refused_with_400_and_nothing_changes(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var s = await SetUpAsync(app, contacts: 1);
        var url = Url(s.Org, $"/campaigns/{s.CampaignId}");
        (await s.Org.Owner.Client.PatchAsJsonAsync(url, new { linkRefcode = "p2p", linkRefcode2 = "vol_a" }, Ct)).EnsureSuccessStatusCode();

        var bad = await s.Org.Owner.Client.PatchAsJsonAsync(url, new { linkRefcode = "p2p-gotv", title = "Renamed" }, Ct);
        var bad2 = await s.Org.Owner.Client.PatchAsJsonAsync(url, new { linkRefcode2 = "a b" }, Ct);
        var cleared = await (await s.Org.Owner.Client.PatchAsJsonAsync(url, new { linkRefcode2 = "" }, Ct)).ReadAsync<CampaignView>(HttpStatusCode.OK);

        var problem = await bad.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("letters, digits and underscores", problem.GetProperty("errors").GetProperty("linkRefcode")[0].GetString(), StringComparison.Ordinal);
        await bad2.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(("p2p", (string?)null), (cleared.LinkRefcode, cleared.LinkRefcode2));
        Assert.NotEqual("Renamed", cleared.Title);
    }

    [Theory, BothDatabases]
    public async Task Stats_count_clicks_unique_clickers_and_the_click_rate_over_contacts_sent_a_link(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var s = await SetUpAsync(app, contacts: 4);
        var codes = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var next = await NextAsync(s);
            await SendAsync(s, next.ContactId);
            codes.Add(CodeIn(next.Text));
        }

        await NextAsync(s); // the fourth contact is rendered (its code made) but never sent: not in the rate's denominator
        await DispatchAsync(app);
        await FollowAsync(app, codes[0]);
        await FollowAsync(app, codes[0]);
        await FollowAsync(app, codes[1]);
        await FollowAsync(app, codes[2], "WhatsApp/2.23.20.0");

        var stats = await (await s.Org.Owner.Client.GetAsync(Url(s.Org, $"/campaigns/{s.CampaignId}/stats"), Ct)).ReadAsync<CampaignStats.Response>(HttpStatusCode.OK);

        Assert.Equal(3, stats.Sent);
        Assert.Equal((3, 2, 1, 3), (stats.Clicks, stats.UniqueClickers, stats.BotClicks, stats.ContactsSentLink));
        Assert.Equal(0.6667, stats.ClickRate);
    }

    [Theory, BothDatabases]
    public async Task The_contacts_export_has_each_contacts_link_clicks_and_first_click(DatabaseProvider provider)
    {
        await using var app = await ExportKit.StartAsync(provider);
        var s = await SetUpAsync(app, contacts: 2);
        var next = await NextAsync(s);
        await SendAsync(s, next.ContactId);
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await FollowAsync(app, CodeIn(next.Text));
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await FollowAsync(app, CodeIn(next.Text));
        await FollowAsync(app, CodeIn(next.Text), "facebookexternalhit/1.1");

        var (text, _) = await ExportKit.ExportAsync(s.Org, "contacts", s.CampaignId);

        var lines = text.TrimStart('\uFEFF').Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.EndsWith("\"opted_out_utc\",\"link_clicks\",\"first_click_utc\"", lines[0], StringComparison.Ordinal);
        var clicked = Assert.Single(lines, l => l.StartsWith(next.ContactId.ToString(), StringComparison.Ordinal));
        Assert.EndsWith(",2,2026-11-03 15:05:00", clicked, StringComparison.Ordinal);
        var other = Assert.Single(lines[1..], l => !l.StartsWith(next.ContactId.ToString(), StringComparison.Ordinal));
        Assert.EndsWith(",0,", other, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task Another_organization_cannot_read_the_stats_or_change_the_refcodes(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var s = await SetUpAsync(app, contacts: 1);
        var other = await app.Seed.OrganizationAsync();

        var stats = await other.Owner.Client.GetAsync(Url(other, $"/campaigns/{s.CampaignId}/stats"), Ct);
        var statsInTheirPath = await other.Owner.Client.GetAsync(Url(s.Org, $"/campaigns/{s.CampaignId}/stats"), Ct);
        var patch = await other.Owner.Client.PatchAsJsonAsync(Url(other, $"/campaigns/{s.CampaignId}"), new { linkRefcode = "theirs" }, Ct);

        Assert.Equal((HttpStatusCode.NotFound, HttpStatusCode.NotFound, HttpStatusCode.NotFound), (stats.StatusCode, statsInTheirPath.StatusCode, patch.StatusCode));
        var stored = await app.WithDbAsync(db => db.Campaigns.IgnoreQueryFilters().AsNoTracking().FirstAsync(c => c.Id == s.CampaignId, Ct));
        Assert.Null(stored.LinkRefcode);
    }
}
