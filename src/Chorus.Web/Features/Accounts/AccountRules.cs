namespace Chorus.Features.Accounts;

/// <summary>Sign-in rules, in one place so the UI can tell people what they are.</summary>
public static class AccountRules
{
    /// <summary>Length beats composition rules (NIST SP 800-63B); no digit/symbol requirements.</summary>
    public const int MinimumPasswordLength = 10;

    public const int MaxPasswordLength = 200;
    public const int MaxFailedSignInAttempts = 5;
    public static readonly TimeSpan LockoutDuration = TimeSpan.FromMinutes(15);
}
