using Chorus.Features.Organizations;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Chorus.BrowserTests;

public sealed class MembersTests(ChorusServer server, BrowserFixture browser) : IClassFixture<ChorusServer>
{
    [Fact]
    public async Task An_owner_promotes_a_texter_but_cannot_demote_the_last_owner()
    {
        var owner = await server.CreateUserAsync("mei@example.org", "Mei Sato");
        var slug = await server.CreateOrganizationAsync("Valley Voters", owner);
        await server.AddMemberAsync(slug, owner, await server.CreateUserAsync("tom@example.org", "Tom Baker"), OrgRole.Texter);
        var page = await browser.NewPageAsync(server);
        await page.LogInAsync("mei@example.org");
        await page.GotoAsync($"/orgs/{slug}/members");
        await page.WaitForInteractivityAsync();

        await page.GetByRole(AriaRole.Combobox, new() { Name = "Role of Tom Baker" }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Supervisor" }).ClickAsync();

        await Expect(page.GetByText("Tom Baker is now a Supervisor.")).ToBeVisibleAsync();
        Assert.Equal(OrgRole.Supervisor, await server.RoleOfAsync("tom@example.org", slug));

        await page.GetByRole(AriaRole.Combobox, new() { Name = "Role of Mei Sato" }).ClickAsync();
        await page.GetByRole(AriaRole.Option, new() { Name = "Admin" }).ClickAsync();
        await page.GetByRole(AriaRole.Dialog).GetByRole(AriaRole.Button, new() { Name = "Change role" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert).Filter(new() { HasText = "must keep at least one owner" }).First).ToBeVisibleAsync();
        Assert.Equal(OrgRole.Owner, await server.RoleOfAsync("mei@example.org", slug));
    }
}
