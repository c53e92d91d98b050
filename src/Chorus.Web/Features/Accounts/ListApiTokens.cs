using System.Security.Claims;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Accounts;

public static class ListApiTokens
{
    public sealed record Item(Guid Id, string Name, string Hint, DateTime CreatedUtc, DateTime? LastUsedUtc, DateTime? RevokedUtc);

    public static Task<List<Item>> ExecuteAsync(Guid userId, AppDbContext db, CancellationToken ct) =>
        db.ApiTokens.AsNoTracking()
            .Where(t => t.UserId == userId)
            .OrderByDescending(t => t.CreatedUtc)
            .Select(t => new Item(t.Id, t.Name, t.Hint, t.CreatedUtc, t.LastUsedUtc, t.RevokedUtc))
            .ToListAsync(ct);

    public static async Task<List<Item>> HandleAsync(ClaimsPrincipal user, AppDbContext db, CancellationToken ct) =>
        await ExecuteAsync(user.UserId(), db, ct);
}
