namespace Chorus.Features.Contacts.Uploads.Parsing;

/// <param name="Ordinal">Zero-based position of the column in the file.</param>
/// <param name="Header">The header as written in the file.</param>
/// <param name="Field">What the column holds.</param>
/// <param name="CustomFieldKey">The merge-field name for a <see cref="ContactField.Custom"/> column, else null.</param>
/// <param name="IsExplicit">Chosen by the person uploading rather than guessed from the header.</param>
public sealed record MappedColumn(int Ordinal, string Header, ContactField Field, string? CustomFieldKey, bool IsExplicit);
