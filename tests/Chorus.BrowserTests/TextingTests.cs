using Chorus.Features.Campaigns;
using Chorus.Features.Messaging;
using Chorus.Features.Organizations;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Chorus.BrowserTests;

public sealed class TextingTests(ChorusServer server, BrowserFixture browser) : IClassFixture<ChorusServer>
{
    private const string FollowUp = "Thank you Ada! Early voting ends Friday at 7pm.";

    [Fact]
    public async Task A_texter_sends_first_texts_with_Enter_then_answers_a_reply_that_arrives_live()
    {
        var owner = await server.CreateUserAsync("rosa@example.org", "Rosa Mendez");
        var slug = await server.CreateOrganizationAsync("Mendez for Assembly", owner);
        await server.AddMemberAsync(slug, owner, await server.CreateUserAsync("theo@example.org", "Theo Grant"), OrgRole.Texter);
        var question = new SaveScript.QuestionRequest(null, "Can we count on your vote?", [
            new SaveScript.AnswerRequest("Yes", "Thank you {firstName}! Early voting ends Friday at 7pm.", null),
            new SaveScript.AnswerRequest("No", "Thanks for letting us know.", null),
        ]);
        var campaignId = await server.CreateCampaignAsync(slug, owner, "GOTV weekend",
            "Hi {firstName}, it's {texterFirstName} with {orgName}. Can we count on your vote Tuesday? Reply STOP to opt out", question);
        await server.UpdateCampaignAsync(slug, owner, campaignId, new UpdateCampaign.Request(null, null, null, null,
            "**Polls** are open 7am–8pm.\n\n- Keep it short and friendly\n- Never argue; thank them and move on"));
        await server.CreateCannedResponseAsync(slug, owner, campaignId, "Where do I vote?", "You can find your polling place at vote.example.org.", "logistics");
        await server.SeedContactsAsync(slug, campaignId,
            ("Ada", "Lovelace", "+16145550101"), ("Grace", "Hopper", "+16145550102"), ("Alan", "Turing", "+16145550103"), ("Katherine", "Johnson", "+16145550104"));
        await server.ChangeCampaignStatusAsync(slug, owner, campaignId, ChangeCampaignStatus.Transition.Launch);
        var page = await browser.NewPageAsync(server);
        var dialogs = 0;
        page.Dialog += (_, dialog) =>
        {
            Interlocked.Increment(ref dialogs);
            _ = dialog.DismissAsync();
        };
        await page.LogInAsync("theo@example.org");
        await page.GotoAsync($"/orgs/{slug}/texting");
        await page.WaitForInteractivityAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Get contacts: GOTV weekend" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Send texts: GOTV weekend" }).ClickAsync();
        await page.WaitForInteractivityAsync();
        var send = page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true });
        await Expect(send).ToBeFocusedAsync();
        await Expect(page.GetByText("Sent 0 of 4")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Message", new() { Exact = true })).ToContainTextAsync("it's Theo with Mendez for Assembly");
        await page.SaveScreenshotAsync("texting-send");
        for (var sent = 1; sent <= 3; sent++)
        {
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.GetByText($"Sent {sent} of 4")).ToBeVisibleAsync();
            await Expect(send).ToBeFocusedAsync();
        }

        var initial = await server.OutboundMessagesAsync(slug, MessageKind.Initial);
        Assert.Equal(3, initial.Count);
        Assert.Equal(3, initial.Select(m => m.ContactId).Distinct().Count());

        // A held Enter key repeats keydown; only the first press sends.
        await page.Keyboard.DownAsync("Enter");
        for (var repeat = 0; repeat < 5; repeat++)
        {
            await page.Keyboard.DownAsync("Enter");
        }

        await page.Keyboard.UpAsync("Enter");
        await Expect(page.GetByText("All sent. Thank you!")).ToBeVisibleAsync();
        Assert.Equal(4, (await server.OutboundMessagesAsync(slug, MessageKind.Initial)).Select(m => m.ContactId).Distinct().Count());
        Assert.Equal(4, (await server.OutboundMessagesAsync(slug, MessageKind.Initial)).Count);

        await page.GetByRole(AriaRole.Link, new() { Name = "Go to conversations" }).ClickAsync();
        await page.Locator("[data-live=true]").WaitForAsync();
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Inbox" }).GetByRole(AriaRole.Link).Filter(new() { HasText = "Ada Lovelace" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ada Lovelace" })).ToBeVisibleAsync();
        var thread = page.GetByRole(AriaRole.Log, new() { Name = "Messages" });
        await Expect(thread).ToContainTextAsync("Can we count on your vote Tuesday?");

        await server.InjectInboundAsync(slug, "+16145550101", "<img src=x onerror=alert(1)> yes, count me in");

        await Expect(thread).ToContainTextAsync("<img src=x onerror=alert(1)> yes, count me in");
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Inbox" }).GetByRole(AriaRole.Link).Filter(new() { HasText = "Ada Lovelace" }))
            .ToContainTextAsync("Needs response");
        Assert.Equal(0, await page.Locator("img[src=x]").CountAsync());

        var reply = page.GetByLabel("Reply", new() { Exact = true });
        await reply.FillAsync("Half typed");
        await server.InjectInboundAsync(slug, "+16145550101", "Also, where do I vote?");
        await Expect(thread).ToContainTextAsync("Also, where do I vote?");
        await Expect(reply).ToHaveValueAsync("Half typed");
        // A reload starts a new circuit, as a phone that slept past the reconnect window or a restarted server does:
        // the half-typed reply is still there.
        await page.ReloadAsync();
        await page.WaitForInteractivityAsync();
        await Expect(thread).ToContainTextAsync("Also, where do I vote?");
        await Expect(reply).ToHaveValueAsync("Half typed");
        await page.SaveScreenshotAsync("texting-thread");

        await page.GetByRole(AriaRole.Group, new() { Name = "Can we count on your vote?" }).GetByRole(AriaRole.Button, new() { Name = "Yes" }).ClickAsync();

        await Expect(reply).ToHaveValueAsync(FollowUp);
        await page.GetByRole(AriaRole.Button, new() { Name = "Send reply" }).ClickAsync();
        await Expect(thread).ToContainTextAsync(FollowUp);
        await Expect(reply).ToHaveValueAsync("");
        var replies = await server.OutboundMessagesAsync(slug, MessageKind.Reply);
        Assert.Equal(FollowUp, Assert.Single(replies).Body);
        Assert.Equal(0, Volatile.Read(ref dialogs));

        await page.GetByLabel("Add a tag", new() { Exact = true }).FillAsync("Volunteer prospect");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Tags" })).ToContainTextAsync("Volunteer prospect");
        var actions = page.GetByRole(AriaRole.Region, new() { Name = "Actions" });
        await actions.GetByRole(AriaRole.Button, new() { Name = "Escalate", Exact = true }).ClickAsync();
        await page.GetByLabel("Why does staff need to see this?", new() { Exact = true }).FillAsync("Wants to host a house party");
        await page.GetByRole(AriaRole.Button, new() { Name = "Escalate to staff" }).ClickAsync();
        await Expect(page.GetByText("Escalated to staff.")).ToBeVisibleAsync();
        await actions.GetByRole(AriaRole.Button, new() { Name = "Close", Exact = true }).ClickAsync();
        await Expect(page.GetByText("Conversation closed.")).ToBeVisibleAsync();
        await Expect(page.GetByText("This conversation is closed.")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Inbox" }).GetByRole(AriaRole.Link).Filter(new() { HasText = "Grace Hopper" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Grace Hopper" })).ToBeVisibleAsync();
        await actions.GetByRole(AriaRole.Button, new() { Name = "Opt out" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Opt out" }).ClickAsync();
        await Expect(page.GetByText("This person opted out; nothing more can be sent to them.")).ToBeVisibleAsync();
        Assert.True(await server.IsOptedOutAsync(slug, "+16145550102"));

        await page.GotoAsync($"/orgs/{slug}/conversations");
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Inbox" }).GetByRole(AriaRole.Link)).ToHaveCountAsync(4);
        await page.SaveScreenshotAsync("texting-inbox");
    }

    [Fact]
    public async Task The_send_screen_and_conversations_fit_a_phone()
    {
        var owner = await server.CreateUserAsync("ivy@example.org", "Ivy Chen");
        var slug = await server.CreateOrganizationAsync("Chen for City Council", owner);
        await server.AddMemberAsync(slug, owner, await server.CreateUserAsync("omar@example.org", "Omar Haddad"), OrgRole.Texter);
        var campaignId = await server.CreateCampaignAsync(slug, owner, "Early vote reminder",
            "Hi {firstName}, it's {texterFirstName} with {orgName}. Early voting ends Friday — do you have a plan to vote? Reply STOP to opt out");
        await server.UpdateCampaignAsync(slug, owner, campaignId, new UpdateCampaign.Request(null, null, null, null, "**Be kind.** Early voting sites are listed at vote.example.org."));
        await server.SeedContactsAsync(slug, campaignId, ("Maria", "Gonzalez-Whitaker", "+16145550201"), ("Ben", "Okoro", "+16145550202"));
        await server.ChangeCampaignStatusAsync(slug, owner, campaignId, ChangeCampaignStatus.Transition.Launch);
        var page = await browser.NewPageAsync(server, BrowserFixture.Phone);
        await page.LogInAsync("omar@example.org");
        await page.GotoAsync($"/orgs/{slug}/texting");
        await page.WaitForInteractivityAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Get contacts: Early vote reminder" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Send texts: Early vote reminder" })).ToBeVisibleAsync();
        await page.SaveScreenshotAsync("texting-home");

        await page.GetByRole(AriaRole.Link, new() { Name = "Send texts: Early vote reminder" }).ClickAsync();
        var send = page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true });
        await Expect(send).ToBeFocusedAsync();
        await page.SaveScreenshotAsync("texting-send");
        await send.ClickAsync();
        await Expect(page.GetByText("Sent 1 of 2")).ToBeVisibleAsync();
        await send.DblClickAsync();
        await Expect(page.GetByText("All sent. Thank you!")).ToBeVisibleAsync();
        Assert.Equal(2, (await server.OutboundMessagesAsync(slug, MessageKind.Initial)).Count);

        await page.GetByRole(AriaRole.Link, new() { Name = "Go to conversations" }).ClickAsync();
        await page.Locator("[data-live=true]").WaitForAsync();
        await server.InjectInboundAsync(slug, "+16145550201", "Yes! I'm voting Thursday after work. Where is the closest site to Elm St?");
        var maria = page.GetByRole(AriaRole.Navigation, new() { Name = "Inbox" }).GetByRole(AriaRole.Link).Filter(new() { HasText = "Maria Gonzalez-Whitaker" });
        await Expect(maria).ToContainTextAsync("Needs response");
        await Expect(page.GetByText("New reply from Maria Gonzalez-Whitaker")).ToBeVisibleAsync();
        await Expect(page.GetByText("1 new", new() { Exact = true })).ToBeVisibleAsync();
        await page.SaveScreenshotAsync("texting-inbox");

        await maria.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Log, new() { Name = "Messages" })).ToContainTextAsync("Where is the closest site");
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Inbox" })).ToBeHiddenAsync();
        await page.SaveScreenshotAsync("texting-thread");

        // The provider reports Maria's number cannot receive texts: no reply box, and the texter is told why.
        await server.MarkNumberBadAsync(slug, "+16145550201");
        await page.ReloadAsync();
        await page.WaitForInteractivityAsync();
        await Expect(page.GetByText("The provider reports this number cannot receive texts")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Send reply" })).ToHaveCountAsync(0);
        await page.SaveScreenshotAsync("texting-thread-bad-number");
        await page.Locator("[data-live=true]").WaitForAsync();
        await server.InjectInboundAsync(slug, "+16145550201", "Sorry, my phone was off. Thursday works!");
        await Expect(page.GetByRole(AriaRole.Log, new() { Name = "Messages" })).ToContainTextAsync("my phone was off");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Send reply" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Link, new() { Name = "Inbox", Exact = true }).ClickAsync();
        await server.InjectInboundAsync(slug, "+16145550202", "wrong number, please take me off your list");
        var ben = page.GetByRole(AriaRole.Navigation, new() { Name = "Inbox" }).GetByRole(AriaRole.Link).Filter(new() { HasText = "Ben Okoro" });
        await Expect(ben).ToContainTextAsync("Needs response");
        await ben.ClickAsync();
        await page.GetByRole(AriaRole.Group, new() { Name = "Likely opt-out" }).GetByRole(AriaRole.Button, new() { Name = "Opt out" }).ClickAsync();
        await Expect(page.GetByText("This person opted out; nothing more can be sent to them.")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Send reply" })).ToHaveCountAsync(0);
        Assert.True(await server.IsOptedOutAsync(slug, "+16145550202"));

        await page.GotoAsync($"/orgs/{slug}/texting");
        await page.WaitForInteractivityAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Get more contacts: Early vote reminder" }).ClickAsync();
        await Expect(page.GetByText("Every contact in this campaign has been assigned. Thank you!")).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_texter_gives_back_the_contacts_they_have_not_texted()
    {
        var owner = await server.CreateUserAsync("uma@example.org", "Uma Reyes");
        var slug = await server.CreateOrganizationAsync("Reyes for Mayor", owner);
        await server.AddMemberAsync(slug, owner, await server.CreateUserAsync("felix@example.org", "Felix Wu"), OrgRole.Texter);
        var campaignId = await server.CreateCampaignAsync(slug, owner, "Canvass follow-up", "Hi {firstName}, it's {texterFirstName} with {orgName}. Reply STOP to opt out");
        await server.SeedContactsAsync(slug, campaignId, ("Ana", "Cruz", "+16145550601"), ("Ben", "Cruz", "+16145550602"), ("Cy", "Cruz", "+16145550603"));
        await server.ChangeCampaignStatusAsync(slug, owner, campaignId, ChangeCampaignStatus.Transition.Launch);
        var page = await browser.NewPageAsync(server);
        await page.LogInAsync("felix@example.org");
        await page.GotoAsync($"/orgs/{slug}/texting");
        await page.WaitForInteractivityAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Get contacts: Canvass follow-up" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Send texts: Canvass follow-up" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByText("Sent 1 of 3")).ToBeVisibleAsync();
        await page.GotoAsync($"/orgs/{slug}/texting");
        await page.WaitForInteractivityAsync();
        var card = page.GetByRole(AriaRole.Article, new() { Name = "Canvass follow-up" });
        ILocator Count(string name) => card.Locator(".assignment-counts > div").Filter(new() { Has = page.Locator("dt", new() { HasTextString = name }) }).Locator("dd");
        await Expect(Count("To send")).ToHaveTextAsync("2");

        await card.GetByRole(AriaRole.Button, new() { Name = "Give back unsent: Canvass follow-up" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await Expect(dialog).ToContainTextAsync("Give back 2 unsent contacts?");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Give back" }).ClickAsync();

        await Expect(page.GetByText("You gave back 2 contacts.")).ToBeVisibleAsync();
        await Expect(Count("To send")).ToHaveTextAsync("0");
        await Expect(Count("Open")).ToHaveTextAsync("1");
        await Expect(card.GetByRole(AriaRole.Link, new() { Name = "Send texts: Canvass follow-up" })).ToHaveCountAsync(0);
        Assert.Equal(2, await server.UnassignedContactsAsync(campaignId));
        Assert.Contains("assignment.released", await server.AuditActionsAsync(slug));
    }

    [Fact]
    public async Task A_voters_bidi_controls_stay_inside_their_own_words_and_names()
    {
        var owner = await server.CreateUserAsync("jun@example.org", "Jun Sato");
        var slug = await server.CreateOrganizationAsync("Sato for Senate", owner);
        await server.AddMemberAsync(slug, owner, await server.CreateUserAsync("kai@example.org", "Kai Moreno"), OrgRole.Texter);
        var campaignId = await server.CreateCampaignAsync(slug, owner, "Issue survey", "Hi {firstName}, it's {texterFirstName} with {orgName}. Reply STOP to opt out");
        // A name from an uploaded list can carry a control too.
        await server.SeedContactsAsync(slug, campaignId, ("Rami", "Haddad\u202E", "+16145550701"));
        await server.ChangeCampaignStatusAsync(slug, owner, campaignId, ChangeCampaignStatus.Transition.Launch);
        var page = await browser.NewPageAsync(server);
        await page.LogInAsync("kai@example.org");
        await page.GotoAsync($"/orgs/{slug}/texting");
        await page.WaitForInteractivityAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Get contacts: Issue survey" }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Send texts: Issue survey" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true })).ToBeFocusedAsync();
        var sendName = await IsolationAsync(page.Locator("#send-contact-name bdi"));
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByText("All sent. Thank you!")).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Go to conversations" }).ClickAsync();
        await page.Locator("[data-live=true]").WaitForAsync();

        await server.InjectInboundAsync(slug, "+16145550701", "\u202Eevil");

        var item = page.GetByRole(AriaRole.Navigation, new() { Name = "Inbox" }).GetByRole(AriaRole.Link).Filter(new() { HasText = "Rami" });
        await Expect(item).ToContainTextAsync("Needs response");
        var preview = item.Locator(".convo-item-preview bdi");
        await Expect(preview).ToHaveTextAsync("\u202Eevil");
        var (previewIsolation, inboxName) = (await IsolationAsync(preview), await IsolationAsync(item.Locator(".convo-item-name")));
        await item.ClickAsync();
        var bubble = page.GetByRole(AriaRole.Log, new() { Name = "Messages" }).Locator(".bubble-in .bubble-body");
        await Expect(bubble).ToHaveTextAsync("\u202Eevil");
        var (bubbleIsolation, heading) = (await IsolationAsync(bubble), await IsolationAsync(page.Locator(".thread-head h2 bdi")));
        await page.GetByRole(AriaRole.Region, new() { Name = "Actions" }).GetByRole(AriaRole.Button, new() { Name = "Escalate", Exact = true }).ClickAsync();
        await page.GetByLabel("Why does staff need to see this?", new() { Exact = true }).FillAsync("They wrote \u202Eevil");
        await page.GetByRole(AriaRole.Button, new() { Name = "Escalate to staff" }).ClickAsync();
        await Expect(page.GetByText("Escalated to staff.")).ToBeVisibleAsync();
        var review = await browser.NewPageAsync(server);
        await review.LogInAsync("jun@example.org");
        await review.GotoAsync($"/orgs/{slug}/review");
        await review.WaitForInteractivityAsync();
        var reason = review.Locator(".review-reason");
        await Expect(reason).ToHaveTextAsync("They wrote \u202Eevil");
        var (reasonIsolation, reviewName) = (await IsolationAsync(reason), await IsolationAsync(review.Locator(".review-table a bdi")));

        // Inline runs are isolated (<bdi>); blocks are isolated by the browser anyway (div), and take their direction from
        // their own text.
        var isolation = new Dictionary<string, (string Expected, string Actual)>
        {
            ["send screen name"] = ("isolate", sendName),
            ["inbox preview"] = ("isolate", previewIsolation),
            ["inbox name"] = ("isolate", inboxName),
            ["thread heading"] = ("isolate", heading),
            ["review name"] = ("isolate", reviewName),
            ["message"] = ("plaintext", bubbleIsolation),
            ["escalation reason"] = ("plaintext", reasonIsolation),
        };
        Assert.All(isolation, e => Assert.True(e.Value.Expected == e.Value.Actual, $"{e.Key}: unicode-bidi is {e.Value.Actual}, not {e.Value.Expected}"));
        Assert.Equal(0, await page.Locator(".bubble-body *").CountAsync());
    }

    /// <summary>How the element takes part in the bidi algorithm (CSS unicode-bidi, as computed).</summary>
    private static Task<string> IsolationAsync(ILocator element) => element.EvaluateAsync<string>("e => getComputedStyle(e).unicodeBidi");

    [Fact]
    public async Task A_texter_asking_for_contacts_at_night_is_told_when_texting_opens()
    {
        var owner = await server.CreateUserAsync("nia@example.org", "Nia Brooks");
        var slug = await server.CreateOrganizationAsync("Brooks for Sheriff", owner);
        await server.AddMemberAsync(slug, owner, await server.CreateUserAsync("lee@example.org", "Lee Park"), OrgRole.Texter);
        var campaignId = await server.CreateCampaignAsync(slug, owner, "Night owls", "Hi {firstName}, it's {texterFirstName} with {orgName}. Reply STOP to opt out");
        await server.SeedContactsAsync(slug, campaignId, 3, ("Sam", "Night", "+16145550301"));
        await server.ChangeCampaignStatusAsync(slug, owner, campaignId, ChangeCampaignStatus.Transition.Launch);
        var page = await browser.NewPageAsync(server);
        await page.LogInAsync("lee@example.org");
        await page.GotoAsync($"/orgs/{slug}/texting");
        await page.WaitForInteractivityAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Get contacts: Night owls" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "outside their texting hours" })).ToContainTextAsync("The next window opens at");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Send texts: Night owls" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Until_a_page_is_live_it_shows_it_is_loading_instead_of_buttons_that_would_do_nothing()
    {
        var owner = await server.CreateUserAsync("wren@example.org", "Wren Okafor");
        var slug = await server.CreateOrganizationAsync("Okafor for Council", owner);
        await server.AddMemberAsync(slug, owner, await server.CreateUserAsync("remy@example.org", "Remy Castro"), OrgRole.Texter);
        var campaignId = await server.CreateCampaignAsync(slug, owner, "Early birds", "Hi {firstName}, it's {texterFirstName} with {orgName}. Reply STOP to opt out");
        await server.SeedContactsAsync(slug, campaignId, ("Ann", "Early", "+16145550401"), ("Bo", "Early", "+16145550402"));
        await server.ChangeCampaignStatusAsync(slug, owner, campaignId, ChangeCampaignStatus.Transition.Launch);
        var page = await browser.NewPageAsync(server);
        await page.LogInAsync("remy@example.org");
        await page.GotoAsync($"/orgs/{slug}/texting");
        await page.WaitForInteractivityAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Get contacts: Early birds" }).ClickAsync();
        var sendTexts = await page.GetByRole(AriaRole.Link, new() { Name = "Send texts: Early birds" }).GetAttributeAsync("href");

        // Without Blazor's script the circuit never connects: the page stays as the server prerendered it.
        await page.RouteAsync("**/_framework/blazor.web.js", route => route.AbortAsync());
        await page.GotoAsync(sendTexts!);
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Loading" })).ToBeAttachedAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true })).ToHaveCountAsync(0);
        await page.GotoAsync($"/orgs/{slug}/texting");
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Loading" })).ToBeAttachedAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Send texts: Early birds" })).ToHaveCountAsync(0);

        await page.UnrouteAllAsync();
        await page.GotoAsync(sendTexts!);
        var send = page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true });
        await Expect(send).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.GetByText("Sent 1 of 2")).ToBeVisibleAsync();
        Assert.Single(await server.OutboundMessagesAsync(slug, MessageKind.Initial));
    }
}
