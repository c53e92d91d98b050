using System.Security.Claims;
using System.Text.Encodings.Web;
using Chorus.Features.Accounts;
using Chorus.Features.Organizations;
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

    // Compiled: it runs on every API request. A request to an organization's API also needs the caller's membership
    // there (OrgRoleHandler), so the same statement reads it, which saves a round trip on every such request
    // (BENCHMARKS.md, send): the organization by the path's slug (none when the path names no organization) and the
    // membership by (organization, user), each left-joined and each one index seek (QueryPlanTests; a first version
    // joined a subquery, which SQLite materialized: every membership of the organization, per request). It must find
    // what OrganizationAccess.FindAsync finds. No other set in the statement is organization-owned, so ignoring the
    // query filters drops only the memberships' (the organization is not known yet: the slug names it).
    private static readonly CompiledQuery<Func<AppDbContext, string, string?, CancellationToken, Task<Found?>>> Find = new(() => EF.CompileAsyncQuery(
        (AppDbContext db, string hash, string? slug, CancellationToken ct) => (
            from t in db.ApiTokens.AsNoTracking().IgnoreQueryFilters()
            where t.TokenHash == hash && t.RevokedUtc == null
            join u in db.Users on t.UserId equals u.Id
            join o in db.Organizations on slug equals o.Slug into organization
            from o in organization.DefaultIfEmpty()
            join m in db.Memberships on new { OrganizationId = o!.Id, UserId = u.Id } equals new { m.OrganizationId, m.UserId } into membership
            from m in membership.DefaultIfEmpty()
            select new Found(t.Id, t.LastUsedUtc, u.Id, u.Email, u.DisplayName, (Guid?)o!.Id, o.Slug, o.Name, (OrgRole?)m!.Role))
            .FirstOrDefault()));

    /// <summary>
    /// The token's statement, with the caller's standing in <paramref name="slug"/>'s organization when the path names
    /// one; null when the token is unknown or revoked.
    /// </summary>
    internal static Task<Found?> FindAsync(AppDbContext db, string hash, string? slug, CancellationToken ct) =>
        Find.For(db)(db, hash, slug, ct);

    internal sealed record Found(
        Guid TokenId, DateTime? LastUsedUtc, Guid UserId, string? Email, string DisplayName,
        Guid? OrganizationId, string? Slug, string? Name, OrgRole? Role)
    {
        /// <summary>Null when there is no such organization or the caller is not a member of it (no role).</summary>
        public OrganizationAccess? Access => Role is { } role ? new OrganizationAccess(OrganizationId!.Value, Slug!, Name!, role) : null;
    }

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
        var slug = Context.GetRouteValue("org") as string;
        var found = await FindAsync(db, hash, slug, Context.RequestAborted);
        if (found is not null && slug is not null)
        {
            PrefetchedAccess.Remember(Context, found.UserId, slug, found.Access);
        }

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
