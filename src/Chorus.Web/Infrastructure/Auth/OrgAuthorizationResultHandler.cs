using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Authorization.Policy;

namespace Chorus.Infrastructure.Auth;

/// <summary>
/// Turns "not a member of this organization" into 404, for the API and the UI alike: whether an organization
/// (or anything in it) exists is itself information that outsiders must not get.
/// </summary>
internal sealed class OrgAuthorizationResultHandler : IAuthorizationMiddlewareResultHandler
{
    private readonly AuthorizationMiddlewareResultHandler _default = new();

    public async Task HandleAsync(RequestDelegate next, HttpContext context, AuthorizationPolicy policy, PolicyAuthorizationResult authorizeResult)
    {
        var notAMember = authorizeResult.Forbidden
            && authorizeResult.AuthorizationFailure?.FailureReasons.Any(r => r.Message == OrgRoleHandler.NotAMember) == true;
        if (notAMember)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        await _default.HandleAsync(next, context, policy, authorizeResult);
    }
}
