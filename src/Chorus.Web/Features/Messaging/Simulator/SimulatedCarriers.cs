namespace Chorus.Features.Messaging.Simulator;

/// <summary>
/// The carrier a simulated number belongs to, as Twilio reports it in the <c>Carrier</c> field. It is a pure function of
/// the number (not of <c>string.GetHashCode</c>, which differs between runs), so a number keeps its carrier across
/// messages and restarts; the mix is roughly the US market's.
/// </summary>
public static class SimulatedCarriers
{
    private static readonly (string Name, int Weight)[] Carriers =
    [
        ("Verizon Wireless", 35),
        ("AT&T Wireless", 32),
        ("T-Mobile USA", 29),
        ("US Cellular", 4),
    ];

    private static readonly int TotalWeight = Carriers.Sum(c => c.Weight);

    public static string For(string phoneE164)
    {
        // FNV-1a over the characters: stable, and spreads numbers that differ only in their last digit.
        var hash = 2166136261u;
        foreach (var c in phoneE164)
        {
            hash = unchecked((hash ^ c) * 16777619u);
        }

        var slot = (int)(hash % (uint)TotalWeight);
        foreach (var (name, weight) in Carriers)
        {
            if (slot < weight)
            {
                return name;
            }

            slot -= weight;
        }

        return Carriers[0].Name;
    }
}
