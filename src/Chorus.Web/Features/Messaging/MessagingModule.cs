using Chorus.Features.Messaging.Dispatch;
using Chorus.Features.Messaging.Events;
using Chorus.Features.Messaging.Inbound;
using Chorus.Features.Messaging.Providers;
using Chorus.Features.Messaging.Simulator;
using Chorus.Features.Messaging.Webhooks;
using Chorus.Infrastructure.Data;

namespace Chorus.Features.Messaging;

public static class MessagingModule
{
    public static WebApplicationBuilder AddMessaging(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<DispatchOptions>().BindConfiguration(DispatchOptions.Section);
        services.AddSimulatorProvider(builder.Configuration);
        services.AddTwilioProvider();
        services.AddSingleton<MessagingAccounts>();
        services.AddSingleton<MessagingSettingsCache>();
        services.AddSingleton<OutboxSignal>();
        services.AddSingleton<MessageDispatcher>();
        services.AddSingleton<Reconciler>();
        services.AddSingleton<InboundProcessor>();
        services.AddSingleton<Texting.InitialSends>();
        services.AddHostedService<DispatchWorker>();

        var database = builder.Configuration.GetSection(DatabaseOptions.Section).Get<DatabaseOptions>() ?? new DatabaseOptions();
        if (database.Provider == DatabaseProvider.Postgres)
        {
            services.AddSingleton(sp => new PostgresMessageEvents(
                builder.Configuration.GetConnectionString("Chorus")!, sp.GetRequiredService<ILogger<PostgresMessageEvents>>()));
            services.AddSingleton<IMessageEvents>(sp => sp.GetRequiredService<PostgresMessageEvents>());
            services.AddSingleton<PostgresMessageEventListener>();
            services.AddHostedService(sp => sp.GetRequiredService<PostgresMessageEventListener>());
        }
        else
        {
            services.AddSingleton<IMessageEvents, InProcessMessageEvents>();
        }

        return builder;
    }

    public static IEndpointRouteBuilder MapMessagingEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapWebhookEndpoints();
        app.MapMessagingApi();
        return app;
    }
}
