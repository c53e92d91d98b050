namespace Chorus.Features.Messaging.Simulator;

/// <summary>
/// What simulated contacts text back: the kinds of replies campaigns actually get, so the inbox, the opt-out matcher and
/// the texters' canned responses meet realistic input in a demo. Opt-outs come in the spellings people really use,
/// including ones a naive exact-match on "STOP" misses and Spanish ones (DOMAIN.md §2.2).
/// </summary>
public static class SimulatedReplies
{
    public static IReadOnlyList<string> OptOuts { get; } =
    [
        "STOP",
        "stop",
        "Stop",
        "Stop.",
        "STOP ALL",
        "unsubscribe",
        "stop texting me",
        "Alto",
        "ALTO",
        "Parar",
    ];

    public static IReadOnlyList<string> Others { get; } =
    [
        // Questions
        "Who is this?",
        "How did you get my number?",
        "Where do I vote?",
        "When is early voting?",
        "Can I vote by mail?",
        // Support
        "Yes! Count me in",
        "Already voted 🗳️",
        "Yes",
        "Sure, what do you need?",
        // Hostility
        "Leave me alone",
        "I'm voting for the other guy",
        // Wrong number
        "Wrong number",
        "This isn't Ana",
        // Spanish
        "¿Quién es?",
        "¿Dónde voto?",
    ];

    /// <summary>Picks a reply: an opt-out with probability <paramref name="optOutShare"/>, otherwise anything else.</summary>
    internal static string Pick(Random random, double optOutShare)
    {
        var bank = random.NextDouble() < optOutShare ? OptOuts : Others;
        return bank[random.Next(bank.Count)];
    }
}
