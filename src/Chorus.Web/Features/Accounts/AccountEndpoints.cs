using Chorus.Infrastructure.Auth;

namespace Chorus.Features.Accounts;

public static class AccountEndpoints
{
    public static RouteGroupBuilder MapAccountEndpoints(this IEndpointRouteBuilder app)
    {
        var me = app.MapApiGroup("/api/v1/me").WithTags("Me");
        me.MapGet("/", GetMe.HandleAsync).WithSummary("The caller and their memberships.");
        me.MapGet("/tokens", ListApiTokens.HandleAsync).WithSummary("The caller's personal API tokens (never the secrets).");
        me.MapPost("/tokens", CreateApiToken.HandleAsync).WithSummary("Creates a personal API token; the response is the only time it is shown.");
        me.MapDelete("/tokens/{tokenId:guid}", RevokeApiToken.HandleAsync).WithSummary("Revokes a token; it fails on the very next request.");
        return me;
    }
}
