using System.Net;
using System.Net.Http.Json;
using System.Text;
using Chorus.Features.Analytics.Exports;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Chorus.IntegrationTests.Features.Analytics;

/// <summary>Starting exports over the API, waiting for them, downloading and reading their CSV.</summary>
internal static class ExportKit
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    /// <summary>The app with its export files in a throwaway folder; <paramref name="runWorker"/> false leaves exports to the test.</summary>
    public static Task<ChorusApp> StartAsync(DatabaseProvider provider, bool runWorker = true)
    {
        var folder = Directory.CreateTempSubdirectory("chorus-exports-").FullName;
        return ChorusApp.StartAsync(provider, services => services.Configure<ExportsOptions>(o =>
        {
            o.Directory = folder;
            o.RunWorker = runWorker;
        }));
    }

    public static Uri Url(TestOrg org, string rest = "") => new($"/api/v1/orgs/{org.Slug}/exports{rest}", UriKind.Relative);

    public static Task<HttpResponseMessage> RequestAsync(HttpClient client, TestOrg org, string kind, Guid? campaignId = null) =>
        client.PostAsJsonAsync(Url(org), new { kind, campaignId }, Ct);

    public static async Task<Guid> StartExportAsync(TestOrg org, string kind, Guid? campaignId = null) =>
        (await (await RequestAsync(org.Owner.Client, org, kind, campaignId)).ReadAsync<StartExport.Response>(HttpStatusCode.Accepted)).Id;

    public static async Task<GetExport.Response> WaitForAsync(TestOrg org, Guid exportId)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        timeout.CancelAfter(TimeSpan.FromSeconds(60));
        while (true)
        {
            var export = await (await org.Owner.Client.GetAsync(Url(org, $"/{exportId}"), timeout.Token)).ReadAsync<GetExport.Response>(HttpStatusCode.OK);
            if (!GetExport.IsActive(export.Status))
            {
                return export;
            }

            await Task.Delay(50, timeout.Token);
        }
    }

    /// <summary>Requests an export, waits for it and downloads it: the file's text (BOM kept) and the export.</summary>
    public static async Task<(string Text, GetExport.Response Export)> ExportAsync(TestOrg org, string kind, Guid? campaignId = null)
    {
        var id = await StartExportAsync(org, kind, campaignId);
        var export = await WaitForAsync(org, id);
        Assert.Equal("completed", export.Status);
        return (await DownloadAsync(org.Owner.Client, export.DownloadUrl!), export);
    }

    public static async Task<string> DownloadAsync(HttpClient client, string url)
    {
        var response = await client.GetAsync(new Uri(url, UriKind.Relative), Ct);
        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        return Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync(Ct));
    }

    public static Task<int> SaveAsync(ChorusApp app, params object[] entities) => app.WithDbAsync(db =>
    {
        db.AddRange(entities);
        return db.SaveChangesAsync(Ct);
    });

    public static IServiceScopeFactory Scopes(ChorusApp app) => app.Services.GetRequiredService<IServiceScopeFactory>();

    /// <summary>The records of an RFC 4180 text (quoted cells may hold commas, quotes and line breaks), BOM removed.</summary>
    public static List<List<string>> Parse(string text)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var cell = new StringBuilder();
        var quoted = false;
        for (var i = text.StartsWith('\uFEFF') ? 1 : 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    cell.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    cell.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(cell.ToString());
                cell.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                row.Add(cell.ToString());
                cell.Clear();
                rows.Add(row);
                row = [];
                i++;
            }
            else
            {
                cell.Append(c);
            }
        }

        Assert.Empty(cell.ToString());
        Assert.Empty(row);
        return rows;
    }
}
