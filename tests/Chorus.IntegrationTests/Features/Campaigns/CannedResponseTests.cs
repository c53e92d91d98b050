using System.Net;
using System.Net.Http.Json;
using Chorus.Features.Campaigns;
using Chorus.Features.Organizations;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Infrastructure;
using static Chorus.IntegrationTests.Features.Campaigns.CampaignApi;

namespace Chorus.IntegrationTests.Features.Campaigns;

public sealed class CannedResponseTests
{
    [Theory, BothDatabases]
    public async Task A_campaign_lists_its_own_responses_then_the_organizations(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var campaign = await CreateAsync(org);
        var other = await CreateAsync(org, "Other");
        await org.Owner.Client.PostAsJsonAsync(new Uri($"/api/v1/orgs/{org.Slug}/canned-responses", UriKind.Relative), new { title = "Who is this?", text = "It's {texterFirstName} with {orgName}." }, TestContext.Current.CancellationToken);
        await org.Owner.Client.PostAsJsonAsync(CampaignsUri(org, $"/{campaign.Id}/canned-responses"), new { title = "Polling place", text = "Find it at iwillvote.com", tags = new[] { "voting" } }, TestContext.Current.CancellationToken);
        await org.Owner.Client.PostAsJsonAsync(CampaignsUri(org, $"/{other.Id}/canned-responses"), new { title = "Elsewhere", text = "Not for this campaign" }, TestContext.Current.CancellationToken);

        var responses = await (await org.Owner.Client.GetAsync(CampaignsUri(org, $"/{campaign.Id}/canned-responses"), TestContext.Current.CancellationToken))
            .ReadAsync<List<CannedResponses.View>>(HttpStatusCode.OK);

        Assert.Equal(["Polling place", "Who is this?"], responses.Select(r => r.Title));
        Assert.Equal(["voting"], responses[0].Tags);
    }

    [Theory, BothDatabases]
    public async Task A_response_with_an_unknown_merge_field_is_refused(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var campaign = await CreateAsync(org);

        var response = await org.Owner.Client.PostAsJsonAsync(CampaignsUri(org, $"/{campaign.Id}/canned-responses"), new { title = "Bad", text = "Hi {frist}" }, TestContext.Current.CancellationToken);

        await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(0, await app.Seed.CountAsync(db => db.CannedResponses));
    }

    [Theory, BothDatabases]
    public async Task Responses_are_edited_and_deleted_and_texters_may_only_read_them(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var created = await (await org.Owner.Client.PostAsJsonAsync(new Uri($"/api/v1/orgs/{org.Slug}/canned-responses", UriKind.Relative), new { title = "Thanks", text = "Thank you!" }, TestContext.Current.CancellationToken))
            .ReadAsync<CannedResponses.View>(HttpStatusCode.Created);
        var item = new Uri($"/api/v1/orgs/{org.Slug}/canned-responses/{created.Id}", UriKind.Relative);

        var edited = await (await org.Owner.Client.PutAsJsonAsync(item, new { title = "Thanks!", text = "Thank you so much!" }, TestContext.Current.CancellationToken)).ReadAsync<CannedResponses.View>(HttpStatusCode.OK);
        var texterEdit = await texter.Client.PutAsJsonAsync(item, new { title = "x", text = "y" }, TestContext.Current.CancellationToken);
        var texterList = await texter.Client.GetAsync(new Uri($"/api/v1/orgs/{org.Slug}/canned-responses", UriKind.Relative), TestContext.Current.CancellationToken);
        var deleted = await org.Owner.Client.DeleteAsync(item, TestContext.Current.CancellationToken);

        Assert.Equal("Thank you so much!", edited.Text);
        await texterEdit.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await texterList.ShouldHaveStatusAsync(HttpStatusCode.OK);
        await deleted.ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        Assert.Equal(0, await app.Seed.CountAsync(db => db.CannedResponses));
    }
}
