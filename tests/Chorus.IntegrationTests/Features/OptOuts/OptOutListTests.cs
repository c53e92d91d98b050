using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Chorus.Features.OptOuts;
using Chorus.Features.Organizations;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Chorus.IntegrationTests.Features.OptOuts;

public sealed class OptOutListTests
{
    private static Uri OptOuts(TestOrg org, string rest = "") => new($"/api/v1/orgs/{org.Slug}/opt-outs{rest}", UriKind.Relative);

    [Theory, BothDatabases]
    public async Task A_number_added_in_any_format_is_listed_once_in_e164_and_exported_as_csv(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();

        await (await org.Owner.Client.PostAsJsonAsync(OptOuts(org), new { phone = "(212) 456-7890", reason = "=cmd|' /C calc'!A0" }, TestContext.Current.CancellationToken)).ShouldHaveStatusAsync(HttpStatusCode.Created);
        await (await org.Owner.Client.PostAsJsonAsync(OptOuts(org), new { phone = "+1 212 456 7890" }, TestContext.Current.CancellationToken)).ShouldHaveStatusAsync(HttpStatusCode.Created);
        var page = await (await org.Owner.Client.GetAsync(OptOuts(org), TestContext.Current.CancellationToken)).ReadAsync<OptOutList.Page>(HttpStatusCode.OK);
        var csv = await org.Owner.Client.GetStringAsync(OptOuts(org, "?format=csv"), TestContext.Current.CancellationToken);

        Assert.Equal("+12124567890", Assert.Single(page.Items).Phone);
        Assert.Contains("+12124567890,manual,\"'=cmd", csv, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task An_imported_list_adds_new_numbers_and_counts_the_rest(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        await org.Owner.Client.PostAsJsonAsync(OptOuts(org), new { phone = "2124567890" }, TestContext.Current.CancellationToken);
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes("phone,date,source\n212-456-7890,2024-01-01,vendor\n(415) 456-1234,,\nnot a phone,,\n415.456.1234,,\n"));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "stops.csv");

        var result = await (await org.Owner.Client.PostAsync(OptOuts(org, "/import"), form, TestContext.Current.CancellationToken)).ReadAsync<OptOutList.ImportResult>(HttpStatusCode.OK);

        Assert.Equal(new OptOutList.ImportResult(4, 1, 2, 1), result);
        Assert.Equal(2, await app.Seed.CountAsync(db => db.OptOuts.IgnoreQueryFilters().Where(o => o.OrganizationId == org.Id)));
    }

    [Theory, BothDatabases]
    public async Task Only_an_admin_can_remove_an_opt_out_and_the_removal_is_on_the_record(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var supervisor = await app.Seed.MemberAsync(org, OrgRole.Supervisor);
        await supervisor.Client.PostAsJsonAsync(OptOuts(org), new { phone = "2124567890", reason = "asked on the phone" }, TestContext.Current.CancellationToken);

        var bySupervisor = await supervisor.Client.DeleteAsync(OptOuts(org, "/%2B12124567890"), TestContext.Current.CancellationToken);
        var byAdmin = await org.Owner.Client.DeleteAsync(OptOuts(org, "/%2B12124567890"), TestContext.Current.CancellationToken);

        await bySupervisor.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await byAdmin.ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        var actions = await app.WithDbAsync(db => db.AuditEvents.IgnoreQueryFilters().Where(e => e.OrganizationId == org.Id).Select(e => e.Action).ToListAsync());
        Assert.Contains("opt_out.added", actions);
        Assert.Contains("opt_out.removed", actions);
    }

    [Theory, BothDatabases]
    public async Task Opt_outs_are_per_organization(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var mine = await app.Seed.OrganizationAsync();
        var theirs = await app.Seed.OrganizationAsync();
        await theirs.Owner.Client.PostAsJsonAsync(OptOuts(theirs), new { phone = "2124567890" }, TestContext.Current.CancellationToken);

        var myList = await (await mine.Owner.Client.GetAsync(OptOuts(mine), TestContext.Current.CancellationToken)).ReadAsync<OptOutList.Page>(HttpStatusCode.OK);
        var removeTheirs = await mine.Owner.Client.DeleteAsync(OptOuts(mine, "/%2B12124567890"), TestContext.Current.CancellationToken);

        Assert.Empty(myList.Items);
        await removeTheirs.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(1, await app.Seed.CountAsync(db => db.OptOuts.IgnoreQueryFilters()));
    }

    [Theory, BothDatabases]
    public async Task A_number_we_would_never_text_still_goes_on_the_list_in_e164(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();

        var fictional = await (await org.Owner.Client.PostAsJsonAsync(OptOuts(org), new { phone = "(312) 555-0142" }, TestContext.Current.CancellationToken))
            .ReadAsync<OptOutList.Item>(HttpStatusCode.Created);
        var nonsense = await org.Owner.Client.PostAsJsonAsync(OptOuts(org), new { phone = "call me" }, TestContext.Current.CancellationToken);

        Assert.Equal("+13125550142", fictional.Phone);
        await nonsense.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }
}
