using System.Globalization;
using System.Text.Json;
using Chorus.Features.Contacts;
using Chorus.Features.Messaging;

namespace Chorus.Features.Analytics.Counters;

/// <summary>
/// The keys a campaign's statistics are counted under, and the keys one row (a message, a contact, a survey answer)
/// counts under in its current state: a change moves the row from its old keys to its new ones. Free text (a carrier, a
/// tag, an answer) always comes last in a key, so a '|' inside it cannot shift the fields before it.
/// </summary>
public static class CounterKeys
{
    /// <summary>Present once the campaign's counters are complete (written at creation, or by a rebuild).</summary>
    public const string Complete = "v1";

    public const string Contacts = "contacts";
    public const string Replied = "replied";
    public const string OptedOut = "opted_out";

    public const string MessagePrefix = "m|";
    public const string HourPrefix = "h|";
    public const string AnsweredPrefix = "rt|";
    public const string TagPrefix = "tag|";
    public const string SurveyPrefix = "s|";

    /// <summary>
    /// The status a counter keeps: the dispatcher's claim turns Queued into Sending in one set-based statement that no
    /// change tracker sees, so both count as Queued (both are "pending" in every figure).
    /// </summary>
    public static MessageStatus Counted(MessageStatus status) => status == MessageStatus.Sending ? MessageStatus.Queued : status;

    /// <summary>The message facts the statistics read.</summary>
    public readonly record struct MessageFacts(
        MessageDirection Direction, MessageKind Kind, MessageStatus Status, int? ErrorCode, string? Carrier, Guid? TexterUserId,
        bool HasTrackedLink, int Segments, DateTime CreatedUtc, Guid? ContactId, double? ResponseSeconds);

    public static IEnumerable<(string Key, long Count, long Segments)> ForMessage(MessageFacts m)
    {
        var status = Counted(m.Status);
        yield return (Message(m.Direction, m.Kind, status, m.ErrorCode, m.TexterUserId, m.HasTrackedLink, m.Carrier), 1, m.Segments);
        if (m.Kind == MessageKind.Initial || m.Direction == MessageDirection.Inbound)
        {
            yield return (Hour(m.CreatedUtc, m.Direction, status), 1, 0);
        }

        if (m.Direction == MessageDirection.Inbound && m.ContactId is not null && m.TexterUserId is { } texter && m.ResponseSeconds is not null)
        {
            yield return (AnsweredPrefix + texter.ToString("N"), 1, 0);
        }
    }

    public static string Message(MessageDirection direction, MessageKind kind, MessageStatus status, int? errorCode, Guid? texterUserId, bool hasTrackedLink, string? carrier) =>
        string.Create(CultureInfo.InvariantCulture,
            $"{MessagePrefix}{(int)direction}|{(int)kind}|{(int)Counted(status)}|{errorCode}|{texterUserId:N}|{(hasTrackedLink ? 1 : 0)}|{carrier}");

    public static string Hour(DateTime createdUtc, MessageDirection direction, MessageStatus status) =>
        string.Create(CultureInfo.InvariantCulture, $"{HourPrefix}{createdUtc:yyyyMMddHH}|{(int)direction}|{(int)Counted(status)}");

    /// <summary>The contact facts the statistics read.</summary>
    public readonly record struct ContactFacts(ConversationStatus Status, DateTime? LastMessageUtc, DateTime? LastInboundUtc, string Tags);

    public static IEnumerable<(string Key, long Count, long Segments)> ForContact(ContactFacts c)
    {
        yield return (Contacts, 1, 0);
        if (c.LastInboundUtc is not null)
        {
            yield return (Replied, 1, 0);
        }

        if (c.Status == ConversationStatus.OptedOut && c.LastMessageUtc is not null)
        {
            yield return (OptedOut, 1, 0);
        }

        if (c.Status != ConversationStatus.NotContacted && c.Tags != "[]")
        {
            foreach (var tag in TagNames(c.Tags))
            {
                yield return (TagPrefix + tag, 1, 0);
            }
        }
    }

    public static IEnumerable<string> TagNames(string tags) =>
        (JsonSerializer.Deserialize<List<string>>(tags) ?? []).Distinct(StringComparer.Ordinal);

    public static string Survey(Guid stepId, string answer) => $"{SurveyPrefix}{stepId:N}|{answer}";

    /// <summary>A message key's fields.</summary>
    public readonly record struct MessageKey(MessageDirection Direction, MessageKind Kind, MessageStatus Status, int? ErrorCode, Guid? TexterUserId, bool HasTrackedLink, string? Carrier);

    public static MessageKey ParseMessage(string key)
    {
        var f = key[MessagePrefix.Length..].Split('|', 7);
        return new MessageKey(
            (MessageDirection)int.Parse(f[0], CultureInfo.InvariantCulture),
            (MessageKind)int.Parse(f[1], CultureInfo.InvariantCulture),
            (MessageStatus)int.Parse(f[2], CultureInfo.InvariantCulture),
            f[3].Length == 0 ? null : int.Parse(f[3], CultureInfo.InvariantCulture),
            f[4].Length == 0 ? null : Guid.ParseExact(f[4], "N"),
            f[5] == "1",
            f[6].Length == 0 ? null : f[6]);
    }

    public static (DateTime Hour, MessageDirection Direction, MessageStatus Status) ParseHour(string key)
    {
        var f = key[HourPrefix.Length..].Split('|', 3);
        return (DateTime.SpecifyKind(DateTime.ParseExact(f[0], "yyyyMMddHH", CultureInfo.InvariantCulture), DateTimeKind.Utc),
            (MessageDirection)int.Parse(f[1], CultureInfo.InvariantCulture), (MessageStatus)int.Parse(f[2], CultureInfo.InvariantCulture));
    }

    public static (Guid StepId, string Answer) ParseSurvey(string key)
    {
        var f = key[SurveyPrefix.Length..].Split('|', 2);
        return (Guid.ParseExact(f[0], "N"), f[1]);
    }
}
