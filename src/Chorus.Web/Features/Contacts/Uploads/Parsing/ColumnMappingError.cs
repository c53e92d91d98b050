namespace Chorus.Features.Contacts.Uploads.Parsing;

public enum ColumnMappingErrorCode
{
    /// <summary>The explicit mapping isn't a JSON object of strings.</summary>
    InvalidJson,

    /// <summary>The explicit mapping names a column the file doesn't have.</summary>
    UnknownColumn,

    /// <summary>The explicit mapping names a column that appears more than once in the header.</summary>
    AmbiguousColumn,

    /// <summary>The explicit mapping names a field that doesn't exist.</summary>
    UnknownField,

    /// <summary>A "custom:name" mapping whose name can't be a merge field.</summary>
    InvalidCustomFieldKey,

    /// <summary>Two columns were mapped to a field a contact has only one of.</summary>
    FieldMappedTwice,

    /// <summary>No column holds phone numbers.</summary>
    NoPhoneColumn,
}

/// <param name="Code">What kind of problem, for code that reacts to it.</param>
/// <param name="Message">A sentence for the person uploading, naming the column and the fix.</param>
/// <param name="Column">The column (or mapping key) the problem is about, when there is one.</param>
public sealed record ColumnMappingError(ColumnMappingErrorCode Code, string Message, string? Column = null);
