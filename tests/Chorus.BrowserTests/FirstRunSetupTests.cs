using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Chorus.BrowserTests;

public sealed partial class FirstRunSetupTests(ChorusServer server, BrowserFixture browser) : IClassFixture<ChorusServer>
{
    [Fact]
    public async Task A_new_instance_is_set_up_through_the_one_time_link()
    {
        var token = await server.IssueSetupTokenAsync();
        var page = await browser.NewPageAsync(server);

        await page.GotoAsync($"/setup?token={token}");
        await page.GetByLabel("Your name").FillAsync("Maya Okafor");
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync("maya@example.org");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(ChorusServer.Password);
        await page.GetByLabel("Organization name").FillAsync("Friends of María Ortiz");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create account and organization" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(OrganizationHome());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Friends of María Ortiz", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Summary" })).ToContainTextAsync("Owner");

        await page.GotoAsync($"/setup?token={token}");
        await Expect(page.GetByText("This set-up link is no longer valid")).ToBeVisibleAsync();
    }

    [GeneratedRegex("/orgs/friends-of-maria-ortiz$")]
    private static partial Regex OrganizationHome();
}
