using Chorus.Components;
using Chorus.Features.Accounts;
using Chorus.Features.Analytics;
using Chorus.Features.Analytics.Exports;
using Chorus.Features.Audit;
using Chorus.Features.Campaigns;
using Chorus.Features.Contacts;
using Chorus.Features.Integrations;
using Chorus.Features.Links;
using Chorus.Features.Integrations.Webhooks;
using Chorus.Features.Integrations.ActionNetwork;
using Chorus.Features.Integrations.Van;
using Chorus.Features.Messaging;
using Chorus.Features.OptOuts;
using Chorus.Features.Organizations;
using Chorus.Features.Records;
using Chorus.Features.Texting;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Hosting;

// With no verb it serves; `migrate`, `demo` and `admin …` are verbs (see --help).
return await ChorusCommandLine.InvokeAsync(args, BuildApp);

static WebApplication BuildApp(string[] args)
{
    var builder = WebApplication.CreateBuilder(args);
    builder.AddPlatform();
    builder.AddDatabase();
    builder.AddChorusAuth();
    builder.AddAccounts();
    builder.AddContacts();
    builder.AddMessaging();
    builder.AddRecords();
    builder.AddAnalytics();
    builder.AddExports();
    builder.AddIntegrations();
    builder.AddLinks();
    builder.AddWebhooks();
    builder.AddActionNetwork();
    builder.AddVan();
    builder.AddUi();

    var app = builder.Build();
    app.UsePlatform();
    app.MapPlatformEndpoints();
    app.MapAccountEndpoints();
    app.MapOrganizationEndpoints();
    app.MapAuditEndpoints();
    app.MapCampaignEndpoints();
    app.MapContactEndpoints();
    app.MapOptOutEndpoints();
    app.MapMessagingEndpoints();
    app.MapTextingEndpoints();
    app.MapRecordEndpoints();
    app.MapExportEndpoints();
    app.MapAnalyticsEndpoints();
    app.MapIntegrationEndpoints();
    app.MapLinkEndpoints();
    app.MapWebhookEndpoints();
    app.MapActionNetworkEndpoints();
    app.MapVanEndpoints();
    app.MapUi();
    return app;
}
