using Chorus.Features.Organizations;

namespace Chorus.Infrastructure.Auth;

/// <summary>
/// The caller's standing in the route's organization, read by the API token's look-up in the same statement and
/// handed to <see cref="OrgRoleHandler"/> within the same request, which then needs no query of its own. It names the
/// user and the organization it was read for, and is used only for exactly those: anything else is looked up afresh.
/// It lives in the request's items, so it is never older than the request.
/// </summary>
internal static class PrefetchedAccess
{
    private static readonly object Key = new();

    private sealed record Entry(Guid UserId, string Slug, OrganizationAccess? Access);

    /// <summary>Records <paramref name="access"/> (null: not a member) of <paramref name="userId"/> in <paramref name="slug"/>.</summary>
    public static void Remember(HttpContext http, Guid userId, string slug, OrganizationAccess? access) =>
        http.Items[Key] = new Entry(userId, slug, access);

    /// <summary>True, with the standing read for this request, when it was read for this user and organization.</summary>
    public static bool TryRecall(HttpContext http, Guid userId, string slug, out OrganizationAccess? access)
    {
        if (http.Items.TryGetValue(Key, out var value) && value is Entry entry && entry.UserId == userId
            && string.Equals(entry.Slug, slug, StringComparison.Ordinal))
        {
            access = entry.Access;
            return true;
        }

        access = null;
        return false;
    }
}
