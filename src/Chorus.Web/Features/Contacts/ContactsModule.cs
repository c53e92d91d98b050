using Chorus.Features.Contacts.Uploads;
using Chorus.Infrastructure.Auth;

namespace Chorus.Features.Contacts;

public static class ContactsModule
{
    public static WebApplicationBuilder AddContacts(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ContactsOptions>().BindConfiguration(ContactsOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<ImportSignal>();
        builder.Services.AddHostedService<ContactImportWorker>();
        return builder;
    }

    public static IEndpointRouteBuilder MapContactEndpoints(this IEndpointRouteBuilder app)
    {
        var maxBytes = app.ServiceProvider.GetRequiredService<Microsoft.Extensions.Options.IOptions<ContactsOptions>>().Value.MaxUploadBytes;
        var uploads = app.MapOrgApiGroup("/campaigns/{campaignId:guid}/imports", Policies.OrgAdmin).WithTags("Contacts");
        uploads.MapPost("/", StartContactImport.HandleAsync)
            .DisableAntiforgery() // bearer-token API: no cookies, so no cross-site forgery to defend against
            .WithMetadata(new Microsoft.AspNetCore.Mvc.RequestSizeLimitAttribute(maxBytes + (1024 * 1024)))
            .WithFormOptions(multipartBodyLengthLimit: maxBytes + (1024 * 1024))
            .WithSummary("Uploads a CSV (multipart 'file', optional 'mapping' JSON) into the campaign; 202 with the import id.");
        uploads.MapGet("/", GetContactImport.HandleListAsync).WithSummary("The campaign's imports with their status and counts, newest first (at most 50).");

        var imports = app.MapOrgApiGroup("/imports", Policies.OrgAdmin).WithTags("Contacts");
        imports.MapGet("/{importId:guid}", GetContactImport.HandleAsync).WithSummary("An import's status, counts and progress.");
        imports.MapGet("/{importId:guid}/rejected.csv", GetRejectedRows.HandleAsync).Produces<string>(StatusCodes.Status200OK, "text/csv").WithSummary("The refused rows: line number, reason, original record.");

        var contacts = app.MapOrgApiGroup("/campaigns/{campaignId:guid}/contacts", Policies.OrgSupervisor).WithTags("Contacts");
        contacts.MapGet("/", ListContacts.HandleAsync).WithSummary("The campaign's contacts, paged.");
        return app;
    }
}
