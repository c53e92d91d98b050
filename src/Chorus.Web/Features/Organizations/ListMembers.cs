using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Organizations;

public static class ListMembers
{
    public sealed record Item(Guid UserId, string Email, string DisplayName, OrgRole Role, DateTime JoinedUtc);

    public static async Task<List<Item>> ExecuteAsync(AppDbContext db, CancellationToken ct)
    {
        var items = await db.Memberships.AsNoTracking()
            .Join(db.Users, m => m.UserId, u => u.Id, (m, u) => new Item(u.Id, u.Email ?? "", u.DisplayName, m.Role, m.CreatedUtc))
            .ToListAsync(ct);
        return [.. items.OrderByDescending(i => i.Role).ThenBy(i => i.DisplayName, StringComparer.CurrentCultureIgnoreCase)];
    }

    public static Task<List<Item>> HandleAsync(AppDbContext db, CancellationToken ct) => ExecuteAsync(db, ct);
}
