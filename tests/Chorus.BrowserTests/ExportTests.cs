using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Chorus.BrowserTests;

public sealed class ExportTests(ChorusServer server, BrowserFixture browser) : IClassFixture<ChorusServer>
{
    [Fact]
    public async Task An_admin_exports_a_campaigns_contacts_watches_it_complete_and_downloads_the_csv()
    {
        var owner = await server.CreateUserAsync("ines@example.org", "Ines Moreau");
        var slug = await server.CreateOrganizationAsync("Northside Action", owner);
        var campaignId = await server.CreateCampaignAsync(slug, owner, "Ballot chase");
        await server.SeedContactsAsync(slug, campaignId, ("=HYPERLINK(\"http://evil\")", "Rivera", "+12124567890"), ("Ben", "Ng", "+12124567891"));
        var page = await browser.NewPageAsync(server);
        await page.LogInAsync("ines@example.org");
        await page.GotoAsync($"/orgs/{slug}/exports");
        await page.WaitForInteractivityAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "No exports yet" })).ToBeVisibleAsync();

        await page.GetByRole(AriaRole.Button, new() { Name = "Export", Exact = true }).ClickAsync();

        var table = page.Locator(".data-table");
        await Expect(table).ToContainTextAsync("Ballot chase");
        await Expect(table).ToContainTextAsync("Completed · 2 rows", new() { Timeout = 30_000 });
        var download = await page.RunAndWaitForDownloadAsync(() =>
            page.GetByRole(AriaRole.Link, new() { Name = "Download Contacts CSV" }).ClickAsync());
        var text = await File.ReadAllTextAsync(await download.PathAsync(), TestContext.Current.CancellationToken);

        Assert.StartsWith("chorus-contacts-ballot-chase-", download.SuggestedFilename, StringComparison.Ordinal);
        Assert.StartsWith("\"contact_id\",\"external_id\",\"first_name\",\"last_name\",\"phone\",", text.TrimStart('\uFEFF'), StringComparison.Ordinal);
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil\"\")\"", text, StringComparison.Ordinal);
    }
}
