using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Analytics.Exports;

/// <summary>
/// The texters' e-mail addresses an export names, read as pages mention them (an organization has few texters, a
/// campaign many contacts), so even people who have since left the organization are named.
/// </summary>
internal sealed class TexterNames(AppDbContext db)
{
    private readonly Dictionary<Guid, string> _names = [];

    public async Task LoadAsync(IEnumerable<Guid?> userIds, CancellationToken ct)
    {
        var missing = userIds.OfType<Guid>().Where(id => !_names.ContainsKey(id)).Distinct().ToList();
        if (missing.Count == 0)
        {
            return;
        }

        foreach (var user in await db.Users.AsNoTracking().Where(u => missing.Contains(u.Id)).Select(u => new { u.Id, u.Email }).ToListAsync(ct))
        {
            _names[user.Id] = user.Email ?? "";
        }

        foreach (var id in missing.Where(id => !_names.ContainsKey(id)))
        {
            _names[id] = id.ToString("D");
        }
    }

    public string Name(Guid? userId) => userId is { } id && _names.TryGetValue(id, out var name) ? name : "";
}
