using Chorus.Infrastructure.Auth;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace Chorus.Features.Integrations.Van;

public static class VanModule
{
    /// <summary>The "van" integration kind, its list-import runs, its HTTP clients and <see cref="VanOptions"/>.</summary>
    public static WebApplicationBuilder AddVan(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<VanOptions>().BindConfiguration(VanOptions.Section);
        builder.Services.AddSingleton<VanCache>();
        builder.Services.AddSingleton<IIntegrationHandler, VanHandler>();
        builder.Services.AddSingleton<IIntegrationRunner, VanListImport>();

        // A deadline per call and nothing more: the framework retries durably, with backoff, visibly in the delivery log;
        // an in-process retry of a canvass response could record it twice, and a circuit shared by every
        // organization's VAN would let one committee's rate limit stop another's.
        builder.Services.AddHttpClient(VanApi.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .AddStandardResilienceHandler()
            .Configure((HttpStandardResilienceOptions o, IServiceProvider sp) =>
            {
                var timeout = sp.GetRequiredService<IOptions<IntegrationsOptions>>().Value.RequestTimeout;
                o.Retry.ShouldHandle = _ => ValueTask.FromResult(false);
                o.CircuitBreaker.ShouldHandle = _ => ValueTask.FromResult(false);
                o.AttemptTimeout.Timeout = timeout;
                o.TotalRequestTimeout.Timeout = timeout;
                o.CircuitBreaker.SamplingDuration = timeout * 2 + TimeSpan.FromSeconds(1);
            });

        // Export files can be large: streamed with no overall deadline (the run is cancelled with the host).
        builder.Services.AddHttpClient(VanListImport.DownloadClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        return builder;
    }

    public static IEndpointRouteBuilder MapVanEndpoints(this IEndpointRouteBuilder app)
    {
        var van = app.MapOrgApiGroup("/integrations/{id:guid}/van", Policies.OrgAdmin).WithTags("Integrations");
        van.MapGet("/lookups", VanEndpoints.HandleLookupsAsync)
            .WithSummary("VAN's contact types, input types, result codes, active survey questions (with responses) and activist codes, for the mapping; the ids the settings' names resolve to, and what in the mapping VAN does not have.");
        van.MapGet("/saved-lists", VanEndpoints.HandleSavedListsAsync).WithSummary("The VAN saved lists the key can see (the first 100).");
        van.MapPost("/imports", VanEndpoints.HandleImportAsync)
            .WithSummary("Queues an import of a VAN saved list into a campaign {savedListId, campaignId} (202 with the run; its resultId is the contact import).");
        return app;
    }
}
