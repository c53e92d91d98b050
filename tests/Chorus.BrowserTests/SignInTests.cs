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

    [Fact]
    public async Task A_return_address_on_another_site_is_ignored()
    {
        var ada = await server.CreateUserAsync("ada@example.org", "Ada Byrne");
        var slug = await server.CreateOrganizationAsync("Lakeshore Youth Vote", ada);
        var page = await browser.NewPageAsync(server);

        await page.GotoAsync("/account/login?ReturnUrl=%2F%2Fevil.example%2Fphish");
        await page.GetByLabel("Email", new() { Exact = true }).FillAsync("ada@example.org");
        await page.GetByLabel("Password", new() { Exact = true }).FillAsync(ChorusServer.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Log in" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex($"^{Regex.Escape(server.BaseUrl)}/orgs/{slug}$"));
    }

    [Fact]
    public async Task Logging_out_needs_the_pages_antiforgery_token()
    {
        await server.CreateUserAsync("bo@example.org", "Bo Lindqvist");
        var page = await browser.NewPageAsync(server);
        await page.LogInAsync("bo@example.org");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You're not in an organization yet" })).ToBeVisibleAsync();

        // What another site could make the browser send: the cookie, but no token.
        var forged = await page.APIRequest.PostAsync("/account/logout", new() { MaxRedirects = 0 });

        Assert.Equal(400, forged.Status);
        await page.GotoAsync("/account/tokens");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "API tokens", Level = 1 })).ToBeVisibleAsync();
    }

    [GeneratedRegex("/account/login")]
    private static partial Regex LoginPage();
}
