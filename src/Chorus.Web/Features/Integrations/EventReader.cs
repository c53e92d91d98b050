using System.Text.Json;
using System.Text.Json.Nodes;
using Chorus.Features.Audit;
using Chorus.Features.Campaigns;
using Chorus.Features.Contacts;
using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Integrations;

/// <summary>
/// Turns audit entries into <see cref="IntegrationEvent"/>s: which actions are events, and the contact, message and
/// question each one concerns, loaded once per page of entries.
/// </summary>
public static class EventReader
{
    private static readonly Dictionary<string, string> Kinds = new(StringComparer.Ordinal)
    {
        ["message.received"] = IntegrationEvent.MessageReceived,
        ["opt_out.added"] = IntegrationEvent.OptedOut,
        ["opt_out.removed"] = IntegrationEvent.OptedIn,
        ["survey.answered"] = IntegrationEvent.SurveyAnswered,
        ["conversation.tagged"] = IntegrationEvent.Tagged,
        ["conversation.escalated"] = IntegrationEvent.Escalated,
    };

    /// <summary>The audit actions that are events, for the feed's query.</summary>
    public static IReadOnlyCollection<string> Actions => Kinds.Keys;

    public static async Task<List<IntegrationEvent>> ReadAsync(AppDbContext db, Guid organizationId, IReadOnlyList<AuditEvent> entries, CancellationToken ct)
    {
        var relevant = entries.Where(e => Kinds.ContainsKey(e.Action)).ToList();
        if (relevant.Count == 0)
        {
            return [];
        }

        var messageIds = relevant.Select(e => IdOf(e.Subject, "message:")).OfType<Guid>().Distinct().ToList();
        var messages = messageIds.Count == 0 ? [] : await db.Messages.IgnoreQueryFilters().AsNoTracking()
            .Where(m => m.OrganizationId == organizationId && messageIds.Contains(m.Id))
            .Select(m => new { m.Id, m.ContactId, m.CampaignId, m.Body, m.Phone, m.OurNumber })
            .ToDictionaryAsync(m => m.Id, ct);
        var contactIds = relevant.Select(e => IdOf(e.Subject, "contact:")).OfType<Guid>()
            .Concat(messages.Values.Select(m => m.ContactId).OfType<Guid>()).Distinct().ToList();
        var phones = relevant.Select(e => e.Subject.StartsWith("phone:", StringComparison.Ordinal) ? e.Subject["phone:".Length..] : null).OfType<string>().Distinct().ToList();
        // Two look-ups, each on its own index (the key; the phone): one query with "ids OR phones" lets the database
        // fall back to reading every contact of the organization, and so would an indexable organization term.
        var contacts = contactIds.Count == 0 ? [] : await db.Contacts.IgnoreQueryFilters().AsNoTracking()
            .Where(c => c.OrganizationId == organizationId && contactIds.Contains(c.Id)).ToListAsync(ct);
        if (phones.Count > 0)
        {
            contacts.AddRange(await db.Contacts.IgnoreQueryFilters().AsNoTracking()
                .Where(c => QueryHints.Likely(c.OrganizationId == organizationId) && phones.Contains(c.PhoneE164)).ToListAsync(ct));
        }

        contacts = [.. contacts.DistinctBy(c => c.Id)];
        var byId = contacts.ToDictionary(c => c.Id);

        // An opt-out is of a number; the contact it names is the one most recently in conversation with it.
        var byPhone = contacts.GroupBy(c => c.PhoneE164, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.OrderByDescending(c => c.LastMessageUtc ?? DateTime.MinValue).ThenByDescending(c => c.CreatedUtc).First(), StringComparer.Ordinal);
        var campaignIds = contacts.Select(c => c.CampaignId).Distinct().ToList();
        var questions = (await db.Campaigns.IgnoreQueryFilters().AsNoTracking().Where(c => campaignIds.Contains(c.Id)).Select(c => c.QuestionJson).ToListAsync(ct))
            .SelectMany(json => ScriptQuestion.FromJson(json)?.Flatten() ?? []).ToDictionary(q => q.Id, q => q.Text);

        var events = new List<IntegrationEvent>(relevant.Count);
        foreach (var entry in relevant)
        {
            var data = JsonNode.Parse(entry.Data) as JsonObject ?? [];
            Contact? contact = null;
            string? phone = null;
            switch (entry.Action)
            {
                case "message.received":
                    if (IdOf(entry.Subject, "message:") is not { } messageId || !messages.TryGetValue(messageId, out var message))
                    {
                        continue;
                    }

                    contact = message.ContactId is { } id ? byId.GetValueOrDefault(id) : null;
                    phone = message.Phone;
                    data = new JsonObject { ["messageId"] = message.Id, ["body"] = message.Body, ["from"] = message.Phone, ["to"] = message.OurNumber };
                    break;
                case "opt_out.added" or "opt_out.removed":
                    phone = entry.Subject["phone:".Length..];
                    contact = byPhone.GetValueOrDefault(phone);
                    break;
                case "conversation.tagged":
                    contact = IdOf(entry.Subject, "contact:") is { } tagged ? byId.GetValueOrDefault(tagged) : null;
                    if (data["added"] is not JsonArray { Count: > 0 })
                    {
                        continue; // tags only removed: not an event integrations take
                    }

                    break;
                case "survey.answered":
                    contact = IdOf(entry.Subject, "contact:") is { } answered ? byId.GetValueOrDefault(answered) : null;
                    if (data["stepId"]?.GetValue<Guid>() is { } stepId)
                    {
                        data["question"] = questions.GetValueOrDefault(stepId);
                    }

                    break;
                default:
                    contact = IdOf(entry.Subject, "contact:") is { } subject ? byId.GetValueOrDefault(subject) : null;
                    break;
            }

            phone ??= contact?.PhoneE164;
            events.Add(new IntegrationEvent(entry.Id, Kinds[entry.Action], entry.Sequence, entry.OccurredUtc, entry.Actor, contact?.CampaignId, phone,
                contact is null ? null : ToEventContact(contact), JsonSerializer.SerializeToElement(data)));
        }

        return events;
    }

    public static EventContact ToEventContact(Contact c) => new(c.Id, c.CampaignId, c.PhoneE164, c.FirstName, c.LastName, c.Zip, c.ExternalId,
        JsonSerializer.Deserialize<Dictionary<string, string>>(c.CustomFields) ?? [], c.TexterUserId);

    private static Guid? IdOf(string subject, string prefix) =>
        subject.StartsWith(prefix, StringComparison.Ordinal) && Guid.TryParse(subject.AsSpan(prefix.Length), out var id) ? id : null;
}
