using System.Net;
using System.Net.Http.Json;
using Chorus.Features.Audit;
using Chorus.Features.Organizations;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Chorus.IntegrationTests.Features.Audit;

public sealed class AuditLogTests
{
    private static Uri Audit(TestOrg org, string query = "") => new($"/api/v1/orgs/{org.Slug}/audit{query}", UriKind.Relative);

    private static Uri Verify(TestOrg org) => new($"/api/v1/orgs/{org.Slug}/audit/verify", UriKind.Relative);

    [Theory, BothDatabases]
    public async Task Membership_join_link_and_token_changes_are_on_the_record(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var link = await (await org.Owner.Client.PostAsJsonAsync(new Uri($"/api/v1/orgs/{org.Slug}/join-links", UriKind.Relative), new { }, TestContext.Current.CancellationToken))
            .ReadAsync<CreateJoinLink.Response>(HttpStatusCode.Created);
        await org.Owner.Client.PatchAsJsonAsync(new Uri($"/api/v1/orgs/{org.Slug}/members/{texter.Id}", UriKind.Relative), new { role = "Supervisor" }, TestContext.Current.CancellationToken);
        await org.Owner.Client.PostAsJsonAsync(new Uri("/api/v1/me/tokens", UriKind.Relative), new { name = "ci" }, TestContext.Current.CancellationToken);
        await org.Owner.Client.PatchAsJsonAsync(new Uri($"/api/v1/orgs/{org.Slug}", UriKind.Relative), new { name = "Renamed" }, TestContext.Current.CancellationToken);
        await org.Owner.Client.DeleteAsync(new Uri($"/api/v1/orgs/{org.Slug}/join-links/{link.Id}", UriKind.Relative), TestContext.Current.CancellationToken);

        var log = await (await org.Owner.Client.GetAsync(Audit(org, "?pageSize=100"), TestContext.Current.CancellationToken))
            .ReadAsync<ListAuditEvents.Response>(HttpStatusCode.OK);

        var actions = log.Items.Select(e => e.Action).ToHashSet();
        Assert.Superset(new HashSet<string> { "organization.created", "join_link.created", "member.role_changed", "token.created", "organization.settings_changed", "join_link.revoked" }, actions);
        var roleChange = log.Items.Single(e => e.Action == "member.role_changed");
        Assert.Equal(org.Owner.Id, roleChange.ActorUserId);
        Assert.Equal($"user:{texter.Id}", roleChange.Subject);
        Assert.Contains("Supervisor", roleChange.Data, StringComparison.Ordinal);
        Assert.Equal(Enumerable.Range(1, log.Total).Select(i => (long)i).Reverse(), log.Items.Select(e => e.Sequence));
    }

    [Theory, BothDatabases]
    public async Task The_log_filters_by_action_prefix_and_time_and_pages(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var links = new Uri($"/api/v1/orgs/{org.Slug}/join-links", UriKind.Relative);
        await org.Owner.Client.PostAsJsonAsync(links, new { }, TestContext.Current.CancellationToken);
        app.Clock.Advance(TimeSpan.FromHours(1));
        var later = app.Clock.GetUtcNow().UtcDateTime;
        await org.Owner.Client.PostAsJsonAsync(links, new { }, TestContext.Current.CancellationToken);
        await org.Owner.Client.PostAsJsonAsync(links, new { }, TestContext.Current.CancellationToken);

        var byAction = await (await org.Owner.Client.GetAsync(Audit(org, "?action=join_link"), TestContext.Current.CancellationToken)).ReadAsync<ListAuditEvents.Response>(HttpStatusCode.OK);
        var byTime = await (await org.Owner.Client.GetAsync(Audit(org, $"?fromUtc={later:O}"), TestContext.Current.CancellationToken)).ReadAsync<ListAuditEvents.Response>(HttpStatusCode.OK);
        var page = await (await org.Owner.Client.GetAsync(Audit(org, "?action=join_link&page=2&pageSize=2"), TestContext.Current.CancellationToken)).ReadAsync<ListAuditEvents.Response>(HttpStatusCode.OK);

        Assert.Equal(3, byAction.Total);
        Assert.All(byAction.Items, e => Assert.Equal("join_link.created", e.Action));
        Assert.Equal(2, byTime.Total);
        Assert.Single(page.Items);
    }

    [Theory, BothDatabases]
    public async Task An_untouched_chain_verifies(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        for (var i = 0; i < 5; i++)
        {
            await app.Seed.MemberAsync(org, OrgRole.Texter);
            await org.Owner.Client.PostAsJsonAsync(new Uri($"/api/v1/orgs/{org.Slug}/join-links", UriKind.Relative), new { }, TestContext.Current.CancellationToken);
        }

        var result = await (await org.Owner.Client.GetAsync(Verify(org), TestContext.Current.CancellationToken)).ReadAsync<VerifyAuditChain.Response>(HttpStatusCode.OK);

        Assert.True(result.Ok);
        Assert.Equal(6, result.Checked);
        Assert.Null(result.FirstBrokenId);
    }

    [Theory, BothDatabases]
    public async Task Editing_a_stored_row_behind_the_apps_back_is_reported_as_the_first_broken_entry(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        for (var i = 0; i < 3; i++)
        {
            await org.Owner.Client.PostAsJsonAsync(new Uri($"/api/v1/orgs/{org.Slug}/join-links", UriKind.Relative), new { role = "Texter" }, TestContext.Current.CancellationToken);
        }

        var second = await app.WithDbAsync(db => db.AuditEvents.IgnoreQueryFilters().SingleAsync(e => e.OrganizationId == org.Id && e.Sequence == 2));
        await app.WithDbAsync(db => db.Database.ExecuteSqlAsync($"UPDATE \"AuditEvents\" SET \"Data\" = '{{\"role\":\"Owner\"}}' WHERE \"Id\" = {second.Id}"));

        var result = await (await org.Owner.Client.GetAsync(Verify(org), TestContext.Current.CancellationToken)).ReadAsync<VerifyAuditChain.Response>(HttpStatusCode.OK);

        Assert.False(result.Ok);
        Assert.Equal(second.Id, result.FirstBrokenId);
    }

    [Theory, BothDatabases]
    public async Task Deleting_a_stored_row_breaks_the_chain_at_the_next_entry(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        for (var i = 0; i < 3; i++)
        {
            await org.Owner.Client.PostAsJsonAsync(new Uri($"/api/v1/orgs/{org.Slug}/join-links", UriKind.Relative), new { }, TestContext.Current.CancellationToken);
        }

        var (second, third) = await app.WithDbAsync(async db =>
        {
            var rows = await db.AuditEvents.IgnoreQueryFilters().Where(e => e.OrganizationId == org.Id).OrderBy(e => e.Sequence).ToListAsync();
            return (rows[1].Id, rows[2].Id);
        });
        await app.WithDbAsync(db => db.Database.ExecuteSqlAsync($"DELETE FROM \"AuditEvents\" WHERE \"Id\" = {second}"));

        var result = await (await org.Owner.Client.GetAsync(Verify(org), TestContext.Current.CancellationToken)).ReadAsync<VerifyAuditChain.Response>(HttpStatusCode.OK);

        Assert.False(result.Ok);
        Assert.Equal(third, result.FirstBrokenId);
    }

    [Theory, BothDatabases]
    public async Task The_app_refuses_to_change_or_delete_a_stored_entry(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();

        var error = await Record.ExceptionAsync(() => app.WithDbAsync(async db =>
        {
            var entry = await db.AuditEvents.IgnoreQueryFilters().FirstAsync(e => e.OrganizationId == org.Id);
            db.AuditEvents.Remove(entry);
            return await db.SaveChangesAsync();
        }));

        Assert.IsType<InvalidOperationException>(error);
        Assert.Equal(1, await app.Seed.CountAsync(db => db.AuditEvents.IgnoreQueryFilters().Where(e => e.OrganizationId == org.Id)));
    }

    [Theory, BothDatabases]
    public async Task Concurrent_changes_in_one_organization_still_form_one_unbroken_chain(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var links = new Uri($"/api/v1/orgs/{org.Slug}/join-links", UriKind.Relative);

        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => org.Owner.Client.PostAsJsonAsync(links, new { }, TestContext.Current.CancellationToken)));
        var result = await (await org.Owner.Client.GetAsync(Verify(org), TestContext.Current.CancellationToken)).ReadAsync<VerifyAuditChain.Response>(HttpStatusCode.OK);

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        Assert.True(result.Ok);
        Assert.Equal(13, result.Checked);
    }

    [Theory, BothDatabases]
    public async Task Each_organization_has_its_own_chain(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var first = await app.Seed.OrganizationAsync();
        var second = await app.Seed.OrganizationAsync();

        var firstLog = await (await first.Owner.Client.GetAsync(Audit(first), TestContext.Current.CancellationToken)).ReadAsync<ListAuditEvents.Response>(HttpStatusCode.OK);
        var secondLog = await (await second.Owner.Client.GetAsync(Audit(second), TestContext.Current.CancellationToken)).ReadAsync<ListAuditEvents.Response>(HttpStatusCode.OK);

        Assert.Equal(1, firstLog.Total);
        Assert.Equal(1, secondLog.Total);
        Assert.Equal(1, firstLog.Items[0].Sequence);
        Assert.Equal(1, secondLog.Items[0].Sequence);
        Assert.DoesNotContain(second.Slug, firstLog.Items[0].Data, StringComparison.Ordinal);
    }
}
