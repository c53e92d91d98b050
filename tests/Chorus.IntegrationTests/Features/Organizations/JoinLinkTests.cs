using System.Net;
using System.Net.Http.Json;
using Chorus.Features.Organizations;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Chorus.IntegrationTests.Features.Organizations;

public sealed class JoinLinkTests
{
    private static Uri Links(TestOrg org) => new($"/api/v1/orgs/{org.Slug}/join-links", UriKind.Relative);

    private static Uri Join(string code) => new($"/api/v1/join/{code}", UriKind.Relative);

    private static async Task<CreateJoinLink.Response> CreateLinkAsync(TestOrg org, object? body = null) =>
        await (await org.Owner.Client.PostAsJsonAsync(Links(org), body ?? new { }, TestContext.Current.CancellationToken))
            .ReadAsync<CreateJoinLink.Response>(HttpStatusCode.Created);


    [Theory, BothDatabases]
    public async Task Whoever_opens_a_link_joins_the_organization_as_a_texter_by_default(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var volunteer = await app.Seed.UserAsync();
        var link = await CreateLinkAsync(org);

        var joined = await (await volunteer.Client.PostAsync(Join(link.Code), null, TestContext.Current.CancellationToken))
            .ReadAsync<AcceptJoinLink.Response>(HttpStatusCode.OK);

        Assert.Equal(OrgRole.Texter, link.Role);
        Assert.EndsWith($"/join/{link.Code}", link.Url, StringComparison.Ordinal);
        Assert.Equal(org.Slug, joined.Slug);
        Assert.Equal(OrgRole.Texter, await app.Seed.RoleOfAsync(org, volunteer));
    }

    [Theory, BothDatabases]
    public async Task A_link_describes_what_it_offers_before_anyone_joins_and_an_unknown_code_is_not_found(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync("Riverside Dems");
        var volunteer = await app.Seed.UserAsync();
        var link = await CreateLinkAsync(org, new { role = "Supervisor" });

        var described = await (await volunteer.Client.GetAsync(Join(link.Code), TestContext.Current.CancellationToken))
            .ReadAsync<AcceptJoinLink.LinkInfo>(HttpStatusCode.OK);
        var unknown = await volunteer.Client.GetAsync(Join("no-such-code"), TestContext.Current.CancellationToken);

        Assert.Equal(new AcceptJoinLink.LinkInfo("Riverside Dems", org.Slug, OrgRole.Supervisor, null), described);
        Assert.Null(await app.Seed.RoleOfAsync(org, volunteer));
        await unknown.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory, BothDatabases]
    public async Task An_expired_link_is_refused_and_adds_no_one(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var volunteer = await app.Seed.UserAsync();
        var link = await CreateLinkAsync(org, new { expiresUtc = app.Clock.GetUtcNow().UtcDateTime.AddHours(1) });
        app.Clock.Advance(TimeSpan.FromHours(1));

        var response = await volunteer.Client.PostAsync(Join(link.Code), null, TestContext.Current.CancellationToken);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("expired", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Null(await app.Seed.RoleOfAsync(org, volunteer));
    }

    [Theory, BothDatabases]
    public async Task A_link_stops_working_when_its_uses_run_out(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var first = await app.Seed.UserAsync();
        var second = await app.Seed.UserAsync();
        var link = await CreateLinkAsync(org, new { maxUses = 1 });

        var accepted = await first.Client.PostAsync(Join(link.Code), null, TestContext.Current.CancellationToken);
        var refused = await second.Client.PostAsync(Join(link.Code), null, TestContext.Current.CancellationToken);

        await accepted.ShouldHaveStatusAsync(HttpStatusCode.OK);
        await refused.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Null(await app.Seed.RoleOfAsync(org, second));
    }

    [Theory, BothDatabases]
    public async Task Concurrent_joins_never_exceed_the_use_limit(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var volunteers = new List<TestUser>();
        for (var i = 0; i < 8; i++)
        {
            volunteers.Add(await app.Seed.UserAsync());
        }

        var link = await CreateLinkAsync(org, new { maxUses = 3 });

        var responses = await Task.WhenAll(volunteers.Select(v => v.Client.PostAsync(Join(link.Code), null, TestContext.Current.CancellationToken)));

        Assert.Equal(3, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(4, await app.Seed.CountAsync(db => db.Memberships.IgnoreQueryFilters().Where(m => m.OrganizationId == org.Id)));
        Assert.Equal(3, await app.WithDbAsync(db => db.JoinLinks.IgnoreQueryFilters().Where(l => l.Id == link.Id).Select(l => l.Uses).SingleAsync()));
    }

    [Theory, BothDatabases]
    public async Task A_revoked_link_is_refused(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var volunteer = await app.Seed.UserAsync();
        var link = await CreateLinkAsync(org);

        var revoked = await org.Owner.Client.DeleteAsync(new Uri($"{Links(org)}/{link.Id}", UriKind.Relative), TestContext.Current.CancellationToken);
        var response = await volunteer.Client.PostAsync(Join(link.Code), null, TestContext.Current.CancellationToken);

        await revoked.ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        await response.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Null(await app.Seed.RoleOfAsync(org, volunteer));
    }

    [Theory, BothDatabases]
    public async Task Joining_again_never_changes_an_existing_members_role(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var link = await CreateLinkAsync(org);

        var joined = await (await org.Owner.Client.PostAsync(Join(link.Code), null, TestContext.Current.CancellationToken))
            .ReadAsync<AcceptJoinLink.Response>(HttpStatusCode.OK);

        Assert.True(joined.AlreadyMember);
        Assert.Equal(OrgRole.Owner, await app.Seed.RoleOfAsync(org, org.Owner));
    }

    [Theory, BothDatabases]
    public async Task An_unknown_code_answers_404(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var volunteer = await app.Seed.UserAsync();

        var response = await volunteer.Client.PostAsync(Join("no-such-code"), null, TestContext.Current.CancellationToken);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory, BothDatabases]
    public async Task Another_organizations_link_cannot_be_revoked_through_your_own_organization(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var victim = await app.Seed.OrganizationAsync();
        var attacker = await app.Seed.OrganizationAsync();
        var link = await CreateLinkAsync(victim);

        var response = await attacker.Owner.Client.DeleteAsync(new Uri($"{Links(attacker)}/{link.Id}", UriKind.Relative), TestContext.Current.CancellationToken);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.Null(await app.WithDbAsync(db => db.JoinLinks.IgnoreQueryFilters().Where(l => l.Id == link.Id).Select(l => l.RevokedUtc).SingleAsync()));
    }

    [Theory, BothDatabases]
    public async Task An_admin_cannot_create_a_link_that_makes_owners_and_bad_limits_are_refused(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var admin = await app.Seed.MemberAsync(org, OrgRole.Admin);

        var owner = await admin.Client.PostAsJsonAsync(Links(org), new { role = "Owner" }, TestContext.Current.CancellationToken);
        var zeroUses = await admin.Client.PostAsJsonAsync(Links(org), new { maxUses = 0 }, TestContext.Current.CancellationToken);
        var past = await admin.Client.PostAsJsonAsync(Links(org), new { expiresUtc = app.Clock.GetUtcNow().UtcDateTime.AddMinutes(-1) }, TestContext.Current.CancellationToken);

        await owner.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await zeroUses.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await past.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(0, await app.Seed.CountAsync(db => db.JoinLinks.IgnoreQueryFilters().Where(l => l.OrganizationId == org.Id)));
    }
}
