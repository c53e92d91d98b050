using Chorus.Features.Organizations;
using Microsoft.AspNetCore.Authorization;

namespace Chorus.Infrastructure.Auth;

/// <summary>
/// Authorization policies, declared once per route group (API) or page (UI). The organization policies read the
/// organization slug from the <c>{org}</c> route value.
/// </summary>
public static class Policies
{
    public const string OrgTexter = "OrgTexter";
    public const string OrgSupervisor = "OrgSupervisor";
    public const string OrgAdmin = "OrgAdmin";
    public const string OrgOwner = "OrgOwner";

    public static OrgRole? MinimumRole(string? policy) => policy switch
    {
        OrgTexter => OrgRole.Texter,
        OrgSupervisor => OrgRole.Supervisor,
        OrgAdmin => OrgRole.Admin,
        OrgOwner => OrgRole.Owner,
        _ => null,
    };

    public static void Add(AuthorizationOptions options)
    {
        foreach (var (name, role) in new[] { (OrgTexter, OrgRole.Texter), (OrgSupervisor, OrgRole.Supervisor), (OrgAdmin, OrgRole.Admin), (OrgOwner, OrgRole.Owner) })
        {
            options.AddPolicy(name, p => p.RequireAuthenticatedUser().AddRequirements(new OrgRoleRequirement(role)));
        }
    }
}
