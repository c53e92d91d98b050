using System.Text.Json;
using Chorus.Features.Contacts;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;

namespace Chorus.Features.Texting;

/// <summary>
/// Which conversations a list, a review screen or a bulk reassignment is about. One definition, so "reassign all that
/// match" moves exactly the conversations the supervisor was looking at.
/// </summary>
/// <param name="CampaignId">One campaign's conversations.</param>
/// <param name="Status">needs-response, open, closed or opted-out.</param>
/// <param name="TexterId">One texter's conversations.</param>
/// <param name="Tag">Conversations carrying this tag.</param>
/// <param name="Escalated">Only escalated ones (true) or only the others (false).</param>
/// <param name="Q">Words in a name, a phone number or any message of the conversation (case-insensitive on names).</param>
/// <param name="From">Conversations with a message at or after this time (UTC).</param>
/// <param name="To">Conversations whose last message is before this time (UTC).</param>
public sealed record ConversationFilter(
    Guid? CampaignId = null, string? Status = null, Guid? TexterId = null, string? Tag = null, string? Q = null, bool? Escalated = null,
    DateTime? From = null, DateTime? To = null)
{
    public const int MaxSearchLength = 100;

    public Outcome<IQueryable<Contact>> Apply(IQueryable<Contact> query, AppDbContext db)
    {
        if (Conversations.StatusFilter(Status) is { } statuses)
        {
            if (statuses.Length == 0)
            {
                return Failure.Invalid("status is one of needs-response, open, closed, opted-out.", "status");
            }

            query = query.Where(c => statuses.Contains(c.ConversationStatus));
        }

        if (Q is { Length: > MaxSearchLength })
        {
            return Failure.Invalid($"Search for at most {MaxSearchLength} characters.", "q");
        }

        if (From is { } f && To is { } t && f >= t)
        {
            return Failure.Invalid("from must be before to.", "from");
        }

        if (CampaignId is { } campaign)
        {
            query = query.Where(c => c.CampaignId == campaign);
        }

        if (TexterId is { } texter)
        {
            query = query.Where(c => c.TexterUserId == texter);
        }

        if (Escalated is { } escalated)
        {
            query = query.Where(c => c.Escalated == escalated);
        }

        if (!string.IsNullOrWhiteSpace(Tag))
        {
            var quoted = JsonSerializer.Serialize(Tag.Trim());
            query = query.Where(c => c.Tags.Contains(quoted));
        }

        if (From is { } from)
        {
            var utc = DateTime.SpecifyKind(from, DateTimeKind.Utc);
            query = query.Where(c => c.LastMessageUtc >= utc);
        }

        if (To is { } to)
        {
            var utc = DateTime.SpecifyKind(to, DateTimeKind.Utc);
            query = query.Where(c => c.LastMessageUtc < utc);
        }

        if (!string.IsNullOrWhiteSpace(Q))
        {
            // Names, numbers and what was said. A LIKE scan: fine for one organization's conversations; a real
            // full-text index (FTS5 / tsvector) is the next step if review screens over millions of messages get slow.
            var text = Q.Trim();
            var lower = text.ToLowerInvariant();
            // These run as SQL lower(…) on both databases; culture and comparison overloads don't translate.
#pragma warning disable CA1304, CA1311, CA1862
            query = query.Where(c => c.FirstName.ToLower().Contains(lower) || c.LastName.ToLower().Contains(lower) || c.PhoneE164.Contains(text)
                || db.Messages.Any(m => m.ContactId == c.Id && m.Body.ToLower().Contains(lower)));
#pragma warning restore CA1304, CA1311, CA1862
        }

        return OutcomeResults.Success(query);
    }
}
