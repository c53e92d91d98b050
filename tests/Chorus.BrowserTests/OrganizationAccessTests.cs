using System.Text.RegularExpressions;
using Chorus.Features.Organizations;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Chorus.BrowserTests;

public sealed class OrganizationAccessTests(ChorusServer server, BrowserFixture browser) : IClassFixture<ChorusServer>
{
    [Fact]
    public async Task A_person_without_an_organization_creates_one_from_the_home_page()
    {
        await server.CreateUserAsync("rosa@example.org", "Rosa Diaz");
        var page = await browser.NewPageAsync(server, BrowserFixture.Phone);

        await page.LogInAsync("rosa@example.org");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "You're not in an organization yet" })).ToBeVisibleAsync();
        await page.WaitForInteractivityAsync();
        await page.GetByLabel("Organization name").FillAsync("Northside Neighbors");
        await page.GetByRole(AriaRole.Button, new() { Name = "Create organization" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("/orgs/northside-neighbors$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Northside Neighbors", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Summary" })).ToContainTextAsync("Owner");

        // On a phone the navigation waits behind the menu button.
        var navigation = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        await Expect(navigation).ToBeHiddenAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Toggle navigation" }).ClickAsync();
        await navigation.GetByRole(AriaRole.Link, new() { Name = "Join links" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Join links", Level = 1 })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Someone_outside_an_organization_sees_not_found_and_a_texter_sees_no_admin_pages()
    {
        var owner = await server.CreateUserAsync("kai@example.org", "Kai Moreno");
        var slug = await server.CreateOrganizationAsync("Harbor Workers", owner);
        var texter = await server.CreateUserAsync("ivy@example.org", "Ivy Tran");
        await server.AddMemberAsync(slug, owner, texter, OrgRole.Texter);
        await server.CreateUserAsync("outsider@example.org", "Olu Ade");

        var outsider = await browser.NewPageAsync(server);
        await outsider.LogInAsync("outsider@example.org");
        await outsider.GotoAsync($"/orgs/{slug}");
        await Expect(outsider.GetByRole(AriaRole.Heading, new() { Name = "Page not found" })).ToBeVisibleAsync();
        await Expect(outsider.GetByText("Harbor Workers")).ToHaveCountAsync(0);

        var page = await browser.NewPageAsync(server);
        await page.LogInAsync("ivy@example.org");
        await Expect(page.GetByRole(AriaRole.Region, new() { Name = "Summary" })).ToContainTextAsync("Texter");
        var navigation = page.GetByRole(AriaRole.Navigation, new() { Name = "Main" });
        await Expect(navigation.GetByRole(AriaRole.Link, new() { Name = "Home" })).ToBeVisibleAsync();
        await Expect(navigation.GetByRole(AriaRole.Link, new() { Name = "Join links" })).ToHaveCountAsync(0);
        // A texter's home leads to the texting screen, and never claims there is nothing to text.
        await Expect(page.GetByText("No texts to send yet")).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Texting Get contacts") }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Texting", Level = 1 })).ToBeVisibleAsync();
        await page.GotoAsync($"/orgs/{slug}/join-links");
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Join links" })).ToHaveCountAsync(0);
    }
}
