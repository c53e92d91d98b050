namespace Chorus.Features.Analytics.Exports;

/// <summary>The names the API and the UI use for each <see cref="ExportKind"/>.</summary>
public static class ExportKinds
{
    public static readonly IReadOnlyList<string> Names = ["contacts", "messages", "opt-outs", "audit"];

    public static string Name(ExportKind kind) => kind switch
    {
        ExportKind.Contacts => "contacts",
        ExportKind.Messages => "messages",
        ExportKind.OptOuts => "opt-outs",
        _ => "audit",
    };

    public static ExportKind? Parse(string? name) => name?.Trim().ToLowerInvariant() switch
    {
        "contacts" => ExportKind.Contacts,
        "messages" => ExportKind.Messages,
        "opt-outs" or "optouts" => ExportKind.OptOuts,
        "audit" => ExportKind.Audit,
        _ => null,
    };

    public static string Title(ExportKind kind) => kind switch
    {
        ExportKind.Contacts => "Contacts",
        ExportKind.Messages => "Messages",
        ExportKind.OptOuts => "Opt-outs",
        _ => "Audit log",
    };
}
