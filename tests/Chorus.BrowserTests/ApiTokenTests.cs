using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Chorus.BrowserTests;

public sealed class ApiTokenTests(ChorusServer server, BrowserFixture browser) : IClassFixture<ChorusServer>
{
    [Fact]
    public async Task A_new_token_is_shown_once_and_can_be_revoked()
    {
        await server.CreateUserAsync("noor@example.org", "Noor Haddad");
        var page = await browser.NewPageAsync(server);
        await page.LogInAsync("noor@example.org");
        await page.GotoAsync("/account/tokens");
        await page.WaitForInteractivityAsync();

        await page.GetByLabel("Token name").FillAsync("Voter file sync");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create token" }).ClickAsync();

        await Expect(page.GetByLabel("New API token")).ToHaveValueAsync(new System.Text.RegularExpressions.Regex("^chorus_"));
        var row = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Voter file sync" });
        await Expect(row).ToContainTextAsync("Active");

        await page.GetByRole(AriaRole.Button, new() { Name = "I've copied it" }).ClickAsync();
        await Expect(page.GetByLabel("New API token")).ToHaveCountAsync(0);

        await row.GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Revoke" }).ClickAsync();
        await Expect(row).ToContainTextAsync("Revoked");
    }
}
