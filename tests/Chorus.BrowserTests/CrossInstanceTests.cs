using Chorus.Features.Campaigns;
using Chorus.Features.Messaging;
using Chorus.Features.Organizations;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Chorus.BrowserTests;

/// <summary>Two app instances on one PostgreSQL database, as a deployment behind a load balancer runs.</summary>
public sealed class CrossInstanceTests(BrowserFixture browser)
{
    [Fact]
    public async Task A_reply_whose_webhook_reaches_the_other_instance_appears_live_on_the_texters_screen()
    {
        var postgres = new PostgresServer();
        await postgres.InitializeAsync();
        try
        {
            var database = await postgres.CreateDatabaseAsync();
            await using var first = new ChorusServer { PostgresConnectionString = database };
            await first.InitializeAsync();
            await using var second = new ChorusServer { PostgresConnectionString = database };
            await second.InitializeAsync();

            var owner = await first.CreateUserAsync("ines@example.org", "Ines Ortiz");
            var slug = await first.CreateOrganizationAsync("Ortiz for Council", owner);
            await first.AddMemberAsync(slug, owner, await first.CreateUserAsync("sam@example.org", "Sam Lee"), OrgRole.Texter);
            var campaignId = await first.CreateCampaignAsync(slug, owner, "Early vote",
                "Hi {firstName}, it's {texterFirstName} with {orgName}. Will you vote early this week? Reply STOP to opt out");
            await first.SeedContactsAsync(slug, campaignId, ("Maya", "Chen", "+16145550111"));
            await first.ChangeCampaignStatusAsync(slug, owner, campaignId, ChangeCampaignStatus.Transition.Launch);

            // The texter's browser is connected to the first instance.
            var page = await browser.NewPageAsync(first);
            await page.LogInAsync("sam@example.org");
            await page.GotoAsync($"/orgs/{slug}/texting");
            await page.WaitForInteractivityAsync();
            await page.GetByRole(AriaRole.Button, new() { Name = "Get contacts: Early vote" }).ClickAsync();
            await page.GetByRole(AriaRole.Link, new() { Name = "Send texts: Early vote" }).ClickAsync();
            await page.WaitForInteractivityAsync();
            await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true })).ToBeFocusedAsync();
            await page.Keyboard.PressAsync("Enter");
            await Expect(page.GetByText("All sent. Thank you!")).ToBeVisibleAsync();
            Assert.Single(await first.OutboundMessagesAsync(slug, MessageKind.Initial));

            await page.GetByRole(AriaRole.Link, new() { Name = "Go to conversations" }).ClickAsync();
            await page.Locator("[data-live=true]").WaitForAsync();
            await page.GetByRole(AriaRole.Navigation, new() { Name = "Inbox" }).GetByRole(AriaRole.Link).Filter(new() { HasText = "Maya Chen" }).ClickAsync();
            var thread = page.GetByRole(AriaRole.Log, new() { Name = "Messages" });
            await Expect(thread).ToContainTextAsync("Will you vote early this week?");

            // The provider's webhook lands on the second instance; PostgreSQL's NOTIFY carries it to the first.
            await second.InjectInboundAsync(slug, "+16145550111", "Yes! Saturday morning with my sister.");

            await Expect(thread).ToContainTextAsync("Yes! Saturday morning with my sister.");
            await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Inbox" }).GetByRole(AriaRole.Link).Filter(new() { HasText = "Maya Chen" }))
                .ToContainTextAsync("Needs response");
        }
        finally
        {
            await postgres.DisposeAsync();
        }
    }
}
