using Chorus.Features.Campaigns.Templates;

namespace Chorus.Features.Campaigns.Pages;

/// <summary>
/// The sample contact and sender every composer on a page previews with. One instance is shared (cascaded) so
/// that editing the sample in one composer updates the previews of all of them.
/// </summary>
public sealed class MessageSample
{
    private readonly Dictionary<string, string> _custom = new(StringComparer.OrdinalIgnoreCase);

    public string FirstName { get; private set; } = "Ana";
    public string LastName { get; private set; } = "Rivera";
    public string Zip { get; private set; } = "33101";

    /// <summary>The signed-in person's first name: they are who the preview shows as the texter.</summary>
    public string TexterFirstName { get; init; } = "";

    public string OrgName { get; init; } = "";

    /// <summary>Appended to an initial message that lacks an opt-out instruction when the campaign requires one.</summary>
    public string OptOutLanguage { get; init; } = "";

    /// <summary>US dollars per SMS segment, for the cost estimate.</summary>
    public decimal PricePerSegment { get; init; }

    /// <summary>Bumped on every change, so composers know their cached preview is stale.</summary>
    public int Version { get; private set; }

    public event Action? Changed;

    public string Describe() => string.Join(" · ", new[] { $"{FirstName} {LastName}".Trim(), Zip }.Where(s => s.Length > 0));

    public string Get(string field) => field switch
    {
        MergeFields.FirstName => FirstName,
        MergeFields.LastName => LastName,
        MergeFields.Zip => Zip,
        _ => _custom.GetValueOrDefault(field, ""),
    };

    public void Set(string field, string? value)
    {
        value ??= "";
        switch (field)
        {
            case MergeFields.FirstName:
                FirstName = value;
                break;
            case MergeFields.LastName:
                LastName = value;
                break;
            case MergeFields.Zip:
                Zip = value;
                break;
            default:
                _custom[field] = value;
                break;
        }

        Version++;
        Changed?.Invoke();
    }

    /// <summary>Every merge field's sample value, as the template renders them.</summary>
    public IReadOnlyDictionary<string, string?> Values(IEnumerable<string> customFields)
    {
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase)
        {
            [MergeFields.FirstName] = FirstName,
            [MergeFields.LastName] = LastName,
            [MergeFields.Zip] = Zip,
            [MergeFields.TexterFirstName] = TexterFirstName,
            [MergeFields.OrgName] = OrgName,
        };
        foreach (var field in customFields)
        {
            values.TryAdd(field, _custom.GetValueOrDefault(field));
        }

        return values;
    }
}
