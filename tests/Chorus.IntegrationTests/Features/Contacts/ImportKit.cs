using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Chorus.Features.Contacts.Uploads;
using Chorus.IntegrationTests.Infrastructure;

namespace Chorus.IntegrationTests.Features.Contacts;

/// <summary>Uploads through the API, as a campaign's staff do, and waits for the import to end.</summary>
internal static class ImportKit
{
    public static async Task<HttpResponseMessage> UploadAsync(TestOrg org, Guid campaignId, string csv, string? mapping = null, HttpClient? client = null)
    {
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "voters.csv");
        if (mapping is not null)
        {
            form.Add(new StringContent(mapping), "mapping");
        }

        return await (client ?? org.Owner.Client).PostAsync(new Uri($"/api/v1/orgs/{org.Slug}/campaigns/{campaignId}/imports", UriKind.Relative), form, TestContext.Current.CancellationToken);
    }

    public static async Task<GetContactImport.Response> WaitForAsync(TestOrg org, Guid importId)
    {
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (true)
        {
            var status = await (await org.Owner.Client.GetAsync(new Uri($"/api/v1/orgs/{org.Slug}/imports/{importId}", UriKind.Relative), TestContext.Current.CancellationToken))
                .ReadAsync<GetContactImport.Response>(HttpStatusCode.OK);
            if (status.Status is "completed" or "failed" || waited.Elapsed > TimeSpan.FromSeconds(60))
            {
                return status;
            }

            await Task.Delay(50, TestContext.Current.CancellationToken);
        }
    }

    /// <summary>Uploads <paramref name="csv"/> and returns how its import ended.</summary>
    public static async Task<GetContactImport.Response> ImportAsync(TestOrg org, Guid campaignId, string csv)
    {
        var accepted = await (await UploadAsync(org, campaignId, csv)).ReadAsync<StartContactImport.Response>(HttpStatusCode.Accepted);
        return await WaitForAsync(org, accepted.Id);
    }
}
