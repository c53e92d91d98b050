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
        Assert.Contains("+12124567890,\"manual\",\"'=cmd", csv, StringComparison.Ordinal);
    }

    private static async Task<OptOutList.ImportResult> ImportAsync(TestOrg org, string csv)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "stops.csv");
        return await (await org.Owner.Client.PostAsync(OptOuts(org, "/import"), form, TestContext.Current.CancellationToken)).ReadAsync<OptOutList.ImportResult>(HttpStatusCode.OK);
    }

    private static async Task<List<OptOutList.Item>> ListAsync(TestOrg org) =>
        (await (await org.Owner.Client.GetAsync(OptOuts(org, "?pageSize=500"), TestContext.Current.CancellationToken)).ReadAsync<OptOutList.Page>(HttpStatusCode.OK)).Items;

    [Theory, BothDatabases]
    public async Task An_imported_list_adds_new_numbers_and_counts_the_rest(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        await org.Owner.Client.PostAsJsonAsync(OptOuts(org), new { phone = "2124567890" }, TestContext.Current.CancellationToken);

        var result = await ImportAsync(org, "phone,date,source\n212-456-7890,2024-01-01,vendor\n(415) 456-1234,2024-03-15,spoke\nnot a phone,,\n415.456.1234,,\n(646) 456-1111,,\n");

        Assert.Equal(new OptOutList.ImportResult(5, 2, 2, 1, 0), result);
        Assert.Equal(
            [
                ("+12124567890", "manual", ChorusApp.Start.UtcDateTime), // already on the list: keeps what it had
                ("+14154561234", "spoke", new DateTime(2024, 3, 15, 0, 0, 0, DateTimeKind.Utc)),
                ("+16464561111", "import", ChorusApp.Start.UtcDateTime), // no date or source in the file
            ],
            (await ListAsync(org)).Select(o => (o.Phone, o.Source, o.CreatedUtc)).OrderBy(o => o.Phone, StringComparer.Ordinal));
    }

    [Theory, BothDatabases]
    public async Task An_imported_date_is_read_in_iso_8601_or_us_form_and_one_unreadable_or_in_the_future_is_counted_and_replaced_by_the_import_time(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var now = ChorusApp.Start.UtcDateTime;

        var result = await ImportAsync(org, """
            Cell Phone,Opted Out At,Reason
            (212) 456-1001,2025-06-01T13:45:00-04:00,texted STOP
            (212) 456-1002,3/7/2024,
            (212) 456-1003,7 March,
            (212) 456-1004,2030-01-01,asked twice
            """);

        Assert.Equal(new OptOutList.ImportResult(4, 4, 0, 0, 2), result);
        Assert.Equal(
            [
                ("+12124561001", new DateTime(2025, 6, 1, 17, 45, 0, DateTimeKind.Utc), "texted STOP"),
                ("+12124561002", new DateTime(2024, 3, 7, 0, 0, 0, DateTimeKind.Utc), null),
                ("+12124561003", now, null),
                ("+12124561004", now, "asked twice"),
            ],
            (await ListAsync(org)).Select(o => (o.Phone, o.CreatedUtc, o.Reason)).OrderBy(o => o.Phone, StringComparer.Ordinal));
    }

    [Theory, BothDatabases]
    public async Task An_exported_list_imported_into_another_organization_keeps_every_number_date_source_and_reason(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var from = await app.Seed.OrganizationAsync();
        var to = await app.Seed.OrganizationAsync();
        await from.Owner.Client.PostAsJsonAsync(OptOuts(from), new { phone = "2124567890", reason = "asked on the phone, politely" }, TestContext.Current.CancellationToken);
        await ImportAsync(from, "phone,created_at,source,reason\n(415) 456-1234,2024-03-15T08:30:15.5Z,\"spoke, 2024\",\"said \"\"stop\"\"\"\n");
        var csv = await from.Owner.Client.GetStringAsync(OptOuts(from, "?format=csv"), TestContext.Current.CancellationToken);
        app.Clock.Advance(TimeSpan.FromDays(1)); // so a date the import did not read would show

        var result = await ImportAsync(to, csv);

        Assert.Equal(new OptOutList.ImportResult(2, 2, 0, 0, 0), result);
        var original = await ListAsync(from);
        Assert.Equal(
            [
                new OptOutList.Item("+14154561234", "spoke, 2024", "said \"stop\"", new DateTime(2024, 3, 15, 8, 30, 15, 500, DateTimeKind.Utc)),
                new OptOutList.Item("+12124567890", "manual", "asked on the phone, politely", ChorusApp.Start.UtcDateTime),
            ],
            original);
        Assert.Equal(original, await ListAsync(to));
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
