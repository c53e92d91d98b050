using Chorus.Features.Messaging;
using Chorus.Features.Organizations;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Chorus.BrowserTests;

public sealed class RecordTests(ChorusServer server, BrowserFixture browser) : IClassFixture<ChorusServer>
{
    [Fact]
    public async Task A_supervisor_looks_up_a_number_and_sees_its_messages_and_its_opt_out_on_desktop_and_phone()
    {
        var owner = await server.CreateUserAsync("rita@example.org", "Rita Moss");
        var slug = await server.CreateOrganizationAsync("Moss for Mayor", owner);
        await server.AddMemberAsync(slug, owner, await server.CreateUserAsync("sol@example.org", "Sol Park"), OrgRole.Supervisor);
        await server.SeedMessageAsync(slug, MessageDirection.Outbound, "+16143729018", "Hi Jo, it's Sam with Moss for Mayor. Can we count on your vote?",
            MessageStatus.Delivered, [MessageStatus.Queued, MessageStatus.Sending, MessageStatus.Submitted, MessageStatus.Sent, MessageStatus.Delivered], ago: TimeSpan.FromMinutes(20));
        await server.SeedMessageAsync(slug, MessageDirection.Inbound, "+16143729018", "<b>no</b> thanks, please stop", MessageStatus.Received, [MessageStatus.Received]);
        await server.AddOptOutAsync(slug, owner, "+16143729018", "manual", "Called the office");
        var campaignId = await server.CreateCampaignAsync(slug, owner, "Early vote", "Hi {firstName}, it's Sam with Moss for Mayor. Reply STOP to opt out");
        await server.SeedContactsAsync(slug, campaignId, ("Jo", "Reyes", "+16143729018"));

        foreach (var viewport in new[] { BrowserFixture.Desktop, BrowserFixture.Phone })
        {
            var page = await browser.NewPageAsync(server, viewport);
            await page.LogInAsync("sol@example.org");
            await page.GotoAsync($"/orgs/{slug}/records");
            await page.WaitForInteractivityAsync();

            await page.GetByLabel("Phone number", new() { Exact = true }).FillAsync("614 372 90");
            await page.GetByRole(AriaRole.Button, new() { Name = "Look up" }).ClickAsync();
            await Expect(page.GetByText("is not a phone number we can look up")).ToBeVisibleAsync();

            await page.GetByLabel("Phone number", new() { Exact = true }).FillAsync("(614) 372-9018");
            await page.GetByRole(AriaRole.Button, new() { Name = "Look up" }).ClickAsync();

            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "+16143729018" })).ToBeVisibleAsync();
            await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Opted out" }).First).ToBeVisibleAsync();
            var sent = page.GetByRole(AriaRole.Article, new() { Name = "Message to the voter" });
            var received = page.GetByRole(AriaRole.Article, new() { Name = "Message from the voter" });
            await Expect(sent).ToContainTextAsync("Can we count on your vote?");
            await Expect(sent).ToContainTextAsync("Delivered");
            // A voter's text is shown as they typed it, never as markup.
            await Expect(received).ToContainTextAsync("<b>no</b> thanks, please stop");
            var optOuts = page.GetByRole(AriaRole.Region, new() { Name = "Opt-outs and opt-ins" });
            await Expect(optOuts).ToContainTextAsync("added by staff");
            await Expect(optOuts).ToContainTextAsync("Called the office");
            await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Contacts" })).ToContainTextAsync("Jo Reyes");
            await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(@"phone=%2B16143729018$"));
            await page.SaveScreenshotAsync("contact-record");
        }
    }

    [Fact]
    public async Task An_admin_sets_message_retention_and_previews_the_next_purge_on_the_settings_page()
    {
        var owner = await server.CreateUserAsync("tess@example.org", "Tess Vale");
        var slug = await server.CreateOrganizationAsync("Vale for Senate", owner);
        var page = await browser.NewPageAsync(server);
        await page.LogInAsync("tess@example.org");
        await page.GotoAsync($"/orgs/{slug}/settings");
        await page.WaitForInteractivityAsync();
        var section = page.GetByRole(AriaRole.Region, new() { Name = "Message retention" });

        await Expect(section.GetByLabel("Keep message text for (years)")).ToHaveValueAsync("5");
        await section.GetByLabel("Keep message text for (years)").FillAsync("2");
        await section.GetByRole(AriaRole.Button, new() { Name = "Save retention" }).ClickAsync();
        await Expect(page.GetByText("Message text is now kept for 2 years.")).ToBeVisibleAsync();
        await section.GetByRole(AriaRole.Button, new() { Name = "Preview the next purge" }).ClickAsync();

        await Expect(section.GetByRole(AriaRole.Status)).ToContainTextAsync("Nothing to remove");
        await section.ScrollIntoViewIfNeededAsync();
        await page.SaveScreenshotAsync("settings-retention", fullPage: false);
    }
}
