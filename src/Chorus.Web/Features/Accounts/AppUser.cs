using Microsoft.AspNetCore.Identity;

namespace Chorus.Features.Accounts;

/// <summary>A person who signs in. What they may do is decided per organization by their <c>Membership</c>.</summary>
public sealed class AppUser : IdentityUser<Guid>
{
    public const int MaxDisplayNameLength = 100;

    public string DisplayName { get; set; } = "";
    public DateTime CreatedUtc { get; set; }
}
