using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Campaigns;

public static class ListCampaigns
{
    public sealed record Item(Guid Id, string Title, CampaignStatus Status, DateTime CreatedUtc, DateTime UpdatedUtc, DateTime? LaunchedUtc);

    public static Task<List<Item>> ExecuteAsync(CampaignStatus? status, AppDbContext db, CancellationToken ct)
    {
        var campaigns = db.Campaigns.AsNoTracking();
        if (status is { } s)
        {
            campaigns = campaigns.Where(c => c.Status == s);
        }

        return campaigns.OrderByDescending(c => c.CreatedUtc)
            .Select(c => new Item(c.Id, c.Title, c.Status, c.CreatedUtc, c.UpdatedUtc, c.LaunchedUtc))
            .ToListAsync(ct);
    }

    public static Task<List<Item>> HandleAsync(CampaignStatus? status, AppDbContext db, CancellationToken ct) => ExecuteAsync(status, db, ct);
}
