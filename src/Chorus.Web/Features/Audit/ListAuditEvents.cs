using System.ComponentModel.DataAnnotations;
using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Audit;

public static class ListAuditEvents
{
    public const int MaxPageSize = 500;

    public sealed record Query(string? Action, DateTime? FromUtc, DateTime? ToUtc, int Page = 1, int PageSize = 50);

    public sealed record Item(Guid Id, long Sequence, DateTime OccurredUtc, Guid? ActorUserId, string Actor, string Action, string Subject, string Data, string Hash);

    public sealed record Response(List<Item> Items, int Page, int PageSize, int Total);

    public static async Task<Response> ExecuteAsync(Query query, AppDbContext db, CancellationToken ct)
    {
        var page = Math.Max(1, query.Page);
        var pageSize = Math.Clamp(query.PageSize, 1, MaxPageSize);
        var events = db.AuditEvents.AsNoTracking();
        if (!string.IsNullOrWhiteSpace(query.Action))
        {
            var action = query.Action.Trim();
            // "member" matches every member.* action; "member.removed" matches just that one.
            events = events.Where(e => e.Action == action || e.Action.StartsWith(action + "."));
        }

        if (query.FromUtc is { } from)
        {
            var fromUtc = DateTime.SpecifyKind(from, DateTimeKind.Utc);
            events = events.Where(e => e.OccurredUtc >= fromUtc);
        }

        if (query.ToUtc is { } to)
        {
            var toUtc = DateTime.SpecifyKind(to, DateTimeKind.Utc);
            events = events.Where(e => e.OccurredUtc < toUtc);
        }

        var total = await events.CountAsync(ct);
        var items = await events.OrderByDescending(e => e.Sequence)
            .Skip((page - 1) * pageSize).Take(pageSize)
            .Select(e => new Item(e.Id, e.Sequence, e.OccurredUtc, e.ActorUserId, e.Actor, e.Action, e.Subject, e.Data, e.Hash))
            .ToListAsync(ct);
        return new Response(items, page, pageSize, total);
    }

    public static Task<Response> HandleAsync(
        string? action, DateTime? fromUtc, DateTime? toUtc, [Range(1, int.MaxValue)] int? page, [Range(1, MaxPageSize)] int? pageSize,
        AppDbContext db, CancellationToken ct) =>
        ExecuteAsync(new Query(action, fromUtc, toUtc, page ?? 1, pageSize ?? 50), db, ct);
}
