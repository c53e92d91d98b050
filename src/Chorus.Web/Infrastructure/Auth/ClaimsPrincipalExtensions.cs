using System.Security.Claims;
using Chorus.Features.Audit;

namespace Chorus.Infrastructure.Auth;

public static class ClaimsPrincipalExtensions
{
    /// <summary>The signed-in user's id. Only call it behind an authorization policy.</summary>
    public static Guid UserId(this ClaimsPrincipal user) =>
        Guid.TryParse(user.FindFirstValue(ClaimTypes.NameIdentifier), out var id)
            ? id
            : throw new InvalidOperationException("No signed-in user: the endpoint lacks an authorization policy.");

    public static AuditActor AsAuditActor(this ClaimsPrincipal user) => new(user.UserId(), user.Identity?.Name ?? "unknown");
}
