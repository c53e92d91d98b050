using System.Globalization;
using System.Text.RegularExpressions;
using Chorus.Features.Messaging;
using Chorus.Features.Organizations;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Chorus.BrowserTests;

/// <summary>
/// The whole of a campaign on a fresh server, each person in their own browser: an admin sets the campaign up and
/// shares its join link, a volunteer joins by it and texts, voters answer through the simulator, and a supervisor
/// moves a conversation to another texter. Accessibility (axe-core, WCAG 2.1 AA) is checked on the pages texters
/// and supervisors spend their time on.
/// </summary>
public sealed class JourneyTests(ChorusServer server, BrowserFixture browser) : IClassFixture<ChorusServer>
{
    private const string Campaign = "Early vote push";
    private const string Question = "Can we count on your vote?";
    private const string CannedText = "You can find your polling place at vote.example.org.";

    [Fact]
    public Task A_campaign_goes_from_set_up_to_texting_replies_opt_out_and_reassignment() => JourneyAsync(server, screenshots: true);

    /// <summary>The journey again on PostgreSQL, its own server and database, without the pictures.</summary>
    [Fact]
    public async Task The_same_journey_runs_on_postgresql()
    {
        var postgres = new PostgresServer();
        await postgres.InitializeAsync();
        try
        {
            await using var app = new ChorusServer { PostgresConnectionString = await postgres.CreateDatabaseAsync() };
            await app.InitializeAsync();
            await JourneyAsync(app, screenshots: false);
        }
        finally
        {
            await postgres.DisposeAsync();
        }
    }

    private async Task JourneyAsync(ChorusServer app, bool screenshots)
    {
        var owner = await app.CreateUserAsync("rosa@example.org", "Rosa Mendez");
        var slug = await app.CreateOrganizationAsync("Harbor Votes", owner);
        await app.AddMemberAsync(slug, owner, await app.CreateUserAsync("cara@example.org", "Cara Diaz"), OrgRole.Supervisor);
        await app.AddMemberAsync(slug, owner, await app.CreateUserAsync("sam@example.org", "Sam Lee"), OrgRole.Texter);

        // The admin: a campaign, its script and survey, its contacts, launched.
        var admin = await browser.NewPageAsync(app);
        await admin.LogInAsync("rosa@example.org");
        await admin.GotoAsync($"/orgs/{slug}/campaigns");
        await admin.WaitForInteractivityAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "New campaign" }).ClickAsync();
        var dialog = admin.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Title").FillAsync(Campaign);
        await dialog.GetByLabel("Description").FillAsync("Everyone on the east side who hasn't voted early yet.");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create campaign" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = Campaign, Level = 1 })).ToBeVisibleAsync();
        var campaignId = Guid.Parse(admin.Url.Split('/')[^1].Split('?')[0]);

        await admin.GetByLabel("Initial message", new() { Exact = true })
            .FillAsync("Hi {firstName}, it's {texterFirstName} with {orgName}. Can we count on your vote Tuesday? Reply STOP to opt out");
        await Expect(admin.GetByRole(AriaRole.Group, new() { Name = "Compose: Initial message" })).ToContainTextAsync("with Harbor Votes. Can we count on your vote Tuesday?");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Add a survey question" }).ClickAsync();
        await admin.GetByLabel("Survey question", new() { Exact = true }).FillAsync(Question);
        await admin.GetByLabel("Answer 1", new() { Exact = true }).FillAsync("Yes");
        await admin.GetByLabel("Follow-up to answer 1", new() { Exact = true }).FillAsync("Thank you {firstName}! Early voting ends Friday at 7pm.");
        await admin.GetByLabel("Answer 2", new() { Exact = true }).FillAsync("No");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Save script" }).ClickAsync();
        await Expect(admin.GetByText("Script saved.")).ToBeVisibleAsync();

        await admin.GetByRole(AriaRole.Tab, new() { Name = "Contacts" }).ClickAsync();
        var csv = await ContactUploadTests.WriteCsvAsync("east-side.csv", ContactsCsv(AfternoonZone(app)));
        await admin.ChooseFileAsync("Contacts CSV file", csv);
        await Expect(admin.GetByRole(AriaRole.Combobox, new() { Name = "Cell Phone holds" })).ToHaveTextAsync("Phone");
        await Expect(admin.GetByRole(AriaRole.Combobox, new() { Name = "Time Zone holds" })).ToHaveTextAsync("Time zone");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Import contacts" }).ClickAsync();
        await Expect(admin.GetByRole(AriaRole.Heading, new() { Name = "Import finished" })).ToBeVisibleAsync(new() { Timeout = 60_000 });
        await Expect(admin.GetByLabel("Import summary").Locator(".import-stat").Filter(new() { HasText = "Imported" })).ToContainTextAsync("5");
        File.Delete(csv);

        await app.CreateCannedResponseAsync(slug, owner, campaignId, "Where do I vote?", CannedText, "logistics");
        await admin.GetByRole(AriaRole.Button, new() { Name = "Launch" }).ClickAsync();
        await Expect(admin.GetByText("Campaign launched. Texters can start sending.")).ToBeVisibleAsync();

        await admin.GetByRole(AriaRole.Tab, new() { Name = "Texters" }).ClickAsync();
        await admin.GetByRole(AriaRole.Button, new() { Name = "Create texter join link" }).ClickAsync();
        var joinLink = admin.GetByLabel("Join link", new() { Exact = true });
        await Expect(joinLink).ToHaveValueAsync(new Regex("/join/"));
        await Expect(admin.GetByRole(AriaRole.Button, new() { Name = "Copy texter join link" })).ToBeVisibleAsync();
        var link = await joinLink.InputValueAsync();

        // A volunteer, new to Chorus, joins by the link and lands on the campaign.
        var texter = await browser.NewPageAsync(app);
        await texter.GotoAsync(link);
        await Expect(texter.GetByRole(AriaRole.Heading, new() { Name = "Join Harbor Votes as a Texter" })).ToBeVisibleAsync();
        await texter.GetByRole(AriaRole.Link, new() { Name = "Create an account" }).ClickAsync();
        await texter.GetByLabel("Your name").FillAsync("Jo Park");
        await texter.GetByLabel("Email", new() { Exact = true }).FillAsync("jo@example.org");
        await texter.GetByLabel("Password", new() { Exact = true }).FillAsync(ChorusServer.Password);
        await texter.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await texter.GetByRole(AriaRole.Button, new() { Name = "Join Harbor Votes" }).ClickAsync();

        await Expect(texter).ToHaveURLAsync(new Regex($"/orgs/{slug}/texting\\?campaign={campaignId}$"));
        await texter.WaitForInteractivityAsync();
        var welcome = texter.GetByRole(AriaRole.Region, new() { Name = $"Welcome to {Campaign}" });
        await Expect(welcome).ToBeVisibleAsync();
        await welcome.GetByRole(AriaRole.Button).Filter(new() { HasText = "Get my first contacts" }).ClickAsync();
        await texter.GetByRole(AriaRole.Link, new() { Name = $"Send texts: {Campaign}" }).ClickAsync();

        // Five first texts, one press of Enter each.
        await texter.WaitForInteractivityAsync();
        var send = texter.GetByRole(AriaRole.Button, new() { Name = "Send", Exact = true });
        await Expect(send).ToBeFocusedAsync();
        await Expect(texter.GetByText("Sent 0 of 5")).ToBeVisibleAsync();
        await Expect(texter.GetByLabel("Message", new() { Exact = true })).ToContainTextAsync("it's Jo with Harbor Votes");
        await texter.AssertAccessibleAsync("The send page");
        await ScreenshotsAsync(screenshots, texter, "journey-send", send);
        await Expect(send).ToBeFocusedAsync();
        // Every contact of the list, so which five get texted never depends on the order of ids made in one millisecond.
        for (var sent = 1; sent <= 4; sent++)
        {
            await texter.Keyboard.PressAsync("Enter");
            await Expect(texter.GetByText($"Sent {sent} of 5")).ToBeVisibleAsync();
            await Expect(send).ToBeFocusedAsync();
        }

        await texter.Keyboard.PressAsync("Enter");
        await Expect(texter.GetByText("All sent. Thank you!")).ToBeVisibleAsync();

        var initial = await app.OutboundMessagesAsync(slug, MessageKind.Initial);
        Assert.Equal(5, initial.Count);
        Assert.Equal(5, initial.Select(m => m.ContactId).Distinct().Count());

        // A voter answers; the reply shows up in the open conversation without a reload.
        await texter.GotoAsync($"/orgs/{slug}/conversations");
        await texter.Locator("[data-live=true]").WaitForAsync();
        var inbox = texter.GetByRole(AriaRole.Navigation, new() { Name = "Inbox" });
        await Expect(inbox.GetByRole(AriaRole.Link)).ToHaveCountAsync(5);
        await ScreenshotsAsync(screenshots, texter, "journey-inbox", inbox);
        await texter.Locator("[data-live=true]").WaitForAsync();
        await inbox.GetByRole(AriaRole.Link).Filter(new() { HasText = "Ada Lovelace" }).ClickAsync();
        await Expect(texter.GetByRole(AriaRole.Heading, new() { Name = "Ada Lovelace" })).ToBeVisibleAsync();
        var thread = texter.GetByRole(AriaRole.Log, new() { Name = "Messages" });
        await Expect(thread).ToContainTextAsync("Can we count on your vote Tuesday?");

        await app.InjectInboundAsync(slug, "+16143729101", "Yes! Where do I vote though?");

        await Expect(thread).ToContainTextAsync("Yes! Where do I vote though?");
        await Expect(inbox.GetByRole(AriaRole.Link).Filter(new() { HasText = "Ada Lovelace" })).ToContainTextAsync("Needs response");
        await texter.AssertAccessibleAsync("The conversation page");
        await ScreenshotsAsync(screenshots, texter, "journey-thread", thread);
        await texter.Locator("[data-live=true]").WaitForAsync();

        // A canned response, then the survey answer and its follow-up.
        var reply = texter.GetByLabel("Reply", new() { Exact = true });
        await texter.GetByRole(AriaRole.Button, new() { Name = "Insert Where do I vote?" }).ClickAsync();
        await Expect(reply).ToHaveValueAsync(CannedText);
        await texter.GetByRole(AriaRole.Button, new() { Name = "Send reply" }).ClickAsync();
        await Expect(thread).ToContainTextAsync(CannedText);
        await Expect(reply).ToHaveValueAsync("");

        await texter.GetByRole(AriaRole.Group, new() { Name = Question }).GetByRole(AriaRole.Button, new() { Name = "Yes" }).ClickAsync();
        await Expect(texter.GetByText("Recorded “Yes”.")).ToBeVisibleAsync();
        await Expect(reply).ToHaveValueAsync("Thank you Ada! Early voting ends Friday at 7pm.");
        await texter.GetByRole(AriaRole.Button, new() { Name = "Send reply" }).ClickAsync();
        await Expect(thread).ToContainTextAsync("Thank you Ada! Early voting ends Friday at 7pm.");
        var replies = await app.OutboundMessagesAsync(slug, MessageKind.Reply);
        Assert.Equal(new[] { CannedText, "Thank you Ada! Early voting ends Friday at 7pm." }.Order(StringComparer.Ordinal), replies.Select(r => r.Body).Order(StringComparer.Ordinal));

        // Another voter says stop: the open conversation turns opted out and can't be answered any more.
        await inbox.GetByRole(AriaRole.Link).Filter(new() { HasText = "Grace Hopper" }).ClickAsync();
        await Expect(texter.GetByRole(AriaRole.Heading, new() { Name = "Grace Hopper" })).ToBeVisibleAsync();
        await Expect(texter.GetByRole(AriaRole.Button, new() { Name = "Send reply" })).ToBeVisibleAsync();

        await app.InjectInboundAsync(slug, "+16143729102", "Stop.");

        await Expect(thread).ToContainTextAsync("Stop.");
        await Expect(texter.GetByText("This person opted out; nothing more can be sent to them.")).ToBeVisibleAsync();
        await Expect(texter.GetByRole(AriaRole.Button, new() { Name = "Send reply" })).ToHaveCountAsync(0);
        await Expect(texter.GetByLabel("Reply", new() { Exact = true })).ToHaveCountAsync(0);
        Assert.True(await app.IsOptedOutAsync(slug, "+16143729102"));

        // A supervisor moves Ada's conversation to another texter, who finds it in their conversations.
        var supervisor = await browser.NewPageAsync(app);
        await supervisor.LogInAsync("cara@example.org");
        await supervisor.GotoAsync($"/orgs/{slug}");
        await supervisor.WaitForInteractivityAsync();
        await supervisor.GetByRole(AriaRole.Link, new() { Name = "Review", Exact = true }).ClickAsync();
        await Expect(supervisor.GetByRole(AriaRole.Heading, new() { Name = "Review conversations" })).ToBeVisibleAsync();
        await supervisor.Locator("[data-live=true]").WaitForAsync();
        var select = supervisor.GetByRole(AriaRole.Checkbox, new() { Name = "Select Ada Lovelace" });
        await Expect(supervisor.GetByRole(AriaRole.Row).Filter(new() { HasText = "Ada Lovelace" })).ToContainTextAsync("Jo Park");
        await supervisor.AssertAccessibleAsync("The review page");
        await ScreenshotsAsync(screenshots, supervisor, "journey-review", select);

        await select.CheckAsync();
        await supervisor.GetByRole(AriaRole.Combobox, new() { Name = "Reassign to" }).ClickAsync();
        await supervisor.GetByRole(AriaRole.Option, new() { Name = "Sam Lee" }).ClickAsync();
        await supervisor.Keyboard.PressAsync("Escape");
        await supervisor.GetByRole(AriaRole.Button, new() { Name = "Reassign selected" }).ClickAsync();

        await Expect(supervisor.GetByText("Reassigned 1 conversation to Sam Lee.")).ToBeVisibleAsync();
        await Expect(supervisor.GetByRole(AriaRole.Row).Filter(new() { HasText = "Ada Lovelace" })).ToContainTextAsync("Sam Lee");

        var second = await browser.NewPageAsync(app, BrowserFixture.Phone);
        await second.LogInAsync("sam@example.org");
        await second.GotoAsync($"/orgs/{slug}/conversations");
        await second.WaitForInteractivityAsync();
        var samsInbox = second.GetByRole(AriaRole.Navigation, new() { Name = "Inbox" });
        await Expect(samsInbox.GetByRole(AriaRole.Link)).ToHaveCountAsync(1);
        await samsInbox.GetByRole(AriaRole.Link).Filter(new() { HasText = "Ada Lovelace" }).ClickAsync();
        await Expect(second.GetByRole(AriaRole.Log, new() { Name = "Messages" })).ToContainTextAsync("Thank you Ada! Early voting ends Friday at 7pm.");
    }

    /// <summary>Five voters in a zone where it is early afternoon now, so their texting window is open whenever this runs.</summary>
    private static string ContactsCsv(string zone) => $"""
        First Name,Last Name,Cell Phone,Time Zone
        Ada,Lovelace,(614) 372-9101,{zone}
        Grace,Hopper,(614) 372-9102,{zone}
        Alan,Turing,(614) 372-9103,{zone}
        Katherine,Johnson,(614) 372-9104,{zone}
        Dorothy,Vaughan,(614) 372-9105,{zone}
        """;

    private static string AfternoonZone(ChorusServer app)
    {
        var now = app.Services.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var offset = 13 - now.Hour;
        offset = offset > 14 ? offset - 24 : offset < -12 ? offset + 24 : offset;
        // Etc/GMT zones count the other way round: Etc/GMT-5 is five hours ahead of UTC.
        return offset == 0 ? "Etc/UTC" : string.Create(CultureInfo.InvariantCulture, $"Etc/GMT{(offset > 0 ? "-" : "+")}{Math.Abs(offset)}");
    }

    /// <summary>
    /// The page at desktop and phone widths. Each width is a fresh load, as a phone would open it: MudBlazor's drawer
    /// keeps the state it had at the width the page was opened at.
    /// </summary>
    private static async Task ScreenshotsAsync(bool take, IPage page, string name, ILocator ready)
    {
        if (!take)
        {
            return;
        }

        await page.SaveScreenshotAsync(name);
        foreach (var viewport in new[] { BrowserFixture.Phone, BrowserFixture.Desktop })
        {
            await page.SetViewportSizeAsync(viewport.Width, viewport.Height);
            await page.ReloadAsync();
            await page.WaitForInteractivityAsync();
            await Expect(ready).ToBeVisibleAsync();
            if (viewport == BrowserFixture.Phone)
            {
                await page.SaveScreenshotAsync(name);
            }
        }
    }
}
