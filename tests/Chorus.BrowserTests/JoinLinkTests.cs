using System.Text.RegularExpressions;
using Chorus.Features.Organizations;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Chorus.BrowserTests;

public sealed class JoinLinkTests(ChorusServer server, BrowserFixture browser) : IClassFixture<ChorusServer>
{
    [Fact]
    public async Task A_volunteer_signs_up_through_an_admins_join_link_and_becomes_a_texter()
    {
        var admin = await server.CreateUserAsync("ana@example.org", "Ana Lopez");
        var slug = await server.CreateOrganizationAsync("Riverside Votes", admin);
        var adminPage = await browser.NewPageAsync(server);
        await adminPage.LogInAsync("ana@example.org");
        await adminPage.GotoAsync($"/orgs/{slug}/join-links");
        await adminPage.WaitForInteractivityAsync();

        await adminPage.GetByRole(AriaRole.Button, new() { Name = "Create link" }).ClickAsync();
        var link = await adminPage.GetByLabel("New join link").InputValueAsync();

        // A second browser context: the volunteer's own phone, with no session.
        var volunteer = await browser.NewPageAsync(server, BrowserFixture.Phone);
        await volunteer.GotoAsync(link);
        await Expect(volunteer.GetByRole(AriaRole.Heading, new() { Name = "Join Riverside Votes as a Texter" })).ToBeVisibleAsync();
        await volunteer.GetByRole(AriaRole.Link, new() { Name = "Create an account" }).ClickAsync();
        await volunteer.GetByLabel("Your name").FillAsync("Jo Park");
        await volunteer.GetByLabel("Email", new() { Exact = true }).FillAsync("jo@example.org");
        await volunteer.GetByLabel("Password", new() { Exact = true }).FillAsync(ChorusServer.Password);
        await volunteer.GetByRole(AriaRole.Button, new() { Name = "Create account" }).ClickAsync();
        await volunteer.GetByRole(AriaRole.Button, new() { Name = "Join Riverside Votes" }).ClickAsync();

        await Expect(volunteer).ToHaveURLAsync(new Regex($"/orgs/{slug}$"));
        await Expect(volunteer.GetByRole(AriaRole.Heading, new() { Name = "Riverside Votes", Level = 1 })).ToBeVisibleAsync();
        await Expect(volunteer.GetByRole(AriaRole.Region, new() { Name = "Summary" })).ToContainTextAsync("Texter");
        Assert.Equal(OrgRole.Texter, await server.RoleOfAsync("jo@example.org", slug));
    }
}
