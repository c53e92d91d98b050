using Chorus.Infrastructure.Auth;

namespace Chorus.Features.Analytics.Exports;

public static class ExportsModule
{
    public static WebApplicationBuilder AddExports(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ExportsOptions>().BindConfiguration(ExportsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ExportSignal>();
        builder.Services.AddSingleton<ExportFiles>();
        builder.Services.AddHostedService<ExportWorker>();
        return builder;
    }

    public static IEndpointRouteBuilder MapExportEndpoints(this IEndpointRouteBuilder app)
    {
        // Admins and owners: exports carry every contact's details and every message of the organization.
        var exports = app.MapOrgApiGroup("/exports", Policies.OrgAdmin).WithTags("Exports");
        exports.MapPost("/", StartExport.HandleAsync)
            .WithSummary("Requests a CSV export (kind: contacts, messages, opt-outs or audit; campaignId for contacts and, optionally, messages); 202 with its id.");
        exports.MapGet("/", GetExport.HandleListAsync).WithSummary("The organization's most recent exports, newest first.");
        exports.MapGet("/{exportId:guid}", GetExport.HandleAsync).WithSummary("An export's status, progress and, once completed, its download link.");
        exports.MapGet("/{exportId:guid}/download", DownloadExport.HandleAsync).Produces<string>(StatusCodes.Status200OK, "text/csv").WithSummary("The export's CSV file (UTF-8 with BOM, CRLF); 409 until it is completed.");

        // The same download for the Exports page, behind the sign-in cookie (the API accepts bearer tokens only).
        app.MapGet("/orgs/{org}/exports/{exportId:guid}/download", DownloadExport.HandleAsync)
            .RequireAuthorization(Policies.OrgAdmin)
            .ExcludeFromDescription();
        return app;
    }
}
