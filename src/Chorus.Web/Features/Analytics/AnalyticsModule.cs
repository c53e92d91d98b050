using Chorus.Features.Analytics.Counters;
using Chorus.Infrastructure.Auth;

namespace Chorus.Features.Analytics;

public static class AnalyticsModule
{
    public static WebApplicationBuilder AddAnalytics(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<CounterOptions>().BindConfiguration(CounterOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddHostedService<CounterCompactor>();
        return builder;
    }

    public static IEndpointRouteBuilder MapAnalyticsEndpoints(this IEndpointRouteBuilder app)
    {
        // Supervisor+ only: the leaderboard and costs are staff information, so texters get 403 (README.md).
        var read = app.MapOrgApiGroup("", Policies.OrgSupervisor).WithTags("Analytics");
        read.MapGet("/campaigns/{id:guid}/stats", CampaignStats.HandleAsync)
            .WithSummary("A campaign's numbers: sends, deliveries, errors, replies, opt-outs, cost, carriers, survey answers, tags, texters, hourly series.");
        read.MapGet("/stats", OrganizationStats.HandleAsync).WithSummary("One summary row per campaign, and totals; ?includeArchived=false hides archived ones.");
        read.MapGet("/stats/costs", CostReport.HandleAsync).WithSummary("Segments in and out per campaign and month (UTC), priced with the organization's prices.");
        read.MapGet("/stats/prices", SegmentPrices.HandleGetAsync).WithSummary("Prices per segment (US dollars) used for cost estimates.");

        var admin = app.MapOrgApiGroup("/stats", Policies.OrgAdmin).WithTags("Analytics");
        admin.MapPut("/prices", SegmentPrices.HandleUpdateAsync).WithSummary("Changes the outbound and/or inbound price per segment; audited.");
        return app;
    }
}
