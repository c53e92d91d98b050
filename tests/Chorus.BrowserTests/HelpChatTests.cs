using Chorus.Features.Campaigns;
using Chorus.Features.Messaging;
using Chorus.Features.Organizations;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Chorus.BrowserTests;

public sealed class HelpChatTests(ChorusServer server, BrowserFixture browser) : IClassFixture<ChorusServer>
{
    [Fact]
    public async Task A_texter_acknowledges_the_training_asks_for_help_and_sees_the_supervisors_answer_live()
    {
        var owner = await server.CreateUserAsync("rosa@example.org", "Rosa Mendez");
        var slug = await server.CreateOrganizationAsync("Mendez for Assembly", owner);
        await server.AddMemberAsync(slug, owner, await server.CreateUserAsync("theo@example.org", "Theo Grant"), OrgRole.Texter);
        await server.AddMemberAsync(slug, owner, await server.CreateUserAsync("sue@example.org", "Sue Park"), OrgRole.Supervisor);
        var campaignId = await server.CreateCampaignAsync(slug, owner, "GOTV weekend", "Hi {firstName}, it's {texterFirstName} with {orgName}. Will you vote Tuesday? Reply STOP to opt out");
        await server.UpdateCampaignAsync(slug, owner, campaignId, new UpdateCampaign.Request(null, null, null, null, null,
            TrainingText: "Introduce yourself by first name.\nNever argue; thank them and move on."));
        await server.SeedContactsAsync(slug, campaignId, ("Ada", "Lovelace", "+16145550101"), ("Grace", "Hopper", "+16145550102"));
        await server.ChangeCampaignStatusAsync(slug, owner, campaignId, ChangeCampaignStatus.Transition.Launch);
        var staff = await browser.NewPageAsync(server);
        await staff.LogInAsync("sue@example.org");
        await staff.GotoAsync($"/orgs/{slug}/help");
        await staff.Locator("[data-live=true]").WaitForAsync();
        await Expect(staff.GetByText("No help requests")).ToBeVisibleAsync();
        var texter = await browser.NewPageAsync(server, BrowserFixture.Phone);
        await texter.LogInAsync("theo@example.org");
        await texter.GotoAsync($"/orgs/{slug}/texting");
        await texter.WaitForInteractivityAsync();
        await texter.GetByRole(AriaRole.Button, new() { Name = "Get contacts: GOTV weekend" }).ClickAsync();
        await texter.GetByRole(AriaRole.Link, new() { Name = "Send texts: GOTV weekend" }).ClickAsync();
        await texter.WaitForInteractivityAsync();

        var send = texter.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true });
        await Expect(texter.GetByRole(AriaRole.Heading, new() { Name = "Before your first text" })).ToBeVisibleAsync();
        await Expect(texter.GetByText("Never argue; thank them and move on.")).ToBeVisibleAsync();
        await Expect(send).ToBeDisabledAsync();
        await texter.GetByRole(AriaRole.Button, new() { Name = "I've read this" }).ClickAsync();
        await Expect(send).ToBeEnabledAsync();
        await Expect(texter.GetByRole(AriaRole.Heading, new() { Name = "Before your first text" })).ToBeHiddenAsync();

        await texter.GetByRole(AriaRole.Button, new() { Name = "Ask for help" }).ClickAsync();
        await texter.GetByLabel("Your question").FillAsync("What if they ask <b>who pays</b> for this?");
        await texter.GetByRole(AriaRole.Button, new() { Name = "Send question" }).ClickAsync();
        var texterLog = texter.GetByRole(AriaRole.Log, new() { Name = "Help messages" });
        await Expect(texterLog).ToContainTextAsync("What if they ask <b>who pays</b> for this?");

        var requests = staff.GetByRole(AriaRole.List, new() { Name = "Help requests" });
        await Expect(requests).ToContainTextAsync("What if they ask <b>who pays</b> for this?");
        await Expect(requests).ToContainTextAsync("Waiting");
        await requests.GetByRole(AriaRole.Button).Filter(new() { HasText = "Theo Grant" }).ClickAsync();
        await staff.GetByLabel("Reply").FillAsync("Volunteers, funded by small donors.");
        await staff.GetByRole(AriaRole.Button, new() { Name = "Send reply" }).ClickAsync();
        await Expect(staff.GetByRole(AriaRole.Log, new() { Name = "Help messages" })).ToContainTextAsync("Volunteers, funded by small donors.");
        await staff.SaveScreenshotAsync("help-requests");

        await Expect(texterLog).ToContainTextAsync("Volunteers, funded by small donors.");
        await Expect(texterLog).ToContainTextAsync("Sue Park");
        await texter.SaveScreenshotAsync("help-chat-phone");
        await send.ClickAsync();
        await Expect(texter.GetByText("Sent 1 of 2")).ToBeVisibleAsync();
        Assert.Single(await server.OutboundMessagesAsync(slug, MessageKind.Initial));
    }
}
