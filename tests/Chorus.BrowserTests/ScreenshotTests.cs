using Chorus.Features.Accounts;
using Chorus.Features.Campaigns;
using Chorus.Features.Messaging;
using Chorus.Features.Organizations;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Chorus.BrowserTests;

/// <summary>
/// Renders the main pages at laptop and phone widths and saves screenshots to test-artifacts/screenshots for people
/// to review. It asserts that each page shows its heading, so a page that fails to render fails the run.
/// </summary>
public sealed class ScreenshotTests(ChorusServer server, BrowserFixture browser) : IClassFixture<ChorusServer>
{
    private static readonly ViewportSize[] Viewports = [BrowserFixture.Desktop, BrowserFixture.Phone];

    [Fact]
    public async Task The_main_pages_render_on_a_laptop_and_a_phone()
    {
        // The set-up page only offers its form while the instance has no accounts.
        var token = await server.IssueSetupTokenAsync();
        await ForEachViewportAsync(async page =>
        {
            await page.GotoAsync("/account/login");
            await page.SaveScreenshotAsync("login");
            await page.GotoAsync($"/setup?token={token}");
            await Expect(page.GetByLabel("Organization name")).ToBeVisibleAsync();
            await page.SaveScreenshotAsync("setup");
        });

        var owner = await server.CreateUserAsync("maya@example.org", "Maya Okafor");
        var slug = await server.CreateOrganizationAsync("Friends of María Ortiz", owner);
        foreach (var (email, name, role) in new[]
        {
            ("dev@example.org", "Devon Hart", OrgRole.Admin),
            ("lin@example.org", "Lin Zhao", OrgRole.Supervisor),
            ("sam@example.org", "Sam Rivera", OrgRole.Texter),
            ("priya@example.org", "Priya Natarajan-Whitfield", OrgRole.Texter),
        })
        {
            await server.AddMemberAsync(slug, owner, await server.CreateUserAsync(email, name), role);
        }

        var campaignId = await SeedCampaignsAsync(slug, owner);
        await SeedMessagesAsync(slug);
        await server.AddOptOutAsync(slug, owner, "+17735550123", "keyword", "STOP");
        await server.AddOptOutAsync(slug, owner, "(312) 448-0142", "manual", "Called the office and asked us to stop texting her mother’s phone");
        await server.AddOptOutAsync(slug, owner, "+13125550177", "import");
        var joinCode = await server.CreateJoinLinkAsync(slug, owner, OrgRole.Texter);
        await ForEachViewportAsync(async visitor =>
        {
            await visitor.GotoAsync($"/join/{joinCode}");
            await Expect(visitor.GetByRole(AriaRole.Heading, new() { Name = "Join Friends of María Ortiz as a Texter" })).ToBeVisibleAsync();
            await visitor.SaveScreenshotAsync("join");
            await visitor.GetByRole(AriaRole.Link, new() { Name = "Create an account" }).ClickAsync();
            await visitor.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
            await Expect(visitor.GetByText("Enter your email address.")).ToBeVisibleAsync();
            await visitor.SaveScreenshotAsync("signup-errors");
        });

        var errors = new System.Collections.Concurrent.ConcurrentQueue<string>();
        await ForEachViewportAsync(async page =>
        {
            page.PageError += (_, error) => errors.Enqueue(error);
            page.Console += (_, message) =>
            {
                if (message.Type == "error")
                {
                    errors.Enqueue(message.Text);
                }
            };
            await page.LogInAsync("maya@example.org");
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Friends of María Ortiz", Level = 1 })).ToBeVisibleAsync();
            await page.WaitForInteractivityAsync();
            await ExpectStylesheetsAppliedAsync(page);
            await page.SaveScreenshotAsync("org-home");

            await ShootAsync(page, $"/orgs/{slug}/members", "Members", "members");
            await ShootAsync(page, $"/orgs/{slug}/join-links", "Join links", "join-links");
            await ShootAsync(page, $"/orgs/{slug}/audit", "Audit log", "audit");
            await ShootAsync(page, $"/orgs/{slug}/settings", "Settings", "settings");
            await ShootAsync(page, $"/orgs/{slug}/settings/messaging", "Messaging setup", "messaging-setup");
            await ShootAsync(page, $"/orgs/{slug}/messages?phone=%2B16143729018", "Messages", "messages");
            await page.GetByRole(AriaRole.Tab, new() { Name = "Needs review" }).ClickAsync();
            await page.SaveScreenshotAsync("messages-needs-review");
            await ShootAsync(page, $"/orgs/{slug}/opt-outs", "Opt-outs", "opt-outs");
            await ShootAsync(page, $"/orgs/{slug}/campaigns", "Campaigns", "campaigns");
            await page.GetByRole(AriaRole.Button, new() { Name = "New campaign" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Dialog).GetByLabel("Title")).ToBeVisibleAsync();
            await page.SaveScreenshotAsync("new-campaign", fullPage: false);
            await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
            await ShootAsync(page, $"/orgs/{slug}/campaigns/{campaignId}?tab=script", "Volunteer recruitment: weekend canvass", "campaign-script");
            await ShootAsync(page, $"/orgs/{slug}/campaigns/{campaignId}?tab=details", "Volunteer recruitment: weekend canvass", "campaign-details");
            await ShootAsync(page, $"/orgs/{slug}/campaigns/{campaignId}?tab=hours", "Volunteer recruitment: weekend canvass", "campaign-hours");
            await ShootAsync(page, $"/orgs/{slug}/campaigns/{campaignId}?tab=responses", "Volunteer recruitment: weekend canvass", "campaign-responses");
            await page.GetByRole(AriaRole.Button, new() { Name = "Add canned response" }).ClickAsync();
            await page.GetByLabel("Response text", new() { Exact = true }).FillAsync("Our office is at 412 Elm St, {firstName}. See you there!");
            await page.SaveScreenshotAsync("campaign-response-new");
            await ShootAsync(page, $"/orgs/{slug}/campaigns/{campaignId}?tab=contacts", "Volunteer recruitment: weekend canvass", "campaign-contacts-empty");
            // Both widths upload the same file into the same campaign: whichever finishes second finds duplicates.
            var csv = await ContactUploadTests.WriteCsvAsync("volunteers.csv", ContactUploadTests.Csv);
            await page.ChooseFileAsync("Contacts CSV file", csv);
            await Expect(page.GetByRole(AriaRole.Combobox, new() { Name = "Cell Phone holds" })).ToBeVisibleAsync();
            await page.SaveScreenshotAsync("campaign-contacts-mapping");
            await page.GetByRole(AriaRole.Button, new() { Name = "Import contacts" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Import finished" })).ToBeVisibleAsync();
            await Expect(page.Locator(".contacts-table tbody tr")).ToHaveCountAsync(4);
            // The import button scrolled the page; the app bar is fixed, so a full-page shot from there draws it mid-page.
            await page.EvaluateAsync("window.scrollTo(0, 0)");
            await page.SaveScreenshotAsync("campaign-contacts");
            File.Delete(csv);
            await ShootAsync(page, "/account/tokens", "API tokens", "tokens");

            await page.GetByRole(AriaRole.Button, new() { Name = "Switch organization" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Menuitem).Filter(new() { HasText = "Friends of María Ortiz" })).ToBeVisibleAsync();
            await page.SaveScreenshotAsync("organization-switcher", fullPage: false);
        });

        Assert.Empty(errors);
    }

    /// <summary>Campaigns in every state, and one with a full script (a smart quote, a survey with a follow-up question).</summary>
    private async Task<Guid> SeedCampaignsAsync(string slug, AppUser owner)
    {
        var archived = await server.CreateCampaignAsync(slug, owner, "Primary persuasion, District 4", "Hi {firstName}, it's {texterFirstName} with {orgName}. Reply STOP to opt out");
        await server.ChangeCampaignStatusAsync(slug, owner, archived, ChangeCampaignStatus.Transition.Archive);
        var paused = await server.CreateCampaignAsync(slug, owner, "Spring canvass follow-up", "Hi {firstName}, thanks for talking with {orgName} at your door! Reply STOP to opt out");
        await server.ChangeCampaignStatusAsync(slug, owner, paused, ChangeCampaignStatus.Transition.Launch);
        await server.ChangeCampaignStatusAsync(slug, owner, paused, ChangeCampaignStatus.Transition.Pause);
        var active = await server.CreateCampaignAsync(slug, owner, "GOTV: early vote reminder", "Hi {firstName}, it's {texterFirstName} with {orgName}. Early voting ends Friday. Reply STOP to opt out");
        await server.ChangeCampaignStatusAsync(slug, owner, active, ChangeCampaignStatus.Transition.Launch);
        await server.CreateCampaignAsync(slug, owner, "Phone bank sign-ups");

        var followUp = new SaveScript.QuestionRequest(null, "Which day works best?", [
            new SaveScript.AnswerRequest("Saturday", "Great, see you Saturday at 10 at the Elm St office!", null),
            new SaveScript.AnswerRequest("Sunday", "Great, see you Sunday at noon at the Elm St office!", null),
        ]);
        var question = new SaveScript.QuestionRequest(null, "Can they canvass this weekend?", [
            new SaveScript.AnswerRequest("Yes", "Amazing, thank you {firstName}!", followUp),
            new SaveScript.AnswerRequest("No", "No worries, thanks for all you do.", null),
            new SaveScript.AnswerRequest("Maybe", "", null),
        ]);
        var id = await server.CreateCampaignAsync(slug, owner, "Volunteer recruitment: weekend canvass",
            "Hi {firstName}, it’s {texterFirstName} with {orgName}. We’re knocking doors in {zip} this weekend — can you join us for a shift?",
            question, "Past volunteers in the county who haven't signed up for a shift this month.");
        await server.UpdateCampaignAsync(slug, owner, id, new UpdateCampaign.Request(null, null, null, null,
            "**Shifts** are Saturday 10am–1pm and Sunday noon–3pm.\n\n- Keep it friendly and short\n- If someone asks about the candidate's record, send the *Issues* canned response\n- Never argue; thank them and move on\n\nQuestions? Ask Lin in the volunteer chat."));
        await server.CreateCannedResponseAsync(slug, owner, id, "Where do we meet?", "We meet at the Elm St office, 412 Elm St. Parking is free behind the building.", "logistics");
        await server.CreateCannedResponseAsync(slug, owner, id, "Wrong number", "Sorry about that, {firstName|friend}! We'll take you off our list.", "wrong number", "opt-out");
        return id;
    }

    /// <summary>A conversation with a delivered first text, a failed reply and a likely opt-out; a send of unknown outcome; a STOP.</summary>
    private async Task SeedMessagesAsync(string slug)
    {
        const string voter = "+16143729018";
        MessageStatus[] delivered = [MessageStatus.Queued, MessageStatus.Sending, MessageStatus.Submitted, MessageStatus.Sent, MessageStatus.Delivered];
        await server.SeedMessageAsync(slug, MessageDirection.Outbound, voter,
            "Hi Jordan, it’s Sam with Friends of María Ortiz. Early voting ends Friday — can we count on your vote?", MessageStatus.Delivered, delivered, ago: TimeSpan.FromHours(3));
        await server.SeedMessageAsync(slug, MessageDirection.Inbound, voter, "who is this? how did you get my number", MessageStatus.Received,
            [MessageStatus.Received], ago: TimeSpan.FromHours(2));
        await server.SeedMessageAsync(slug, MessageDirection.Outbound, voter, "Sorry for the surprise! You're on the county's public voter file.", MessageStatus.Undelivered,
            [MessageStatus.Queued, MessageStatus.Sending, MessageStatus.Submitted, MessageStatus.Undelivered], errorCode: 30003, errorMessage: "Unreachable destination handset", ago: TimeSpan.FromHours(1));
        await server.SeedMessageAsync(slug, MessageDirection.Inbound, voter, "please take me off your list", MessageStatus.Received, [MessageStatus.Received], likelyOptOut: true,
            ago: TimeSpan.FromMinutes(5));
        await server.SeedMessageAsync(slug, MessageDirection.Outbound, "+13125550199", "Hi Alex, it's Sam with Friends of María Ortiz.", MessageStatus.NeedsReview,
            [MessageStatus.Queued, MessageStatus.Sending, MessageStatus.Unknown, MessageStatus.NeedsReview], ago: TimeSpan.FromMinutes(40));
        await server.SeedMessageAsync(slug, MessageDirection.Inbound, "+17735550123", "STOP", MessageStatus.Received, [MessageStatus.Received], ago: TimeSpan.FromMinutes(30));
    }

    /// <summary>The laptop and the phone are separate browsers, so they go side by side to keep the run short.</summary>
    private Task ForEachViewportAsync(Func<IPage, Task> steps) =>
        Task.WhenAll(Viewports.Select(async viewport => await steps(await browser.NewPageAsync(server, viewport))));

    /// <summary>
    /// A page renders readably without its stylesheets, so only a style check notices when MudBlazor's CSS or
    /// app.css stops being served (a fingerprinting or static-asset mapping mistake).
    /// </summary>
    private static async Task ExpectStylesheetsAppliedAsync(IPage page)
    {
        await Expect(page.GetByRole(AriaRole.Banner)).ToHaveCSSAsync("position", "fixed");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Chorus home" }).Locator(".brand-mark")).ToHaveCSSAsync("background-color", "rgb(15, 107, 95)");
    }

    private static async Task ShootAsync(IPage page, string path, string heading, string name)
    {
        await page.GotoAsync(path);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = heading, Level = 1 })).ToBeVisibleAsync();
        await page.WaitForInteractivityAsync();
        await page.SaveScreenshotAsync(name);
    }
}
