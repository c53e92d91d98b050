using System.Text;
using Chorus.Features.Messaging;
using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Analytics.Exports;

/// <summary>
/// Every message, in and out, of one campaign or of the whole organization: when, which way, who sent it, where it
/// got to and the provider's error code if it failed. Pages by message id (version 7, so roughly oldest first).
/// </summary>
public static class MessagesExport
{
    public static readonly IReadOnlyList<string> Header =
    [
        "message_id", "created_utc", "direction", "kind", "campaign_id", "contact_id", "phone", "our_number", "texter",
        "status", "error_code", "error_message", "body", "segments", "carrier", "provider", "provider_message_id",
    ];

    public static Task<int> CountAsync(AppDbContext db, Guid? campaignId, CancellationToken ct) => Scope(db, campaignId).CountAsync(ct);

    private sealed record Row(
        Guid Id, DateTime CreatedUtc, MessageDirection Direction, MessageKind Kind, Guid? CampaignId, Guid? ContactId, string Phone,
        string? OurNumber, Guid? TexterUserId, MessageStatus Status, int? ErrorCode, string? ErrorMessage, string Body, int Segments,
        string? Carrier, string Provider, string? ProviderMessageId);

    public static async Task WriteAsync(AppDbContext db, Guid? campaignId, CsvSink sink, CancellationToken ct)
    {
        await sink.HeaderAsync(Header);
        var texters = new TexterNames(db);
        Guid? after = null;
        while (true)
        {
            var messages = Scope(db, campaignId);
            if (after is { } last)
            {
                messages = messages.Where(m => m.Id.CompareTo(last) > 0);
            }

            var page = await messages.OrderBy(m => m.Id).Take(sink.PageSize)
                .Select(m => new Row(m.Id, m.CreatedUtc, m.Direction, m.Kind, m.CampaignId, m.ContactId, m.Phone, m.OurNumber, m.TexterUserId,
                    m.Status, m.ErrorCode, m.ErrorMessage, m.Body, m.Segments, m.Carrier, m.Provider, m.ProviderMessageId))
                .ToListAsync(ct);
            if (page.Count == 0)
            {
                break;
            }

            await texters.LoadAsync(page.Select(m => m.TexterUserId), ct);
            foreach (var m in page)
            {
                sink.Value(m.Id).Value(m.CreatedUtc).Value(Kebab(m.Direction.ToString())).Value(Kebab(m.Kind.ToString()))
                    .Value(m.CampaignId).Value(m.ContactId).Phone(m.Phone).Phone(m.OurNumber).Text(texters.Name(m.TexterUserId))
                    .Value(Kebab(m.Status.ToString())).Value(m.ErrorCode).Text(m.ErrorMessage).Text(m.Body).Value(m.Segments)
                    .Text(m.Carrier).Value(m.Provider).Text(m.ProviderMessageId);
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

    private static IQueryable<Message> Scope(AppDbContext db, Guid? campaignId) =>
        campaignId is { } id ? db.Messages.AsNoTracking().Where(m => m.CampaignId == id) : db.Messages.AsNoTracking();

    /// <summary>NeedsReview → needs-review.</summary>
    public static string Kebab(string name)
    {
        var builder = new StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            if (char.IsUpper(c) && builder.Length > 0)
            {
                builder.Append('-');
            }

            builder.Append(char.ToLowerInvariant(c));
        }

        return builder.ToString();
    }
}
