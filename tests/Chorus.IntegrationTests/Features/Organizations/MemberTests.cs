using System.Net;
using System.Net.Http.Json;
using Chorus.Features.Organizations;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Chorus.IntegrationTests.Features.Organizations;

public sealed class MemberTests
{
    private static Uri Member(TestOrg org, TestUser user) => new($"/api/v1/orgs/{org.Slug}/members/{user.Id}", UriKind.Relative);


    [Theory, BothDatabases]
    public async Task An_admin_changes_a_members_role(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);

        var response = await org.Owner.Client.PatchAsJsonAsync(Member(org, texter), new { role = "Supervisor" }, TestContext.Current.CancellationToken);

        await response.ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        Assert.Equal(OrgRole.Supervisor, await app.Seed.RoleOfAsync(org, texter));
    }

    [Theory, BothDatabases]
    public async Task The_last_owner_cannot_be_demoted_or_removed(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();

        var demote = await org.Owner.Client.PatchAsJsonAsync(Member(org, org.Owner), new { role = "Admin" }, TestContext.Current.CancellationToken);
        var remove = await org.Owner.Client.DeleteAsync(Member(org, org.Owner), TestContext.Current.CancellationToken);

        var problem = await demote.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("at least one owner", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await remove.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(OrgRole.Owner, await app.Seed.RoleOfAsync(org, org.Owner));
    }

    [Theory, BothDatabases]
    public async Task Two_owners_demoting_each_other_at_once_leave_at_least_one_owner(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var second = await app.Seed.MemberAsync(org, OrgRole.Owner);

        await Task.WhenAll(
            org.Owner.Client.PatchAsJsonAsync(Member(org, second), new { role = "Texter" }, TestContext.Current.CancellationToken),
            second.Client.PatchAsJsonAsync(Member(org, org.Owner), new { role = "Texter" }, TestContext.Current.CancellationToken));

        Assert.True(await app.Seed.CountAsync(db => db.Memberships.IgnoreQueryFilters().Where(m => m.OrganizationId == org.Id && m.Role == OrgRole.Owner)) >= 1);
    }

    [Theory, BothDatabases]
    public async Task An_admin_removes_a_member_who_then_loses_access(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);

        var removed = await org.Owner.Client.DeleteAsync(Member(org, texter), TestContext.Current.CancellationToken);
        var afterwards = await texter.Client.GetAsync(new Uri($"/api/v1/orgs/{org.Slug}", UriKind.Relative), TestContext.Current.CancellationToken);

        await removed.ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        await afterwards.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory, BothDatabases]
    public async Task An_admin_cannot_make_anyone_an_owner(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var admin = await app.Seed.MemberAsync(org, OrgRole.Admin);

        var response = await admin.Client.PatchAsJsonAsync(Member(org, admin), new { role = "Owner" }, TestContext.Current.CancellationToken);

        await response.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(OrgRole.Admin, await app.Seed.RoleOfAsync(org, admin));
    }

    [Theory, BothDatabases]
    public async Task A_member_of_another_organization_is_not_found_through_yours(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var mine = await app.Seed.OrganizationAsync();
        var theirs = await app.Seed.OrganizationAsync();
        var theirTexter = await app.Seed.MemberAsync(theirs, OrgRole.Texter);

        var change = await mine.Owner.Client.PatchAsJsonAsync(Member(mine, theirTexter), new { role = "Admin" }, TestContext.Current.CancellationToken);
        var remove = await mine.Owner.Client.DeleteAsync(Member(mine, theirTexter), TestContext.Current.CancellationToken);

        await change.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await remove.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(OrgRole.Texter, await app.Seed.RoleOfAsync(theirs, theirTexter));
    }

    [Theory, BothDatabases]
    public async Task The_member_list_shows_only_this_organizations_people(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var mine = await app.Seed.OrganizationAsync();
        var theirs = await app.Seed.OrganizationAsync();
        var texter = await app.Seed.MemberAsync(mine, OrgRole.Texter);
        await app.Seed.MemberAsync(theirs, OrgRole.Texter);

        var members = await (await mine.Owner.Client.GetAsync(new Uri($"/api/v1/orgs/{mine.Slug}/members", UriKind.Relative), TestContext.Current.CancellationToken))
            .ReadAsync<List<ListMembers.Item>>(HttpStatusCode.OK);

        Assert.Equal(new[] { mine.Owner.Id, texter.Id }.Order(), members.Select(m => m.UserId).Order());
        Assert.Equal(2, members.Count);
    }

    [Theory, BothDatabases]
    public async Task Any_member_reads_the_organization_and_their_role(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync("Friends of María");
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);

        var read = await (await texter.Client.GetAsync(new Uri($"/api/v1/orgs/{org.Slug}", UriKind.Relative), TestContext.Current.CancellationToken))
            .ReadAsync<GetOrganization.Response>(HttpStatusCode.OK);

        Assert.Equal("Friends of María", read.Name);
        Assert.Equal("friends-of-maria", read.Slug);
        Assert.Equal(OrgRole.Texter, read.Role);
        Assert.Equal(2, read.Members);
    }

    [Theory, BothDatabases]
    public async Task Organizations_with_the_same_name_get_distinct_slugs(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var user = await app.Seed.UserAsync();

        var first = await (await user.Client.PostAsJsonAsync(new Uri("/api/v1/orgs", UriKind.Relative), new { name = "Vote Yes" }, TestContext.Current.CancellationToken))
            .ReadAsync<CreateOrganization.Response>(HttpStatusCode.Created);
        var second = await (await user.Client.PostAsJsonAsync(new Uri("/api/v1/orgs", UriKind.Relative), new { name = "Vote Yes" }, TestContext.Current.CancellationToken))
            .ReadAsync<CreateOrganization.Response>(HttpStatusCode.Created);

        Assert.Equal("vote-yes", first.Slug);
        Assert.Equal("vote-yes-2", second.Slug);
    }
}
