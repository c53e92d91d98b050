using System.Security.Cryptography;
using Chorus.Features.Audit;
using Chorus.Features.Organizations;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Accounts;

/// <summary>
/// First run: while nobody has an account, a one-time set-up link lets the first person create their account and
/// organization. The link's secret is random, stored hashed, and consumed by the first successful set-up.
/// </summary>
public static class FirstRunSetup
{
    public sealed record Request(string Token, string DisplayName, string Email, string Password, string OrganizationName);

    public static async Task<bool> IsNeededAsync(AppDbContext db, CancellationToken ct) => !await db.Users.AnyAsync(ct);

    /// <summary>Replaces any earlier set-up secret with a new one and returns it (only its hash is stored).</summary>
    public static async Task<string> IssueTokenAsync(AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var secret = ApiToken.Base64Url(RandomNumberGenerator.GetBytes(24));
        await db.SetupTokens.ExecuteDeleteAsync(ct);
        db.SetupTokens.Add(new SetupToken { TokenHash = ApiToken.Hash(secret), CreatedUtc = clock.GetUtcNow().UtcDateTime });
        await db.SaveChangesAsync(ct);
        return secret;
    }

    public static async Task<bool> IsValidTokenAsync(string? token, AppDbContext db, CancellationToken ct)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100)
        {
            return false;
        }

        var hash = ApiToken.Hash(token);
        return await db.SetupTokens.AnyAsync(t => t.TokenHash == hash, ct) && !await db.Users.AnyAsync(ct);
    }

    public static async Task<Outcome<CreateOrganization.Response>> ExecuteAsync(
        Request request, AppDbContext db, UserManager<AppUser> users, TimeProvider clock, CancellationToken ct)
    {
        if (!await IsValidTokenAsync(request.Token, db, ct))
        {
            return Failure.Forbidden("This set-up link is no longer valid: Chorus has already been set up. Log in instead.");
        }

        if (request.OrganizationName.Trim().Length is 0 or > Organization.MaxNameLength)
        {
            return Failure.Invalid($"Give the organization a name of 1 to {Organization.MaxNameLength} characters.", "organizationName");
        }

        await using var transaction = await db.Database.BeginTransactionAsync(ct);
        var account = await RegisterAccount.ExecuteAsync(new RegisterAccount.Request(request.Email, request.Password, request.DisplayName), users, clock);
        if (account.Failure is { } failure)
        {
            return failure;
        }

        var user = account.Value!;
        var organization = await CreateOrganization.ExecuteAsync(request.OrganizationName, user.Id, new AuditActor(user.Id, user.Email!), db, clock, ct);
        if (organization.Failure is { } orgFailure)
        {
            return orgFailure;
        }

        await db.SetupTokens.ExecuteDeleteAsync(ct);
        await transaction.CommitAsync(ct);
        return organization.Value!;
    }
}

/// <summary>Prints the set-up link once the server listens, while the instance has no accounts.</summary>
internal sealed class FirstRunSetupAnnouncer(
    IServiceScopeFactory scopes, IHostApplicationLifetime lifetime, Infrastructure.Hosting.PublicAddress address, TimeProvider clock,
    ILogger<FirstRunSetupAnnouncer> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStarted.Register(() => _ = AnnounceAsync(lifetime.ApplicationStopping));
        return Task.CompletedTask;
    }

    private async Task AnnounceAsync(CancellationToken ct)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            if (!await FirstRunSetup.IsNeededAsync(db, ct))
            {
                return;
            }

            var token = await FirstRunSetup.IssueTokenAsync(db, clock, ct);
            var link = $"{address.BaseUrl}/setup?token={token}";
            logger.LogWarning("Chorus has no accounts yet. Open the one-time set-up link to create the first account and organization: {SetupLink}", link);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            logger.LogError(ex, "Could not issue the first-run set-up link.");
        }
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
