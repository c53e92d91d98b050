using System.Net;
using System.Text.Json;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Infrastructure;

namespace Chorus.IntegrationTests.Platform;

public sealed class PlatformEndpointTests
{
    [Theory, BothDatabases]
    public async Task Health_answers_healthy_when_the_database_is_reachable(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);

        var response = await app.CreateClient().GetAsync(new Uri("/healthz", UriKind.Relative), TestContext.Current.CancellationToken);

        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Metrics_are_served_in_prometheus_text_format_with_request_durations()
    {
        await using var app = await ChorusApp.StartAsync(DatabaseProvider.Sqlite);
        var client = app.CreateClient();
        await client.GetAsync(new Uri("/healthz", UriKind.Relative), TestContext.Current.CancellationToken);

        var metrics = await client.GetStringAsync(new Uri("/metrics", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Contains("http_server_request_duration_seconds", metrics, StringComparison.Ordinal);
        Assert.Contains("# TYPE", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_include_the_runtimes_memory_so_an_operator_can_watch_a_large_upload()
    {
        await using var app = await ChorusApp.StartAsync(DatabaseProvider.Sqlite);

        var metrics = await app.CreateClient().GetStringAsync(new Uri("/metrics", UriKind.Relative), TestContext.Current.CancellationToken);

        Assert.Contains("dotnet_process_memory_working_set_bytes", metrics, StringComparison.Ordinal);
        Assert.Contains("dotnet_gc_heap_total_allocated_bytes", metrics, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_document_lists_the_api_and_its_bearer_scheme()
    {
        await using var app = await ChorusApp.StartAsync(DatabaseProvider.Sqlite);

        var json = await app.CreateClient().GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), TestContext.Current.CancellationToken);

        using var document = JsonDocument.Parse(json);
        var paths = document.RootElement.GetProperty("paths");
        Assert.True(paths.TryGetProperty("/api/v1/me", out _));
        Assert.True(paths.TryGetProperty("/api/v1/orgs/{org}/audit/verify", out _));
        Assert.True(document.RootElement.GetProperty("components").GetProperty("securitySchemes").TryGetProperty("Bearer", out _));
    }

    [Fact]
    public async Task The_browsable_api_reference_is_served_at_api_docs()
    {
        await using var app = await ChorusApp.StartAsync(DatabaseProvider.Sqlite);

        var response = await app.CreateClient().GetAsync(new Uri("/api/docs", UriKind.Relative), TestContext.Current.CancellationToken);

        await response.ShouldHaveStatusAsync(HttpStatusCode.OK);
        Assert.Contains("Chorus API", await response.Content.ReadAsStringAsync(TestContext.Current.CancellationToken), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unknown_api_path_answers_problem_details()
    {
        await using var app = await ChorusApp.StartAsync(DatabaseProvider.Sqlite);

        var response = await app.CreateClient().GetAsync(new Uri("/api/v1/nothing-here", UriKind.Relative), TestContext.Current.CancellationToken);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }
}
