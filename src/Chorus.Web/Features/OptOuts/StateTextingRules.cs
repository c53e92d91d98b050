namespace Chorus.Features.OptOuts;

/// <summary>
/// Hours a state allows, in the contact's local time. Start inclusive, End exclusive, never crossing midnight; a
/// state rule is open when any of its windows is open on that calendar day.
/// </summary>
public sealed record StateWindow(TextingDays Days, TimeOnly Start, TimeOnly End)
{
    public bool Contains(DateTime localTime)
    {
        var time = TimeOnly.FromDateTime(localTime);
        return Days.Includes(localTime.DayOfWeek) && time >= Start && time < End;
    }
}

/// <param name="State">USPS code, upper case ("FL").</param>
/// <param name="Windows">When texts may go out; outside every window the state is closed.</param>
/// <param name="PresumesResidenceFromAreaCode">
/// The statute presumes that a number with the state's area code belongs to a resident (Florida, Oklahoma), so the
/// rule applies to such numbers even when the ZIP code says the contact lives elsewhere.
/// </param>
/// <param name="Source">The statute and where DOMAIN.md records it.</param>
public sealed record StateTextingRule(
    string State,
    IReadOnlyList<StateWindow> Windows,
    bool PresumesResidenceFromAreaCode,
    string Source)
{
    public bool Contains(DateTime localTime) => Windows.Any(w => w.Contains(localTime));
}

/// <summary>
/// A table of state texting-hour rules, kept as data (DOMAIN.md decision 1, §2.4). The effective window for a contact
/// is the campaign's hours intersected with the rule of every state that applies to them.
/// </summary>
public sealed class StateTextingRules
{
    private static readonly TimeOnly Eight = new(8, 0);
    private static readonly TimeOnly Nine = new(9, 0);
    private static readonly TimeOnly Ten = new(10, 0);
    private static readonly TimeOnly Noon = new(12, 0);
    private static readonly TimeOnly FivePm = new(17, 0);
    private static readonly TimeOnly SixPm = new(18, 0);
    private static readonly TimeOnly EightPm = new(20, 0);
    private static readonly TimeOnly NinePm = new(21, 0);

    // DOMAIN.md decision 1: the table every campaign gets. These four statutes set 8 a.m.–8 p.m. and either cover
    // political texts (Maryland, unless the sender is an exempt nonprofit) or are close enough that we follow them.
    private static readonly StateTextingRule[] DefaultRules =
    [
        Daily("FL", Eight, EightPm, areaCodePresumption: true, "Florida Telephone Solicitation Act, Fla. Stat. §501.059 and §501.616(6)(a); area-code residency presumption (DOMAIN.md §2.4, §7)"),
        Daily("OK", Eight, EightPm, areaCodePresumption: true, "Oklahoma Telephone Solicitation Act, 15 O.S. §775C; rebuttable presumption that an Oklahoma area code is an Oklahoma resident (DOMAIN.md §2.4)"),
        Daily("MD", Eight, EightPm, areaCodePresumption: false, "Maryland Stop the Spam Calls Act, Md. Com. Law §14-4501 ff. (DOMAIN.md §2.4)"),
        Daily("WA", Eight, EightPm, areaCodePresumption: false, "RCW 80.36.390 (DOMAIN.md §2.4)"),
    ];

    // DOMAIN.md §2.4 "Others": commercial telemarketing hours from a secondary chart, for campaigns that opt in.
    // Holiday bans (AL, LA, PA) are not modelled: they would need a holiday calendar per state.
    private static readonly StateTextingRule[] OtherRules =
    [
        Daily("AL", Eight, EightPm, false, "Alabama telemarketing hours, no Sundays (DOMAIN.md §2.4, secondary chart)", TextingDays.Everyday & ~TextingDays.Sunday),
        Daily("CT", Nine, EightPm, false, "Connecticut telemarketing hours (DOMAIN.md §2.4, secondary chart)"),
        Daily("KY", Ten, NinePm, false, "Kentucky telemarketing hours (DOMAIN.md §2.4, secondary chart)"),
        Daily("LA", Eight, EightPm, false, "Louisiana telemarketing hours, no Sundays (DOMAIN.md §2.4, secondary chart)", TextingDays.Everyday & ~TextingDays.Sunday),
        Daily("MA", Eight, EightPm, false, "Massachusetts telemarketing hours (DOMAIN.md §2.4, secondary chart)"),
        Daily("MI", Nine, NinePm, false, "Michigan telemarketing hours (DOMAIN.md §2.4, secondary chart)"),
        Daily("MN", Nine, NinePm, false, "Minnesota telemarketing hours (DOMAIN.md §2.4, secondary chart)"),
        Daily("MS", Eight, EightPm, false, "Mississippi telemarketing hours, no Sundays (DOMAIN.md §2.4, secondary chart)", TextingDays.Everyday & ~TextingDays.Sunday),
        Daily("NM", Nine, NinePm, false, "New Mexico telemarketing hours (DOMAIN.md §2.4, secondary chart)"),
        Daily("NV", Nine, EightPm, false, "Nevada telemarketing hours (DOMAIN.md §2.4, secondary chart)"),
        new("RI", [new(TextingDays.Weekdays, Nine, SixPm), new(TextingDays.Weekends, Ten, FivePm)], false,
            "Rhode Island telemarketing hours: 9–6 weekdays, 10–5 weekends (DOMAIN.md §2.4, secondary chart)"),
        new("TX", [new(TextingDays.Everyday & ~TextingDays.Sunday, Nine, NinePm), new(TextingDays.Sunday, Noon, NinePm)], false,
            "Texas telemarketing hours: 9–9 Monday to Saturday, noon–9 Sunday (DOMAIN.md §2.4, secondary chart)"),
    ];

    private readonly Dictionary<string, StateTextingRule> _byState = new(StringComparer.OrdinalIgnoreCase);

    public StateTextingRules(IEnumerable<StateTextingRule> rules)
    {
        foreach (var rule in rules)
        {
            if (rule.Windows.Count == 0 || rule.Windows.Any(w => w.Start >= w.End))
            {
                throw new ArgumentException($"The rule for {rule.State} needs windows that start before they end, within one day.", nameof(rules));
            }

            if (!_byState.TryAdd(rule.State, rule))
            {
                throw new ArgumentException($"{rule.State} appears twice.", nameof(rules));
            }
        }
    }

    /// <summary>FL, OK, MD and WA, 08:00–20:00 every day (DOMAIN.md decision 1). Florida contacts get 09:00–20:00 under the default campaign hours.</summary>
    public static StateTextingRules Default { get; } = new(DefaultRules);

    /// <summary>The default table plus the stricter commercial-telemarketing hours of DOMAIN.md §2.4, for campaigns that opt in.</summary>
    public static StateTextingRules Extended { get; } = new([.. DefaultRules, .. OtherRules]);

    public IReadOnlyCollection<StateTextingRule> Rules => _byState.Values;

    public StateTextingRule? For(string? state) =>
        state is not null && _byState.TryGetValue(state.Trim(), out var rule) ? rule : null;

    /// <summary>
    /// The rules for a contact: their state of residence (the ZIP code's, else the area code's), plus the area
    /// code's state when that state presumes residence from its area codes. A Texas ZIP code with a 405 number is
    /// held to Oklahoma's hours too, because Oklahoma would presume the contact is an Oklahoman.
    /// </summary>
    public IReadOnlyList<StateTextingRule> ApplicableTo(string? zipState, string? areaCodeState)
    {
        var rules = new List<StateTextingRule>(2);
        if (For(zipState ?? areaCodeState) is { } residence)
        {
            rules.Add(residence);
        }

        if (For(areaCodeState) is { PresumesResidenceFromAreaCode: true } presumed && !rules.Contains(presumed))
        {
            rules.Add(presumed);
        }

        return rules;
    }

    private static StateTextingRule Daily(string state, TimeOnly start, TimeOnly end, bool areaCodePresumption, string source, TextingDays days = TextingDays.Everyday) =>
        new(state, [new StateWindow(days, start, end)], areaCodePresumption, source);
}
