using System.Text.Json;
using Chorus.Features.Campaigns;
using Chorus.Features.Campaigns.Templates;
using Chorus.Features.Contacts;

namespace Chorus.Features.Texting;

/// <summary>A campaign's initial message, parsed once, rendered for each contact exactly as it will be sent.</summary>
public sealed class InitialMessage
{
    private readonly MessageTemplate? _template;
    private readonly bool _requireOptOut;
    private readonly string _optOutLanguage;
    private readonly string _organizationName;
    private readonly string _texterFirstName;

    public InitialMessage(Campaign campaign, string organizationName, string optOutLanguage, string texterDisplayName)
    {
        var parsed = MessageTemplate.Parse(campaign.InitialMessage, campaign.CustomFields);
        _template = parsed.IsValid ? parsed.Template : null;
        _requireOptOut = campaign.RequireOptOutLanguage;
        _optOutLanguage = optOutLanguage;
        _organizationName = organizationName;
        _texterFirstName = texterDisplayName.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? "";
    }

    /// <summary>False when the script has errors (a launched campaign's never does: launch checks it).</summary>
    public bool IsValid => _template is not null;

    public string Render(Contact contact)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        foreach (var (key, value) in JsonSerializer.Deserialize<Dictionary<string, string?>>(contact.CustomFields) ?? [])
        {
            values[key] = value;
        }

        values[MergeFields.FirstName] = contact.FirstName;
        values[MergeFields.LastName] = contact.LastName;
        values[MergeFields.Zip] = contact.Zip;
        values[MergeFields.OrgName] = _organizationName;
        values[MergeFields.TexterFirstName] = _texterFirstName;
        return ScriptRules.WithOptOutLanguage(_template!.Render(values), _requireOptOut, _optOutLanguage);
    }
}
