using System.Text.RegularExpressions;
using Chorus.Features.Campaigns.Templates;
using Chorus.Infrastructure.Http;

namespace Chorus.Features.Campaigns;

/// <summary>Rules every message a campaign sends must follow; shared by script saving, canned responses and launch.</summary>
public static partial class ScriptRules
{
    /// <summary>Template errors as problems, with the field they are in and their line and column.</summary>
    public static IEnumerable<Problem> TemplateProblems(string text, string field, IReadOnlyCollection<string> customFields) =>
        MessageTemplate.Parse(text, customFields).Errors.Select(e => new Problem(e.Message, field, e.Line, e.Column))
            .Concat(UnsafeLinkProblems(text, field));

    /// <summary>
    /// Links that are not http(s) (javascript:, vbscript:, data:, file:): refused wherever a campaign's message is saved,
    /// since links in sent messages become tracked redirects (Features/Links) and a phone may open these. Prose such as
    /// "our data: 5 GB" is not a data: URL and passes.
    /// </summary>
    public static IEnumerable<Problem> UnsafeLinkProblems(string text, string field) =>
        UnsafeLink().Matches(text).Select(m => m.Groups["scheme"].Value.ToLowerInvariant()).Distinct(StringComparer.Ordinal)
            .Select(scheme => new Problem($"'{scheme}:' links are not allowed: only http:// and https:// links can be sent.", field));

    /// <summary>
    /// Whether a message already tells people how to opt out. Only unambiguous words count ("STOP", "unsubscribe",
    /// "opt out"); "end" or "quit" appear in ordinary sentences.
    /// </summary>
    public static bool HasOptOutInstruction(string message) => OptOutInstruction().IsMatch(message);

    /// <summary>Carriers expect the sender to be identified: the organization's name, or the {orgName} field.</summary>
    public static bool IdentifiesOrganization(string template, string organizationName) =>
        template.Contains("{" + MergeFields.OrgName, StringComparison.OrdinalIgnoreCase)
        || template.Contains(organizationName, StringComparison.CurrentCultureIgnoreCase);

    /// <summary>
    /// The initial message as sent: with the organization's opt-out language on a line of its own when the campaign
    /// requires it and the message lacks an instruction. A new line, not ". ", so a link at the end stays intact.
    /// </summary>
    public static string WithOptOutLanguage(string message, bool required, string optOutLanguage) =>
        !required || HasOptOutInstruction(message) || string.IsNullOrWhiteSpace(optOutLanguage)
            ? message
            : $"{message.TrimEnd()}\n{optOutLanguage.Trim()}";

    [GeneratedRegex(@"\b(?<scheme>javascript|vbscript|livescript):|\b(?<scheme>data):(?:[a-z]+/[a-z0-9.+-]+)?[;,]|\b(?<scheme>file):/", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex UnsafeLink();

    [GeneratedRegex(@"\b(STOP|STOPALL|UNSUBSCRIBE|OPT[\s-]?OUT)\b", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex OptOutInstruction();
}
