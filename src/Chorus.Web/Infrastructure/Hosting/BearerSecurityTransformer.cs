using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Chorus.Infrastructure.Hosting;

/// <summary>Documents the personal-token bearer scheme so the API reference can send authenticated requests.</summary>
internal sealed class BearerSecurityTransformer : IOpenApiDocumentTransformer
{
    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info.Title = "Chorus API";
        document.Info.Description = "Peer-to-peer texting for campaigns. Authenticate with `Authorization: Bearer <personal API token>`; "
            + "create tokens under Account → API tokens or with `admin create-token`. Errors are RFC 9457 problem details.";
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes["Bearer"] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "A personal API token (chorus_…).",
        };
        document.Security ??= [];
        document.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", document)] = [] });
        return Task.CompletedTask;
    }
}
