using System.Security.Claims;
using System.Text.Encodings.Web;
using Chorus.Features.Accounts;
using Chorus.Infrastructure.Data;
using Microsoft.AspNetCore.Authentication;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Chorus.Infrastructure.Auth;

/// <summary>
/// Authenticates <c>Authorization: Bearer chorus_…</c> with a personal API token. The token is looked up on every
/// request (nothing is cached), so a revoked token fails on the very next request, on every instance.
/// </summary>
internal sealed class ApiTokenAuthenticationHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    AppDbContext db,
    TimeProvider clock)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ApiToken";

    /// <summary>How stale "last used" may get; writing it on every request would turn each read into a write.</summary>
    private static readonly TimeSpan LastUsedResolution = TimeSpan.FromMinutes(1);

    // Compiled: it runs on every API request.
    private static readonly CompiledQuery<Func<AppDbContext, string, CancellationToken, Task<Found?>>> Find = new(() => EF.CompileAsyncQuery(
        (AppDbContext db, string hash, CancellationToken ct) => db.ApiTokens.AsNoTracking()
            .Where(t => t.TokenHash == hash && t.RevokedUtc == null)
            .Join(db.Users, t => t.UserId, u => u.Id, (t, u) => new Found(t.Id, t.LastUsedUtc, u.Id, u.Email, u.DisplayName))
            .FirstOrDefault()));

    private sealed record Found(Guid TokenId, DateTime? LastUsedUtc, Guid UserId, string? Email, string DisplayName);

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        string? header = Request.Headers.Authorization;
        if (header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return AuthenticateResult.NoResult();
        }

        var secret = header["Bearer ".Length..].Trim();
        if (!secret.StartsWith(ApiToken.TokenPrefix, StringComparison.Ordinal) || secret.Length > 200)
        {
            return AuthenticateResult.Fail("Malformed API token.");
        }

        var hash = ApiToken.Hash(secret);
        var found = await Find.For(db)(db, hash, Context.RequestAborted);
        if (found is null)
        {
            return AuthenticateResult.Fail("Unknown or revoked API token.");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (found.LastUsedUtc is null || now - found.LastUsedUtc > LastUsedResolution)
        {
            await db.ApiTokens.Where(t => t.Id == found.TokenId).ExecuteUpdateAsync(s => s.SetProperty(t => t.LastUsedUtc, now), Context.RequestAborted);
        }

        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.NameIdentifier, found.UserId.ToString()),
                new Claim(ClaimTypes.Name, found.Email ?? ""),
                new Claim("display_name", found.DisplayName),
                new Claim("token_id", found.TokenId.ToString()),
            ],
            SchemeName);
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = "Bearer";
        return Task.CompletedTask;
    }
}
