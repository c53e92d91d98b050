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
            await ShootAsync(page, "/account/tokens", "API tokens", "tokens");

            await page.GetByRole(AriaRole.Button, new() { Name = "Switch organization" }).ClickAsync();
            await Expect(page.GetByRole(AriaRole.Menuitem).Filter(new() { HasText = "Friends of María Ortiz" })).ToBeVisibleAsync();
            await page.SaveScreenshotAsync("organization-switcher", fullPage: false);
        });

        Assert.Empty(errors);
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
