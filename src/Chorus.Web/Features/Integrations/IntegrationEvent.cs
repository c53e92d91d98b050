using System.Text.Json;

namespace Chorus.Features.Integrations;

/// <summary>The contact an event is about, as integrations need it (CRM ids live in <see cref="ExternalId"/> and custom fields).</summary>
public sealed record EventContact(
    Guid Id, Guid CampaignId, string Phone, string FirstName, string LastName, string Zip, string ExternalId,
    IReadOnlyDictionary<string, string> CustomFields, Guid? TexterUserId);

/// <summary>
/// Something that happened in Chorus that another system may want: read from the organization's audit log (so an
/// event exists exactly when its change was committed, and none is lost between the two), enriched with the contact
/// it concerns. <see cref="Sequence"/> orders an organization's events; <see cref="Id"/> identifies one for good.
/// </summary>
public sealed record IntegrationEvent(
    Guid Id, string Kind, long Sequence, DateTime OccurredUtc, string Actor, Guid? CampaignId, string? Phone, EventContact? Contact, JsonElement Data)
{
    /// <summary>A voter's text arrived. Data: messageId, body, from, to.</summary>
    public const string MessageReceived = "message.received";

    /// <summary>A number joined the organization's opt-out list. Data: source, reason. Contact: the latest contact with that number, if any.</summary>
    public const string OptedOut = "contact.opted_out";

    /// <summary>A number left the opt-out list (START, or an admin). Data: source.</summary>
    public const string OptedIn = "contact.opted_in";

    /// <summary>A texter recorded a survey answer. Data: stepId, question, answer.</summary>
    public const string SurveyAnswered = "survey.answered";

    /// <summary>Tags were added to a conversation. Data: added (the new ones), tags (all of them now).</summary>
    public const string Tagged = "contact.tagged";

    /// <summary>A texter escalated a conversation to supervisors. Data: reason.</summary>
    public const string Escalated = "conversation.escalated";

    public static readonly IReadOnlyList<string> All = [MessageReceived, OptedOut, OptedIn, SurveyAnswered, Tagged, Escalated];
}
