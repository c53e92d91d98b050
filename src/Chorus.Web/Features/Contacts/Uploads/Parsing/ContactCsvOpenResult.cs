namespace Chorus.Features.Contacts.Uploads.Parsing;

/// <summary>
/// The outcome of opening an upload. On success <see cref="Reader"/> is set and owned by the caller. Otherwise
/// <see cref="FileError"/> or <see cref="MappingErrors"/> say why; <see cref="Headers"/> and <see cref="Mapping"/>
/// are still filled in when the header row could be read, so the page can show the guessed mapping next to the errors.
/// </summary>
public sealed record ContactCsvOpenResult(
    ContactCsvReader? Reader,
    IReadOnlyList<string> Headers,
    ColumnMapping? Mapping,
    CsvFileError? FileError,
    IReadOnlyList<ColumnMappingError> MappingErrors)
{
    public bool Succeeded => Reader is not null;
}
