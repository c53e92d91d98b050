using Chorus.Features.Campaigns;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Chorus.BrowserTests;

public sealed class CampaignTests(ChorusServer server, BrowserFixture browser) : IClassFixture<ChorusServer>
{
    [Fact]
    public async Task An_admin_writes_a_script_fixes_a_smart_quote_adds_a_survey_and_launches()
    {
        var owner = await server.CreateUserAsync("maya@example.org", "Maya Okafor");
        var slug = await server.CreateOrganizationAsync("Valley Voters", owner);
        var page = await browser.NewPageAsync(server);
        await page.LogInAsync("maya@example.org");
        await page.GotoAsync($"/orgs/{slug}/campaigns");
        await page.WaitForInteractivityAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "No campaigns yet" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "New campaign" }).ClickAsync();
        var dialog = page.GetByRole(AriaRole.Dialog);
        await dialog.GetByLabel("Title").FillAsync("Early vote reminder");
        await dialog.GetByLabel("Description").FillAsync("Everyone in Ward 3 who hasn't voted early yet.");
        await dialog.GetByRole(AriaRole.Button, new() { Name = "Create campaign" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Early vote reminder", Level = 1 })).ToBeVisibleAsync();
        var campaignId = Guid.Parse(page.Url.Split('/')[^1].Split('?')[0]);

        // A merge field goes in with its insert button, where the cursor is; the rest is typed as people paste it.
        var message = page.GetByLabel("Initial message", new() { Exact = true });
        var composer = page.GetByRole(AriaRole.Group, new() { Name = "Compose: Initial message" });
        await message.FillAsync("Hi ");
        await composer.GetByRole(AriaRole.Button, new() { Name = "{firstName}" }).ClickAsync();
        await Expect(message).ToHaveValueAsync("Hi {firstName}");
        // The cursor comes back after the inserted field one round trip later; a person waits to see it, and so do we.
        await Expect(message).ToBeFocusedAsync();
        await page.WaitForFunctionAsync("id => document.getElementById(id).selectionStart === 14", await message.GetAttributeAsync("id"));
        await page.Keyboard.InsertTextAsync(", it’s {texterFirstName} with {orgName}. Can we count on your vote Tuesday? Reply STOP to opt out");

        await Expect(composer.GetByText("Hi Ana, it’s Maya with Valley Voters. Can we count on your vote Tuesday? Reply STOP to opt out")).ToBeVisibleAsync();
        await Expect(composer.GetByText("UCS-2", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(composer.GetByText("2 segments", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(composer.GetByText("94 characters", new() { Exact = true })).ToBeVisibleAsync();

        await composer.GetByRole(AriaRole.Button, new() { Name = "Replace ’ with '" }).ClickAsync();

        await Expect(message).ToHaveValueAsync("Hi {firstName}, it's {texterFirstName} with {orgName}. Can we count on your vote Tuesday? Reply STOP to opt out");
        await Expect(composer.GetByText("GSM-7", new() { Exact = true })).ToBeVisibleAsync();
        await Expect(composer.GetByText("1 segment", new() { Exact = true })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Add a survey question" }).ClickAsync();
        await page.GetByLabel("Survey question", new() { Exact = true }).FillAsync("Will they vote early?");
        await page.GetByLabel("Answer 1", new() { Exact = true }).FillAsync("Yes");
        await page.GetByLabel("Follow-up to answer 1", new() { Exact = true }).FillAsync("Thank you, {firstName}! Early voting is open until 7pm.");
        await page.GetByLabel("Answer 2", new() { Exact = true }).FillAsync("No");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save script" }).ClickAsync();
        await Expect(page.GetByText("Script saved.")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Launch" }).ClickAsync();

        await Expect(page.GetByText("Campaign launched. Texters can start sending.")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Campaign status" })).ToContainTextAsync("Active");
        var saved = await server.CampaignAsync(campaignId);
        Assert.Equal(CampaignStatus.Active, saved.Status);
        Assert.StartsWith("Hi {firstName}, it's {texterFirstName}", saved.InitialMessage, StringComparison.Ordinal);
        Assert.Equal(["Yes", "No"], saved.Question!.Answers.Select(a => a.Value));
    }

    [Fact]
    public async Task Template_errors_point_at_their_place_and_an_archived_campaign_is_read_only()
    {
        var owner = await server.CreateUserAsync("lena@example.org", "Lena Fischer");
        var slug = await server.CreateOrganizationAsync("Northside Action", owner);
        const string Saved = "Hi {firstName}, it's {texterFirstName} with {orgName}. Reply STOP to opt out";
        var campaignId = await server.CreateCampaignAsync(slug, owner, "Town hall invite", Saved);
        var page = await browser.NewPageAsync(server);
        await page.LogInAsync("lena@example.org");
        await page.GotoAsync($"/orgs/{slug}/campaigns/{campaignId}?tab=script");
        await page.WaitForInteractivityAsync();
        var message = page.GetByLabel("Initial message", new() { Exact = true });
        var composer = page.GetByRole(AriaRole.Group, new() { Name = "Compose: Initial message" });

        await message.FillAsync("Hi {fristName}, it's {orgName}");

        await Expect(composer.GetByText("Unknown merge field {fristName} at line 1, column 4. Did you mean {firstName}?")).ToBeVisibleAsync();
        await Expect(composer.GetByRole(AriaRole.Button, new() { Name = "Ln 1, Col 4" })).ToBeVisibleAsync();
        await Expect(composer.GetByText("Fix the errors to see the message.")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Archive" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Archive" }).ClickAsync();

        await Expect(page.GetByText("Campaign archived.")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Campaign status" })).ToContainTextAsync("Archived");
        await Expect(message).ToHaveValueAsync(Saved);
        await Expect(message).Not.ToBeEditableAsync();
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save script" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Copy" })).ToBeVisibleAsync();
        Assert.Equal(CampaignStatus.Archived, (await server.CampaignAsync(campaignId)).Status);
    }

    [Fact]
    public async Task Talking_points_render_markdown_but_never_the_html_or_script_links_in_it()
    {
        var owner = await server.CreateUserAsync("june@example.org", "June Park");
        var slug = await server.CreateOrganizationAsync("Harbor Democrats", owner);
        var campaignId = await server.CreateCampaignAsync(slug, owner, "Ballot chase");
        await server.UpdateCampaignAsync(slug, owner, campaignId, new UpdateCampaign.Request(null, null, null, null,
            "**Polls** close at 7pm <img src=x onerror=alert(1)> [help](javascript:alert(1)) [site](https://example.org)"));
        var page = await browser.NewPageAsync(server);
        await page.LogInAsync("june@example.org");

        await page.GotoAsync($"/orgs/{slug}/campaigns/{campaignId}?tab=details");
        await page.WaitForInteractivityAsync();

        var preview = page.Locator(".markdown-preview");
        await Expect(preview.Locator("strong")).ToHaveTextAsync("Polls");
        await Expect(preview).ToContainTextAsync("<img src=x onerror=alert(1)>");
        await Expect(preview.Locator("img")).ToHaveCountAsync(0);
        await Expect(preview.GetByRole(AriaRole.Link, new() { Name = "site" })).ToHaveAttributeAsync("href", "https://example.org");
        Assert.DoesNotContain("javascript", await preview.InnerHTMLAsync(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Messaging_settings_refuse_an_unknown_time_zone_and_save_good_ones()
    {
        var owner = await server.CreateUserAsync("omar@example.org", "Omar Diaz");
        var slug = await server.CreateOrganizationAsync("Eastside Neighbors", owner);
        var page = await browser.NewPageAsync(server);
        await page.LogInAsync("omar@example.org");
        await page.GotoAsync($"/orgs/{slug}/settings");
        await page.WaitForInteractivityAsync();

        await page.GetByLabel("Opt-out language").FillAsync("Text STOP to quit");
        await page.GetByLabel("Price per segment").FillAsync("0.0083");
        await page.GetByLabel("Default time zone").FillAsync("Mars/Olympus_Mons");
        await page.GetByLabel("Default time zone").PressAsync("Tab");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save messaging settings" }).ClickAsync();

        await Expect(page.GetByText("'Mars/Olympus_Mons' is not an IANA time zone such as America/Chicago.").First).ToBeVisibleAsync();

        await page.GetByLabel("Default time zone").FillAsync("America/Chicago");
        await page.GetByLabel("Default time zone").PressAsync("Tab");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save messaging settings" }).ClickAsync();

        await Expect(page.GetByText("Messaging settings saved.")).ToBeVisibleAsync();
        await page.ReloadAsync();
        await Expect(page.GetByLabel("Opt-out language")).ToHaveValueAsync("Text STOP to quit");
        await Expect(page.GetByLabel("Default time zone")).ToHaveValueAsync("America/Chicago");
        await Expect(page.GetByLabel("Price per segment")).ToHaveValueAsync("0.0083");
    }

    [Fact]
    public async Task A_refused_launch_lists_every_problem()
    {
        var owner = await server.CreateUserAsync("ravi@example.org", "Ravi Menon");
        var slug = await server.CreateOrganizationAsync("Lakeside Tenants Union", owner);
        var campaignId = await server.CreateCampaignAsync(slug, owner, "Rent strike check-in", "Hi {firstName}, can we count on you Thursday? Reply STOP to opt out");
        var page = await browser.NewPageAsync(server);
        await page.LogInAsync("ravi@example.org");
        await page.GotoAsync($"/orgs/{slug}/campaigns/{campaignId}?tab=script");
        await page.WaitForInteractivityAsync();
        await Expect(page.GetByText("Carriers expect the sender to be named")).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Launch" }).ClickAsync();

        var problems = page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "can't launch" });
        await Expect(problems).ToContainTextAsync("Initial message");
        await Expect(problems).ToContainTextAsync("must name the sender: include \"Lakeside Tenants Union\" or {orgName}");
        await page.SaveScreenshotAsync("campaign-launch-refused", fullPage: false);
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Campaign status" })).ToContainTextAsync("Draft");
        Assert.Equal(CampaignStatus.Draft, (await server.CampaignAsync(campaignId)).Status);
    }

    [Fact]
    public async Task An_admin_sets_how_texters_get_contacts_and_a_bad_batch_size_is_refused_without_saving()
    {
        var owner = await server.CreateUserAsync("ines@example.org", "Ines Carvalho");
        var slug = await server.CreateOrganizationAsync("Valley Voters", owner);
        var campaignId = await server.CreateCampaignAsync(slug, owner, "Early vote push");
        var page = await browser.NewPageAsync(server);
        await page.LogInAsync("ines@example.org");
        await page.GotoAsync($"/orgs/{slug}/campaigns/{campaignId}?tab=texters");
        await page.WaitForInteractivityAsync();

        var save = page.GetByRole(AriaRole.Button, new() { Name = "Save assignment settings" });
        await Expect(page.GetByLabel("Contacts per batch")).ToHaveValueAsync("100");
        await Expect(save).ToBeDisabledAsync();

        await page.GetByLabel("Contacts per batch").FillAsync("5000");
        await save.ClickAsync();
        await Expect(page.GetByText("A batch is 1 to 1,000 contacts.")).ToBeVisibleAsync();
        Assert.Equal(100, (await server.SavedCampaignAsync(campaignId)).BatchSize);

        await page.GetByLabel("Contacts per batch").FillAsync("25");
        await page.GetByLabel("Most contacts per texter").FillAsync("200");
        await page.GetByText("Texters ask for their own batches").ClickAsync();
        await page.GetByText("Texters answer their replies before getting more").ClickAsync();
        await page.GetByText("Texters may edit the first message before sending").ClickAsync();
        await save.ClickAsync();
        await Expect(page.GetByText("Assignment settings saved.")).ToBeVisibleAsync();
        await Expect(save).ToBeDisabledAsync();
        await page.SaveScreenshotAsync("campaign-texters");

        var saved = await server.SavedCampaignAsync(campaignId);
        Assert.Equal((25, 200, false, true, true),
            (saved.BatchSize, saved.MaxContactsPerTexter, saved.DynamicAssignment, saved.RequireRepliesBeforeMore, saved.AllowEditingInitialMessage));

        await page.GetByLabel("Most contacts per texter").FillAsync("");
        await save.ClickAsync();
        await Expect(save).ToBeDisabledAsync();
        Assert.Null((await server.SavedCampaignAsync(campaignId)).MaxContactsPerTexter);
    }
}
