using System.ComponentModel.DataAnnotations;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Identity;

namespace Chorus.Features.Accounts;

/// <summary>Creates a person's account (email + password). Used by sign-up, first-run set-up and the CLI.</summary>
public static class RegisterAccount
{
    public sealed record Request(
        [property: Required, EmailAddress, MaxLength(256)] string Email,
        [property: Required, MaxLength(AccountRules.MaxPasswordLength)] string Password,
        [property: MaxLength(AppUser.MaxDisplayNameLength)] string? DisplayName);

    public static async Task<Outcome<AppUser>> ExecuteAsync(Request request, UserManager<AppUser> users, TimeProvider clock)
    {
        var email = request.Email.Trim();
        if (!new EmailAddressAttribute().IsValid(email) || email.Length > 256)
        {
            return Failure.Invalid("Enter a valid email address.", "email");
        }

        if (request.Password.Length > AccountRules.MaxPasswordLength)
        {
            return Failure.Invalid($"Passwords can be at most {AccountRules.MaxPasswordLength} characters.", "password");
        }

        var displayName = string.IsNullOrWhiteSpace(request.DisplayName) ? email.Split('@')[0] : request.DisplayName.Trim();
        if (displayName.Length > AppUser.MaxDisplayNameLength)
        {
            return Failure.Invalid($"Names can be at most {AppUser.MaxDisplayNameLength} characters.", "displayName");
        }

        if (await users.FindByEmailAsync(email) is not null)
        {
            return Failure.Conflict("An account with this email already exists. Log in instead.");
        }

        var user = new AppUser
        {
            Id = Guid.CreateVersion7(),
            UserName = email,
            Email = email,
            DisplayName = displayName,
            CreatedUtc = clock.GetUtcNow().UtcDateTime,
        };
        var created = await users.CreateAsync(user, request.Password);
        if (!created.Succeeded)
        {
            return ToFailure(created);
        }

        return user;
    }

    internal static Failure ToFailure(IdentityResult result)
    {
        var byField = result.Errors
            .GroupBy(e => e.Code.Contains("Password", StringComparison.Ordinal) ? "password" : "email")
            .ToDictionary(g => g.Key, g => g.Select(e => e.Description).ToArray());
        var duplicate = result.Errors.Any(e => e.Code is "DuplicateEmail" or "DuplicateUserName");
        return duplicate
            ? Failure.Conflict("An account with this email already exists. Log in instead.")
            : new Failure(FailureKind.Invalid, string.Join(" ", result.Errors.Select(e => e.Description)), byField);
    }
}
