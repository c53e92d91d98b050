using Chorus.Infrastructure.Auth;

namespace Chorus.Features.Records;

public static class RecordsModule
{
    public static WebApplicationBuilder AddRecords(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<RetentionOptions>().BindConfiguration(RetentionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHostedService<MessageBodyPurger>();
        return builder;
    }

    public static IEndpointRouteBuilder MapRecordEndpoints(this IEndpointRouteBuilder app)
    {
        var records = app.MapOrgApiGroup("/records", Policies.OrgSupervisor).WithTags("Records");
        records.MapGet("/{phone}", GetContactRecord.HandleAsync)
            .WithSummary("Everything on record for one phone number: contacts and imports, messages with texter and history, opt-outs, survey answers. Audited.");

        var retention = app.MapOrgApiGroup("/retention", Policies.OrgAdmin).WithTags("Records");
        retention.MapGet("/", RetentionSettings.HandleGetAsync).WithSummary("How many years message bodies are kept.");
        retention.MapPut("/", RetentionSettings.HandlePutAsync).WithSummary("Sets how many years message bodies are kept (1-10).");
        retention.MapPost("/dry-run", PurgeMessageBodies.HandleDryRunAsync).WithSummary("What a purge would blank now: message count and date range. Changes nothing.");
        retention.MapPost("/purge", PurgeMessageBodies.HandlePurgeAsync).WithSummary("Blanks message bodies older than the retention period now; counts, metadata and opt-outs stay. Audited.");
        return app;
    }
}
