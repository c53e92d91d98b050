using Chorus.Infrastructure.Data;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using OpenTelemetry.Metrics;
using Scalar.AspNetCore;

namespace Chorus.Infrastructure.Hosting;

/// <summary>What every request and every feature relies on: errors, health, metrics, API docs, options.</summary>
public static class PlatformModule
{
    public static WebApplicationBuilder AddPlatform(this WebApplicationBuilder builder)
    {
        // Static web assets (MudBlazor, Blazor's script) resolve from the build output in every environment,
        // not only Development, so `dotnet run` works as the README says.
        builder.WebHost.UseStaticWebAssets();

        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<PublicAddress>();
        builder.Services.AddOptions<ChorusOptions>().BindConfiguration(ChorusOptions.Section).ValidateOnStart();
        builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ctx =>
            ctx.ProblemDetails.Extensions.TryAdd("traceId", ctx.HttpContext.TraceIdentifier));
        builder.Services.AddValidation();
        builder.Services.ConfigureHttpJsonOptions(o =>
            o.SerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()));
        builder.Services.AddOpenApi(o =>
        {
            o.CreateSchemaReferenceId = SchemaId;
            o.AddDocumentTransformer<BearerSecurityTransformer>();
        });
        builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database");
        builder.Services.AddOpenTelemetry().WithMetrics(m => m
            .AddAspNetCoreInstrumentation()
            // System.Runtime: the runtime's own instruments (resident set, GC heap by generation, pauses, JIT, thread
            // pool), read only when scraped, so an operator can see what a server holds during a large upload or export.
            .AddMeter("Microsoft.AspNetCore.Hosting", "Microsoft.AspNetCore.Server.Kestrel", "System.Runtime", "Chorus")
            .AddPrometheusExporter());
        builder.Services.Configure<FormOptions>(o => o.ValueLengthLimit = 64 * 1024);
        builder.Services.Configure<ForwardedHeadersOptions>(o => o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto);
        return builder;
    }

    public static WebApplication UsePlatform(this WebApplication app)
    {
        app.UseForwardedHeaders();
        app.UseExceptionHandler();
        // Re-execution must be registered on the app itself: inside a UseWhen branch it re-runs the pipeline without
        // routing, so the /not-found page never renders and browsers get an empty 404. It stays out of the API's way
        // because the API branch below writes its problem details first, and re-execution skips responses with a body.
        app.UseStatusCodePagesWithReExecute("/not-found", createScopeForStatusCodePages: true);
        app.UseWhen(IsApiRequest, api => api.UseStatusCodePages());
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        return app;
    }

    public static WebApplication MapPlatformEndpoints(this WebApplication app)
    {
        app.MapHealthChecks("/healthz").AllowAnonymous();
        app.MapPrometheusScrapingEndpoint("/metrics").AllowAnonymous();
        app.MapOpenApi().AllowAnonymous();
        app.MapScalarApiReference("/api/docs", o => o.WithTitle("Chorus API").AddPreferredSecuritySchemes("Bearer")).AllowAnonymous();
        return app;
    }

    /// <summary>
    /// Slices name their records <c>Request</c>, <c>Response</c>, <c>Item</c>…, nested in the use case; the default
    /// id (the bare type name) gave every <c>Response</c> one shared schema, so the document showed the wrong shape for
    /// most endpoints. Nested types are named after the classes they sit in: <c>GetMe.Response</c> is <c>GetMeResponse</c>.
    /// </summary>
    internal static string? SchemaId(System.Text.Json.Serialization.Metadata.JsonTypeInfo type)
    {
        var id = Microsoft.AspNetCore.OpenApi.OpenApiOptions.CreateDefaultSchemaReferenceId(type);
        if (id is null)
        {
            return null;
        }

        for (var outer = type.Type.DeclaringType; outer is not null; outer = outer.DeclaringType)
        {
            id = outer.Name.Split('`')[0] + id;
        }

        return id;
    }

    public static bool IsApiRequest(HttpContext context) =>
        context.Request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase) || context.Request.Path.StartsWithSegments("/webhooks", StringComparison.OrdinalIgnoreCase);
}

internal sealed class DatabaseHealthCheck(AppDbContext db) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        await db.Database.CanConnectAsync(cancellationToken)
            ? HealthCheckResult.Healthy()
            : HealthCheckResult.Unhealthy("The database cannot be reached.");
}
