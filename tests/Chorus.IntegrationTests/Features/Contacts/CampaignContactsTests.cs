using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Chorus.Features.Campaigns;
using Chorus.Features.Contacts;
using Chorus.Features.Contacts.Uploads;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Infrastructure;

namespace Chorus.IntegrationTests.Features.Contacts;

/// <summary>What a campaign's contacts change for its script: launch checks and previews on a real contact.</summary>
public sealed class CampaignContactsTests
{
    private const string File = """
        first_name,last,phone,zip,Polling Place
        Ana,Rivera,2124567890,10001,PS 41
        ,Nobody,2124567891,10002,
        """;

    private static async Task<(TestOrg Org, Guid CampaignId)> CampaignWithContactsAsync(ChorusApp app)
    {
        var org = await app.Seed.OrganizationAsync("Vote Yes");
        var campaign = await (await org.Owner.Client.PostAsJsonAsync(new Uri($"/api/v1/orgs/{org.Slug}/campaigns", UriKind.Relative), new { title = "GOTV" }, TestContext.Current.CancellationToken))
            .ReadAsync<CampaignView>(HttpStatusCode.Created);
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(File));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "list.csv");
        var accepted = await (await org.Owner.Client.PostAsync(new Uri($"/api/v1/orgs/{org.Slug}/campaigns/{campaign.Id}/imports", UriKind.Relative), form, TestContext.Current.CancellationToken))
            .ReadAsync<StartContactImport.Response>(HttpStatusCode.Accepted);
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (waited.Elapsed < TimeSpan.FromSeconds(30))
        {
            var status = await (await org.Owner.Client.GetAsync(new Uri($"/api/v1/orgs/{org.Slug}/imports/{accepted.Id}", UriKind.Relative), TestContext.Current.CancellationToken))
                .ReadAsync<GetContactImport.Response>(HttpStatusCode.OK);
            if (status.Status == "completed")
            {
                break;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }

        return (org, campaign.Id);
    }

    [Theory, BothDatabases]
    public async Task Launch_names_the_contacts_a_merge_field_without_fallback_would_leave_blank(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var (org, campaignId) = await CampaignWithContactsAsync(app);
        var script = new Uri($"/api/v1/orgs/{org.Slug}/campaigns/{campaignId}/script", UriKind.Relative);
        var launch = new Uri($"/api/v1/orgs/{org.Slug}/campaigns/{campaignId}/launch", UriKind.Relative);

        await org.Owner.Client.PutAsJsonAsync(script, new { initialMessage = "Hi {firstName}, it's {orgName}. Vote at {pollingPlace}!" }, TestContext.Current.CancellationToken);
        var refused = await org.Owner.Client.PostAsync(launch, null, TestContext.Current.CancellationToken);
        await org.Owner.Client.PutAsJsonAsync(script, new { initialMessage = "Hi {firstName|there}, it's {orgName}.{?pollingPlace} Vote at {pollingPlace}!{/pollingPlace}" }, TestContext.Current.CancellationToken);
        var launched = await org.Owner.Client.PostAsync(launch, null, TestContext.Current.CancellationToken);

        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        var messages = problem.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("message").GetString()!).ToList();
        Assert.Contains(messages, m => m.StartsWith("1 contact(s) have no {firstName}", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.StartsWith("1 contact(s) have no {pollingPlace}", StringComparison.Ordinal));
        await launched.ShouldHaveStatusAsync(HttpStatusCode.OK);
    }

    [Theory, BothDatabases]
    public async Task A_preview_on_a_real_contact_renders_its_values(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var (org, campaignId) = await CampaignWithContactsAsync(app);
        var contacts = await (await org.Owner.Client.GetAsync(new Uri($"/api/v1/orgs/{org.Slug}/campaigns/{campaignId}/contacts", UriKind.Relative), TestContext.Current.CancellationToken))
            .ReadAsync<ListContacts.Response>(HttpStatusCode.OK);
        var ana = contacts.Items.Single(c => c.FirstName == "Ana");

        var preview = await (await org.Owner.Client.PostAsJsonAsync(new Uri($"/api/v1/orgs/{org.Slug}/messages/preview", UriKind.Relative),
            new { template = "Hi {firstName}, vote at {pollingPlace}. {orgName}", contactId = ana.Id }, TestContext.Current.CancellationToken))
            .ReadAsync<PreviewMessage.Response>(HttpStatusCode.OK);
        var foreign = await (await app.Seed.OrganizationAsync()).Owner.Client.PostAsJsonAsync(new Uri($"/api/v1/orgs/{org.Slug}/messages/preview", UriKind.Relative),
            new { template = "Hi {firstName}", contactId = ana.Id }, TestContext.Current.CancellationToken);

        Assert.StartsWith("Hi Ana, vote at PS 41. Vote Yes", preview.Text, StringComparison.Ordinal);
        await foreign.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }
}
