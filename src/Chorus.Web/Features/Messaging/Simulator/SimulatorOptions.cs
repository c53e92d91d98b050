using System.ComponentModel.DataAnnotations;

namespace Chorus.Features.Messaging.Simulator;

/// <summary>
/// How the built-in SMS simulator behaves, bound from <c>Chorus:Simulator</c>. Shares are probabilities in [0, 1],
/// drawn independently for each message; the defaults are roughly what a political texting campaign sees.
/// </summary>
public sealed class SimulatorOptions : IValidatableObject
{
    public const string Section = "Chorus:Simulator";

    /// <summary>The simulator's own sending number, used when neither the message nor the account names one.</summary>
    public const string DefaultNumber = "+12025550100";

    /// <summary>Time between each step of an outbound message: accepted → sent → delivered (or undelivered).</summary>
    public TimeSpan StatusDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Share of messages the "carrier" does not deliver (callback <c>undelivered</c>, 30003/30005/30006/30007).</summary>
    [Range(0.0, 1.0)]
    public double UndeliveredShare { get; set; } = 0.04;

    /// <summary>Share of messages that never leave the "provider" (callback <c>failed</c>, 30008 or 30001).</summary>
    [Range(0.0, 1.0)]
    public double FailedShare { get; set; } = 0.01;

    /// <summary>Share of delivered messages the voter answers.</summary>
    [Range(0.0, 1.0)]
    public double ReplyShare { get; set; } = 0.3;

    /// <summary>Shortest time between delivery and the voter's reply.</summary>
    public TimeSpan ReplyDelayMin { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Longest time between delivery and the voter's reply.</summary>
    public TimeSpan ReplyDelayMax { get; set; } = TimeSpan.FromSeconds(45);

    /// <summary>Share of replies that are opt-outs (STOP, unsubscribe, ALTO …, in several spellings).</summary>
    [Range(0.0, 1.0)]
    public double OptOutShare { get; set; } = 0.1;

    /// <summary>Seeds the simulator's randomness (outcomes, replies, message sids) so runs repeat exactly; null: random.</summary>
    public int? Seed { get; set; }

    /// <summary>How many accepted messages the simulator remembers for <c>LookupAsync</c>; the oldest are forgotten first.</summary>
    [Range(1, 10_000_000)]
    public int RememberedMessages { get; set; } = 100_000;

    /// <summary>
    /// Whether a background loop posts due webhooks every 200 ms (on by default). Tests that drive the network
    /// themselves with <see cref="SimulatorNetwork.RunDueAsync"/> may turn it off.
    /// </summary>
    public bool RunInBackground { get; set; } = true;

    /// <summary>
    /// Refuse sends with 21610 after a contact texts a single-word STOP, as Twilio does. Off by default: Chorus sends
    /// its own one confirmation on the simulator (it answers no keyword itself), and that confirmation must get through.
    /// </summary>
    public bool BlockAfterStop { get; set; }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (StatusDelay < TimeSpan.Zero)
        {
            yield return new ValidationResult("StatusDelay must not be negative.", [nameof(StatusDelay)]);
        }

        if (ReplyDelayMin < TimeSpan.Zero || ReplyDelayMax < ReplyDelayMin)
        {
            yield return new ValidationResult("ReplyDelayMin must be at least zero and at most ReplyDelayMax.", [nameof(ReplyDelayMin), nameof(ReplyDelayMax)]);
        }

        if (UndeliveredShare + FailedShare > 1.0)
        {
            yield return new ValidationResult("UndeliveredShare and FailedShare together must not exceed 1.", [nameof(UndeliveredShare), nameof(FailedShare)]);
        }
    }
}
