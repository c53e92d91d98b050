using Microsoft.AspNetCore.Authorization;

namespace Chorus.Infrastructure.Auth;

public static class ApiGroups
{
    /// <summary>
    /// A route group of the REST API: bearer tokens only (so a browser's cookie can never be used for cross-site
    /// requests against the API), any signed-in caller unless a policy is added.
    /// </summary>
    public static RouteGroupBuilder MapApiGroup(this IEndpointRouteBuilder app, string prefix) =>
        app.MapGroup(prefix).RequireAuthorization(new AuthorizeAttribute { AuthenticationSchemes = ApiTokenAuthenticationHandler.SchemeName })
            .ProducesProblem(StatusCodes.Status401Unauthorized);

    /// <summary>
    /// A route group under <c>/api/v1/orgs/{org}</c>: the caller must belong to that organization with at least the
    /// policy's role. Non-members get 404 whatever the rest of the path; members with too low a role get 403.
    /// </summary>
    public static RouteGroupBuilder MapOrgApiGroup(this IEndpointRouteBuilder app, string suffix, string policy) =>
        app.MapApiGroup("/api/v1/orgs/{org}" + suffix).RequireAuthorization(policy)
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .ProducesProblem(StatusCodes.Status404NotFound);
}
