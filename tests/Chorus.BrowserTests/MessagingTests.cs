using Chorus.Features.Messaging;
using Chorus.Features.Organizations;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Chorus.BrowserTests;

public sealed class MessagingTests(ChorusServer server, BrowserFixture browser) : IClassFixture<ChorusServer>
{
    private const string AuthToken = "f3a9c2e17b5d4a6e8c0b1d2e3f4a5b6c";

    [Fact]
    public async Task An_admin_connects_Twilio_after_fixing_the_account_sid_and_never_sees_the_token_again()
    {
        var owner = await server.CreateUserAsync("ana@example.org", "Ana Lima");
        var slug = await server.CreateOrganizationAsync("Lima for Council", owner);
        var page = await browser.NewPageAsync(server);
        await page.LogInAsync("ana@example.org");
        await page.GotoAsync($"/orgs/{slug}/settings");
        await page.WaitForInteractivityAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "SMS provider, limits and keywords" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Messaging setup", Level = 1 })).ToBeVisibleAsync();
        await page.WaitForInteractivityAsync();

        await page.GetByRole(AriaRole.Radio, new() { Name = "Twilio" }).CheckAsync();
        await page.GetByLabel("Account SID", new() { Exact = true }).FillAsync("AC12345");
        await page.GetByLabel("Auth token", new() { Exact = true }).FillAsync(AuthToken);
        await page.GetByLabel("Sending numbers", new() { Exact = true }).FillAsync("+12025550100\n+12025550101");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save messaging settings" }).ClickAsync();

        await Expect(page.GetByText("An Account SID is AC followed by 32 hexadecimal characters.")).ToBeVisibleAsync();
        await Expect(page.GetByText("Nothing was saved.")).ToBeVisibleAsync();

        await page.GetByLabel("Account SID", new() { Exact = true }).FillAsync("AC0123456789abcdef0123456789abcdef");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save messaging settings" }).ClickAsync();

        await Expect(page.GetByText("Messaging settings saved.")).ToBeVisibleAsync();
        await Expect(page.GetByText("Ready to send.")).ToBeVisibleAsync();
        await Expect(page.GetByText("Auth token set")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Auth token", new() { Exact = true })).ToHaveValueAsync("");
        await Expect(page.GetByLabel("Incoming messages webhook", new() { Exact = true })).ToHaveValueAsync($"{server.BaseUrl}/webhooks/twilio/{slug}/inbound");
        await Expect(page.GetByLabel("Status callback URL", new() { Exact = true })).ToHaveValueAsync($"{server.BaseUrl}/webhooks/twilio/{slug}/status");
        await page.SaveScreenshotAsync("messaging-setup-twilio");

        await page.ReloadAsync();
        await Expect(page.GetByText("Auth token set")).ToBeVisibleAsync();
        Assert.DoesNotContain(AuthToken, await page.ContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_supervisor_reads_a_numbers_messages_and_confirms_a_likely_opt_out()
    {
        var owner = await server.CreateUserAsync("ben@example.org", "Ben Ode");
        var slug = await server.CreateOrganizationAsync("Ode for Schools", owner);
        await server.AddMemberAsync(slug, owner, await server.CreateUserAsync("cara@example.org", "Cara Diaz"), OrgRole.Supervisor);
        await server.SeedMessageAsync(slug, MessageDirection.Outbound, "+16143729018", "Hi Jo, it's Sam with Ode for Schools. Can we count on your vote Tuesday?",
            MessageStatus.Delivered, [MessageStatus.Queued, MessageStatus.Sending, MessageStatus.Submitted, MessageStatus.Sent, MessageStatus.Delivered], ago: TimeSpan.FromMinutes(20));
        await server.SeedMessageAsync(slug, MessageDirection.Inbound, "+16143729018", "<b>please</b> take me off your list",
            MessageStatus.Received, [MessageStatus.Received], likelyOptOut: true);
        var page = await browser.NewPageAsync(server);
        await page.LogInAsync("cara@example.org");
        await page.GotoAsync($"/orgs/{slug}");
        await page.WaitForInteractivityAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Messages" }).ClickAsync();
        await page.WaitForInteractivityAsync();

        await page.GetByLabel("Phone number", new() { Exact = true }).FillAsync("(614) 372-9018");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();

        var sent = page.GetByRole(AriaRole.Article, new() { Name = "Message to +16143729018" });
        var received = page.GetByRole(AriaRole.Article, new() { Name = "Message from +16143729018" });
        await Expect(sent).ToContainTextAsync("Can we count on your vote Tuesday?");
        await Expect(sent).ToContainTextAsync("Delivered");
        // A voter's text is shown as they typed it, never as markup.
        await Expect(received).ToContainTextAsync("<b>please</b> take me off your list");
        await sent.GetByRole(AriaRole.Button, new() { Name = "Status history" }).ClickAsync();
        await Expect(sent.GetByRole(AriaRole.List, new() { Name = "Status history" }).GetByRole(AriaRole.Listitem)).ToHaveCountAsync(5);
        await page.SaveScreenshotAsync("messages-record");

        await received.GetByRole(AriaRole.Button, new() { Name = "Opt out" }).ClickAsync();

        await Expect(page.GetByText("+16143729018 is opted out.")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Status).Filter(new() { HasText = "Opted out" })).ToBeVisibleAsync();
        await Expect(received.GetByRole(AriaRole.Button, new() { Name = "Opt out" })).ToHaveCountAsync(0);
        Assert.True(await server.IsOptedOutAsync(slug, "+16143729018"));
        await page.GetByRole(AriaRole.Link, new() { Name = "Opt-outs" }).ClickAsync();
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "+16143729018" });
        await Expect(row).ToContainTextAsync("Confirmed by a person");
        // Supervisors add numbers but never remove them.
        await Expect(row.GetByRole(AriaRole.Button, new() { Name = "Remove +16143729018" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_admin_adds_a_number_to_the_opt_out_list_and_removes_it_again()
    {
        var owner = await server.CreateUserAsync("dee@example.org", "Dee Park");
        var slug = await server.CreateOrganizationAsync("Park for Mayor", owner);
        var page = await browser.NewPageAsync(server);
        await page.LogInAsync("dee@example.org");
        await page.GotoAsync($"/orgs/{slug}/opt-outs");
        await page.WaitForInteractivityAsync();

        await page.GetByLabel("Phone number", new() { Exact = true }).FillAsync("614.372.9020");
        await page.GetByLabel("Reason (optional)", new() { Exact = true }).FillAsync("Asked at the door");
        await page.GetByRole(AriaRole.Button, new() { Name = "Opt out this number" }).ClickAsync();

        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "+16143729020" });
        await Expect(row).ToContainTextAsync("Asked at the door");
        await Expect(row).ToContainTextAsync("Added by hand");
        Assert.True(await server.IsOptedOutAsync(slug, "+16143729020"));

        await row.GetByRole(AriaRole.Button, new() { Name = "Remove +16143729020" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Remove" }).ClickAsync();

        await Expect(page.GetByText("No one has opted out yet")).ToBeVisibleAsync();
        Assert.False(await server.IsOptedOutAsync(slug, "+16143729020"));
    }
}
