using System.Reflection;
using System.Security.Claims;
using Chorus.Components.Layout;
using Chorus.Features.Audit;
using Chorus.Features.Organizations;
using Chorus.Infrastructure.Auth;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;
using Microsoft.AspNetCore.Components.Authorization;

namespace Chorus.Components;

/// <summary>
/// Base for pages under <c>/orgs/{org}</c>. The page's <c>[Authorize(Policy = …)]</c> gates navigation; this class
/// resolves the caller's membership for the page and checks it again before every operation, because a circuit
/// lives for hours and the caller may have been demoted or removed since the page loaded.
/// </summary>
public abstract class OrgPage : ComponentBase
{
    private string? _loadedSlug;

    [Parameter]
    public string Org { get; set; } = "";

    [CascadingParameter]
    private Task<AuthenticationState>? AuthenticationState { get; set; }

    /// <summary>The app shell, to refresh the organization switcher after changing names, roles or memberships.</summary>
    [CascadingParameter]
    protected MainLayout? Shell { get; set; }

    [Inject]
    private OrgScopes Scopes { get; set; } = default!;

    protected ClaimsPrincipal User { get; private set; } = new();

    /// <summary>The caller's standing, or null when they are not a member (or lack the page's role): show not-found.</summary>
    protected OrganizationAccess? Access { get; private set; }

    protected bool Loaded { get; private set; }

    protected AuditActor Actor => User.AsAuditActor();

    protected bool HasRole(OrgRole role) => Access?.Role >= role;

    protected override async Task OnParametersSetAsync()
    {
        // A prerendered page has no circuit behind it: a button clicked before the circuit connects does nothing (a
        // volunteer's first Send, lost without a word). Until then the page shows that it is loading, and its data is
        // read once, by the live page, not a second time for the prerender. (Every organization page is interactive:
        // App.razor renders all but the account pages on the server's circuit.)
        if (!RendererInfo.IsInteractive)
        {
            return;
        }

        if (_loadedSlug == Org)
        {
            return;
        }

        _loadedSlug = Org;
        Loaded = false;
        User = AuthenticationState is null ? new ClaimsPrincipal() : (await AuthenticationState).User;
        if (await RefreshAccessAsync())
        {
            await LoadAsync();
        }

        Loaded = true;
    }

    /// <summary>Loads the page's data once the caller's access is known.</summary>
    protected virtual Task LoadAsync() => Task.CompletedTask;

    /// <summary>
    /// Runs an operation in the organization with the caller's current role. Returns false, and leaves the page
    /// showing not-found, when the caller no longer has access.
    /// </summary>
    protected async Task<bool> RunAsync(Func<IServiceProvider, Task> operation)
    {
        if (!await RefreshAccessAsync())
        {
            return false;
        }

        await Scopes.RunAsync(Access!, async sp =>
        {
            await operation(sp);
            return true;
        });
        return true;
    }

    /// <summary>Re-reads the caller's membership (after a change to the organization or to their own role).</summary>
    protected async Task<bool> RefreshAccessAsync()
    {
        var minimum = Policies.MinimumRole(GetType().GetCustomAttribute<AuthorizeAttribute>()?.Policy) ?? OrgRole.Texter;
        var access = User.Identity?.IsAuthenticated == true ? await Scopes.FindAccessAsync(Org, User.UserId()) : null;
        Access = access is not null && access.Role >= minimum ? access : null;
        return Access is not null;
    }
}
