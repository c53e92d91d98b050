using System.ComponentModel.DataAnnotations;

namespace Chorus.Features.Integrations;

public sealed class IntegrationsOptions
{
    public const string Section = "Chorus:Integrations";

    /// <summary>Whether this instance plans and delivers integration items and does sync runs (any number may).</summary>
    public bool RunWorker { get; set; } = true;

    /// <summary>How often the worker looks for new events and due retries when nothing wakes it.</summary>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Items claimed per delivery pass.</summary>
    [Range(1, 1000)]
    public int BatchSize { get; set; } = 50;

    /// <summary>The deadline for one call to another system.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(30);
}
