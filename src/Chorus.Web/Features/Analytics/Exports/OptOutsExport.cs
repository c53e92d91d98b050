using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Analytics.Exports;

/// <summary>The organization's opt-out list: number, how it arrived, why, who added it and when. Pages by id.</summary>
public static class OptOutsExport
{
    public static readonly IReadOnlyList<string> Header = ["phone", "source", "reason", "added_by", "opted_out_utc"];

    public static Task<int> CountAsync(AppDbContext db, CancellationToken ct) => db.OptOuts.AsNoTracking().CountAsync(ct);

    private sealed record Row(Guid Id, string PhoneE164, string Source, string? Reason, Guid? CreatedByUserId, DateTime CreatedUtc);

    public static async Task WriteAsync(AppDbContext db, CsvSink sink, CancellationToken ct)
    {
        await sink.HeaderAsync(Header);
        var people = new TexterNames(db);
        Guid? after = null;
        while (true)
        {
            var optOuts = db.OptOuts.AsNoTracking();
            if (after is { } last)
            {
                optOuts = optOuts.Where(o => o.Id.CompareTo(last) > 0);
            }

            var page = await optOuts.OrderBy(o => o.Id).Take(sink.PageSize)
                .Select(o => new Row(o.Id, o.PhoneE164, o.Source, o.Reason, o.CreatedByUserId, o.CreatedUtc))
                .ToListAsync(ct);
            if (page.Count == 0)
            {
                break;
            }

            await people.LoadAsync(page.Select(o => o.CreatedByUserId), ct);
            foreach (var o in page)
            {
                sink.Phone(o.PhoneE164).Value(o.Source).Text(o.Reason).Text(people.Name(o.CreatedByUserId)).Value(o.CreatedUtc);
                await sink.EndRowAsync();
            }

            await sink.PageWrittenAsync(page.Count, ct);
            if (page.Count < sink.PageSize)
            {
                break;
            }

            after = page[^1].Id;
        }
    }
}
