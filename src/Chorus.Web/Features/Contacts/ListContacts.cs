using System.ComponentModel.DataAnnotations;
using System.Text.Json;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Contacts;

public static class ListContacts
{
    public const int MaxPageSize = 500;

    public sealed record Item(Guid Id, string Phone, string FirstName, string LastName, string Zip, string ExternalId,
        IReadOnlyDictionary<string, string> CustomFields, IReadOnlyList<string> TimeZones, string? State);

    public sealed record Response(List<Item> Items, int Page, int PageSize, int Total);

    public static async Task<Response?> ExecuteAsync(Guid campaignId, int page, int pageSize, AppDbContext db, CancellationToken ct)
    {
        if (!await db.Campaigns.AnyAsync(c => c.Id == campaignId, ct))
        {
            return null;
        }

        page = Math.Max(1, page);
        pageSize = Math.Clamp(pageSize, 1, MaxPageSize);
        var contacts = db.Contacts.AsNoTracking().Where(c => c.CampaignId == campaignId);
        var total = await contacts.CountAsync(ct);
        var rows = await contacts.OrderBy(c => c.Id).Skip((page - 1) * pageSize).Take(pageSize).ToListAsync(ct);
        return new Response(
            [.. rows.Select(c => new Item(c.Id, c.PhoneE164, c.FirstName, c.LastName, c.Zip, c.ExternalId,
                JsonSerializer.Deserialize<Dictionary<string, string>>(c.CustomFields) ?? [], c.TimeZones.Split(','), c.State))],
            page, pageSize, total);
    }

    public static async Task<Results<Ok<Response>, ProblemHttpResult>> HandleAsync(
        Guid campaignId, [Range(1, int.MaxValue)] int? page, [Range(1, MaxPageSize)] int? pageSize, AppDbContext db, CancellationToken ct) =>
        await ExecuteAsync(campaignId, page ?? 1, pageSize ?? 50, db, ct) is { } response ? TypedResults.Ok(response) : Failure.NotFound("The campaign").ToProblem();
}
