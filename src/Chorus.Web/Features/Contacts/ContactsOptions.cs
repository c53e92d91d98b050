using System.ComponentModel.DataAnnotations;

namespace Chorus.Features.Contacts;

/// <summary>Bound from the <c>Contacts</c> section.</summary>
public sealed class ContactsOptions
{
    public const string Section = "Contacts";

    /// <summary>The largest CSV an upload may be, in bytes (default 1 GiB).</summary>
    [Range(1024, long.MaxValue)]
    public long MaxUploadBytes { get; set; } = 1024L * 1024 * 1024;

    /// <summary>Whether this instance runs the import worker (on by default; an instance may leave imports to others).</summary>
    public bool RunImportWorker { get; set; } = true;
}
