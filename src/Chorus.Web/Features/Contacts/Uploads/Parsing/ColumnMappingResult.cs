namespace Chorus.Features.Contacts.Uploads.Parsing;

/// <summary>
/// A mapping and every problem found while building it. <see cref="Mapping"/> is always the best guess, so the
/// upload page can show it next to the errors; import only when <see cref="IsValid"/>.
/// </summary>
public sealed record ColumnMappingResult(ColumnMapping Mapping, IReadOnlyList<ColumnMappingError> Errors)
{
    public bool IsValid => Errors.Count == 0;
}
