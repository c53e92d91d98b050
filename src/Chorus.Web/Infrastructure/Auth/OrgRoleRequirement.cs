using System.Security.Claims;
using Chorus.Features.Organizations;
using Chorus.Infrastructure.Data;
using Microsoft.AspNetCore.Authorization;

namespace Chorus.Infrastructure.Auth;

/// <summary>The caller must be a member of the route's organization with at least <see cref="Minimum"/>.</summary>
public sealed class OrgRoleRequirement(OrgRole minimum) : IAuthorizationRequirement
{
    public OrgRole Minimum { get; } = minimum;
}

/// <summary>
/// Resolves the caller's membership in the organization named by the <c>{org}</c> route value. A caller who is not
/// a member fails with <see cref="NotAMember"/>, which <see cref="OrgAuthorizationResultHandler"/> answers with 404;
/// a member whose role is too low fails plainly (403). On success during an HTTP request it fixes the request's
/// <see cref="CurrentOrganization"/>, which scopes every query that follows.
/// </summary>
internal sealed class OrgRoleHandler(AppDbContext db) : AuthorizationHandler<OrgRoleRequirement>
{
    public static readonly string NotAMember = "not-a-member";

    protected override async Task HandleRequirementAsync(AuthorizationHandlerContext context, OrgRoleRequirement requirement)
    {
        var (slug, httpContext) = context.Resource switch
        {
            HttpContext http => (http.GetRouteValue("org") as string, http),
            Microsoft.AspNetCore.Components.RouteData route => (route.RouteValues.GetValueOrDefault("org") as string, null),
            _ => (null, null),
        };
        if (slug is null || !Guid.TryParse(context.User.FindFirstValue(ClaimTypes.NameIdentifier), out var userId))
        {
            context.Fail(new AuthorizationFailureReason(this, NotAMember));
            return;
        }

        var access = httpContext is not null && PrefetchedAccess.TryRecall(httpContext, userId, slug, out var prefetched)
            ? prefetched
            : await OrganizationAccess.FindAsync(db, slug, userId, httpContext?.RequestAborted ?? default);
        if (access is null)
        {
            context.Fail(new AuthorizationFailureReason(this, NotAMember));
            return;
        }

        if (access.Role < requirement.Minimum)
        {
            context.Fail(new AuthorizationFailureReason(this, $"requires the {requirement.Minimum} role or higher"));
            return;
        }

        httpContext?.RequestServices.GetRequiredService<CurrentOrganization>().Set(access.OrganizationId, access.Slug, access.Role);
        context.Succeed(requirement);
    }
}
