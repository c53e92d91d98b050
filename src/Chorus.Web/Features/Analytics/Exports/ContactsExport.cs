using System.Text.Json;
using Chorus.Features.Campaigns;
using Chorus.Features.Contacts;
using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Analytics.Exports;

/// <summary>
/// A campaign's contacts, one row each: who they are, their custom fields (one column per field the campaign
/// carries, in upload order), where the conversation stands, their texter and tags, one column per survey question
/// (the recorded answer) and when they opted out, if they did. Pages by contact id.
/// </summary>
public static class ContactsExport
{
    public static readonly IReadOnlyList<string> FixedColumns =
        ["contact_id", "external_id", "first_name", "last_name", "phone", "zip", "state", "time_zone"];

    public static readonly IReadOnlyList<string> StatusColumns = ["status", "texter", "tags"];

    public static IReadOnlyList<string> Header(IReadOnlyList<string> customFields, IReadOnlyList<ScriptQuestion> questions) =>
        [.. FixedColumns, .. customFields, .. StatusColumns, .. questions.Select(q => q.Text), "opted_out_utc", .. LinkColumns];

    /// <summary>Real clicks on the contact's tracked links (bots and link previews not counted) and when the first was (Features/Links).</summary>
    public static readonly IReadOnlyList<string> LinkColumns = ["link_clicks", "first_click_utc"];

    public static Task<int> CountAsync(AppDbContext db, Guid campaignId, CancellationToken ct) =>
        db.Contacts.AsNoTracking().CountAsync(c => c.CampaignId == campaignId, ct);

    private sealed record Row(
        Guid Id, string ExternalId, string FirstName, string LastName, string PhoneE164, string Zip, string? State, string TimeZones,
        string CustomFields, ConversationStatus Status, Guid? TexterUserId, string Tags, DateTime? OptedOutUtc);

    public static async Task WriteAsync(AppDbContext db, Guid campaignId, CsvSink sink, CancellationToken ct)
    {
        var campaign = await db.Campaigns.AsNoTracking().Where(c => c.Id == campaignId)
            .Select(c => new { c.CustomFields, c.QuestionJson }).FirstAsync(ct);
        var questions = ScriptQuestion.FromJson(campaign.QuestionJson)?.Flatten().ToList() ?? [];
        await sink.HeaderAsync(Header(campaign.CustomFields, questions));

        var texters = new TexterNames(db);
        Guid? after = null;
        while (true)
        {
            var contacts = db.Contacts.AsNoTracking().Where(c => c.CampaignId == campaignId);
            if (after is { } last)
            {
                contacts = contacts.Where(c => c.Id.CompareTo(last) > 0);
            }

            var page = await contacts.OrderBy(c => c.Id).Take(sink.PageSize)
                .Select(c => new Row(c.Id, c.ExternalId, c.FirstName, c.LastName, c.PhoneE164, c.Zip, c.State, c.TimeZones,
                    c.CustomFields, c.ConversationStatus, c.TexterUserId, c.Tags,
                    db.OptOuts.Where(o => o.PhoneE164 == c.PhoneE164).Select(o => (DateTime?)o.CreatedUtc).FirstOrDefault()))
                .ToListAsync(ct);
            if (page.Count == 0)
            {
                break;
            }

            // The page's answers by its id range, not by a list of thousands of ids (which SQLite reads through a
            // JSON parameter, slower than the range on the (CampaignId, ContactId) order); opt-outs come with the page.
            var (first, lastId) = (page[0].Id, page[^1].Id);
            var answers = questions.Count == 0
                ? []
                : (await db.SurveyResponses.AsNoTracking()
                    .Where(r => r.CampaignId == campaignId && r.ContactId.CompareTo(first) >= 0 && r.ContactId.CompareTo(lastId) <= 0)
                    .Select(r => new { r.ContactId, r.StepId, r.Answer }).ToListAsync(ct))
                    .ToDictionary(r => (r.ContactId, r.StepId), r => r.Answer);
            var clicks = (await db.LinkClicks.AsNoTracking()
                    .Where(c => c.CampaignId == campaignId && !c.IsBot && c.ContactId.CompareTo(first) >= 0 && c.ContactId.CompareTo(lastId) <= 0)
                    .GroupBy(c => c.ContactId).Select(g => new { ContactId = g.Key, Count = g.Count(), First = g.Min(c => c.ClickedUtc) }).ToListAsync(ct))
                .ToDictionary(c => c.ContactId);
            await texters.LoadAsync(page.Select(c => c.TexterUserId), ct);

            foreach (var contact in page)
            {
                sink.Value(contact.Id).Text(contact.ExternalId).Text(contact.FirstName).Text(contact.LastName)
                    .Phone(contact.PhoneE164).Text(contact.Zip).Text(contact.State).Value(contact.TimeZones);
                var custom = CustomValues(contact.CustomFields);
                foreach (var field in campaign.CustomFields)
                {
                    sink.Text(custom.GetValueOrDefault(field));
                }

                sink.Value(StatusName(contact.Status)).Text(texters.Name(contact.TexterUserId)).Text(TagList(contact.Tags));
                foreach (var question in questions)
                {
                    sink.Text(answers.GetValueOrDefault((contact.Id, question.Id)));
                }

                sink.Value(contact.OptedOutUtc);
                var clicked = clicks.GetValueOrDefault(contact.Id);
                sink.Value(clicked?.Count ?? 0).Value(clicked?.First);
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

    /// <summary>needs-response, opted-out…: the words the conversations API filters by.</summary>
    public static string StatusName(ConversationStatus status) => status switch
    {
        ConversationStatus.NotContacted => "not-contacted",
        ConversationStatus.Messaged => "messaged",
        ConversationStatus.NeedsResponse => "needs-response",
        ConversationStatus.Responded => "responded",
        ConversationStatus.OptedOut => "opted-out",
        _ => "closed",
    };

    private static Dictionary<string, string?> CustomValues(string json)
    {
        try
        {
            var values = JsonSerializer.Deserialize<Dictionary<string, string?>>(json);
            return values is null ? [] : new Dictionary<string, string?>(values, StringComparer.OrdinalIgnoreCase);
        }
        catch (JsonException)
        {
            return [];
        }
    }

    /// <summary>Tags as "a; b" in one cell, since a tag may hold a comma.</summary>
    private static string TagList(string json)
    {
        try
        {
            return string.Join("; ", JsonSerializer.Deserialize<List<string>>(json) ?? []);
        }
        catch (JsonException)
        {
            return "";
        }
    }
}
