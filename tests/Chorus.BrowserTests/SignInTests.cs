using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Chorus.BrowserTests;

public sealed partial class SignInTests(ChorusServer server, BrowserFixture browser) : IClassFixture<ChorusServer>
{
    [Fact]
    public async Task A_member_logs_in_lands_in_their_organization_and_logs_out()
    {
        var sam = await server.CreateUserAsync("sam@example.org", "Sam Rivera");
        var slug = await server.CreateOrganizationAsync("Eastside Tenants Union", sam);
        var page = await browser.NewPageAsync(server);

        await page.LogInAsync("sam@example.org");

        await Expect(page).ToHaveURLAsync(new Regex($"/orgs/{slug}$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Eastside Tenants Union", Level = 1 })).ToBeVisibleAsync();

        await page.WaitForInteractivityAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Account menu" }).ClickAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Log out" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(LoginPage());
        await page.GotoAsync($"/orgs/{slug}");
        await Expect(page).ToHaveURLAsync(LoginPage());
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Log in" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_wrong_password_shows_an_inline_error()
    {
        await server.CreateUserAsync("lee@example.org", "Lee Chen");
        var page = await browser.NewPageAsync(server);

        await page.LogInAsync("lee@example.org", "not the password");

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Email or password is incorrect.");
        await Expect(page).ToHaveURLAsync(LoginPage());
    }

    [GeneratedRegex("/account/login")]
    private static partial Regex LoginPage();
}
