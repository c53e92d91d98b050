using Chorus.Features.Organizations;
using Chorus.Infrastructure.Data;

namespace Chorus.Components;

/// <summary>
/// How components run slice logic: each operation gets its own DI scope (so no DbContext outlives it, STYLE.md §3)
/// whose <see cref="CurrentOrganization"/> is the page's organization, so the tenant filter applies exactly as it
/// does for an API request.
/// </summary>
public sealed class OrgScopes(IServiceScopeFactory scopes)
{
    public async Task<T> RunAsync<T>(OrganizationAccess access, Func<IServiceProvider, Task<T>> operation)
    {
        await using var scope = scopes.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentOrganization>().Set(access.OrganizationId, access.Slug, access.Role);
        return await operation(scope.ServiceProvider);
    }

    /// <summary>For work outside any organization (the signed-in person's own account, their memberships).</summary>
    public async Task<T> RunUnscopedAsync<T>(Func<IServiceProvider, Task<T>> operation)
    {
        await using var scope = scopes.CreateAsyncScope();
        return await operation(scope.ServiceProvider);
    }

    /// <summary>The user's access to the organization with this slug, or null (not found / not a member).</summary>
    public Task<OrganizationAccess?> FindAccessAsync(string slug, Guid userId, CancellationToken ct = default) =>
        RunUnscopedAsync(sp => OrganizationAccess.FindAsync(sp.GetRequiredService<AppDbContext>(), slug, userId, ct));
}
