using Chorus.Infrastructure.Auth;

namespace Chorus.Features.Integrations.Webhooks;

public sealed class WebhookOptions
{
    public const string Section = "Chorus:Integrations:Webhooks";

    /// <summary>
    /// Whether a webhook may post over plain http:// to this machine (localhost, 127.0.0.1, [::1]), for a receiver in
    /// development. Off by default: every other address needs https://.
    /// </summary>
    public bool AllowLoopbackHttp { get; set; }
}

public static class WebhooksModule
{
    public static WebApplicationBuilder AddWebhooks(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<WebhookOptions>().BindConfiguration(WebhookOptions.Section);

        // The handler enforces Chorus:Integrations:RequestTimeout itself (and says so in the log). No retry handler: the
        // framework retries durably with backoff and logs every attempt. No redirects (the receiver is the address an admin
        // chose, not wherever it points) and no cookies (one client serves every organization).
        builder.Services.AddHttpClient(WebhookHandler.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler
            {
                AllowAutoRedirect = false,
                UseCookies = false,
                PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            });
        builder.Services.AddSingleton<IIntegrationHandler, WebhookHandler>();
        return builder;
    }

    public static IEndpointRouteBuilder MapWebhookEndpoints(this IEndpointRouteBuilder app)
    {
        var webhooks = app.MapOrgApiGroup("/integrations", Policies.OrgAdmin).WithTags("Integrations");
        webhooks.MapPost("/{id:guid}/webhook/rotate-secret", WebhookSecrets.HandleRotateAsync)
            .WithSummary("Makes the webhook a new signing secret and returns it, this once; events are signed with it from now on.");
        return app;
    }
}
