using System.Net;
using System.Net.Http.Json;
using Chorus.Features.Campaigns;
using Chorus.IntegrationTests.Infrastructure;

namespace Chorus.IntegrationTests.Features.Campaigns;

/// <summary>Small helpers so campaign tests state only what matters.</summary>
internal static class CampaignApi
{
    public static Uri CampaignsUri(TestOrg org, string rest = "") => new($"/api/v1/orgs/{org.Slug}/campaigns{rest}", UriKind.Relative);

    public static async Task<CampaignView> CreateAsync(TestOrg org, string title = "GOTV weekend") =>
        await (await org.Owner.Client.PostAsJsonAsync(CampaignsUri(org), new { title }, TestContext.Current.CancellationToken))
            .ReadAsync<CampaignView>(HttpStatusCode.Created);

    public static Task<HttpResponseMessage> PutScriptAsync(TestOrg org, Guid campaignId, object script) =>
        org.Owner.Client.PutAsJsonAsync(CampaignsUri(org, $"/{campaignId}/script"), script, TestContext.Current.CancellationToken);

    public static Task<HttpResponseMessage> PostAsync(TestOrg org, Guid campaignId, string action) =>
        org.Owner.Client.PostAsync(CampaignsUri(org, $"/{campaignId}/{action}"), null, TestContext.Current.CancellationToken);

    /// <summary>A script that passes every launch check for an organization named <paramref name="orgName"/>.</summary>
    public static object ValidScript(string orgName = "{orgName}") => new
    {
        initialMessage = $"Hi {{firstName|there}}, it's {{texterFirstName}} with {orgName}. Can we count on your vote Tuesday?",
        question = new
        {
            text = "Will they vote?",
            answers = new object[]
            {
                new { value = "Yes", message = "Wonderful, thank you!", question = (object?)null },
                new { value = "No", message = "Thanks for letting us know.", question = (object?)null },
            },
        },
    };
}
