using System.Text;
using System.Text.RegularExpressions;

namespace Chorus.Features.Campaigns.Pages;

/// <summary>Turns the field paths in the campaign slices' problems ("question.answers[0].message") into words.</summary>
public static partial class ProblemFields
{
    public enum Section
    {
        Details,
        Script,
        TextingHours,
        CannedResponses,
    }

    public static string Describe(string? field)
    {
        switch (field)
        {
            case null or "":
                return "Campaign";
            case "initialMessage":
                return "Initial message";
            case "requireOptOutLanguage":
                return "Opt-out language";
            case "title":
                return "Title";
            case "description":
                return "Description";
            case "talkingPoints":
                return "Talking points";
            case "textingHours":
                return "Texting hours";
            case "textingHours.start":
                return "Texting hours: start";
            case "textingHours.end":
                return "Texting hours: end";
            case "textingHours.days":
                return "Texting hours: days";
        }

        if (!field.StartsWith("question", StringComparison.Ordinal))
        {
            return field;
        }

        var words = new StringBuilder("Survey question");
        foreach (Match part in PathPart().Matches(field["question".Length..]))
        {
            words.Append(" › ").Append(part.Groups["answer"].Success
                ? $"answer {int.Parse(part.Groups["answer"].Value, System.Globalization.CultureInfo.InvariantCulture) + 1}"
                : part.Groups["name"].Value switch
                {
                    "question" => "follow-up question",
                    "message" => "follow-up message",
                    "value" => "answer text",
                    "text" => "question text",
                    "answers" => "answers",
                    var other => other,
                });
        }

        return words.ToString();
    }

    public static Section SectionOf(string? field) => field switch
    {
        "initialMessage" => Section.Script,
        _ when field?.StartsWith("question", StringComparison.Ordinal) == true => Section.Script,
        _ when field?.StartsWith("textingHours", StringComparison.Ordinal) == true || field == "requireOptOutLanguage" => Section.TextingHours,
        _ => Section.Details,
    };

    [GeneratedRegex(@"\.answers\[(?<answer>\d+)\]|\.(?<name>[A-Za-z]+)")]
    private static partial Regex PathPart();
}
