using Chorus.Infrastructure.Auth;

namespace Chorus.Features.Integrations;

public static class IntegrationsModule
{
    public static WebApplicationBuilder AddIntegrations(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<IntegrationsOptions>().BindConfiguration(IntegrationsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IntegrationRegistry>();
        builder.Services.AddSingleton<IntegrationSignal>();
        builder.Services.AddHostedService<IntegrationWorker>();
        return builder;
    }

    public static IEndpointRouteBuilder MapIntegrationEndpoints(this IEndpointRouteBuilder app)
    {
        // Admins and owners: integrations hold CRM credentials and move voters' data out of Chorus.
        var integrations = app.MapOrgApiGroup("/integrations", Policies.OrgAdmin).WithTags("Integrations");
        integrations.MapGet("/kinds", Integrations.HandleKinds).WithSummary("The kinds of integration this server offers, with the credentials each takes.");
        integrations.MapGet("/", Integrations.HandleListAsync).WithSummary("The organization's integrations, with their health and delivery counts.");
        integrations.MapPost("/", Integrations.HandleCreateAsync)
            .WithSummary("Creates an integration {kind, name, enabled?, settings, secrets}; secrets are stored encrypted and never returned. It starts with events from now on.");
        integrations.MapGet("/{id:guid}", Integrations.HandleGetAsync).WithSummary("One integration.");
        integrations.MapPut("/{id:guid}", Integrations.HandleUpdateAsync)
            .WithSummary("Changes name, enabled, settings or secrets; a secret left out is kept, an empty one removed. New secrets retry waiting items at once.");
        integrations.MapDelete("/{id:guid}", Integrations.HandleDeleteAsync).WithSummary("Removes an integration: it stops and forgets its credentials; its log stays.");
        integrations.MapPost("/{id:guid}/test", Integrations.HandleTestAsync).WithSummary("Checks the credentials and address with a harmless call; the answer says why when it fails.");
        integrations.MapGet("/{id:guid}/deliveries", Integrations.HandleDeliveriesAsync)
            .WithSummary("The delivery log, newest first: each item with its attempts, last error and the other system's answer (status: pending, succeeded, failed).");
        integrations.MapPost("/{id:guid}/deliveries/{deliveryId:guid}/replay", Integrations.HandleReplayAsync)
            .WithSummary("Queues an item again, at once, with the same idempotency key.");
        integrations.MapGet("/{id:guid}/runs", Integrations.HandleRunsAsync).WithSummary("The integration's runs (catch-ups, imports), newest first.");
        integrations.MapGet("/{id:guid}/runs/{runId:guid}", Integrations.HandleRunAsync).WithSummary("One run: status, counts and summary.");
        integrations.MapPost("/{id:guid}/catch-up", Integrations.HandleCatchUpAsync)
            .WithSummary("Queues a catch-up run {since}: makes the items missing for events since then; what was already delivered is not written again.");
        return app;
    }
}
