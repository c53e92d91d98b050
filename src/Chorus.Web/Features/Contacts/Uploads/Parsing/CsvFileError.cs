namespace Chorus.Features.Contacts.Uploads.Parsing;

public enum CsvFileErrorCode
{
    /// <summary>No bytes, or nothing but blank lines: there is no header row.</summary>
    Empty,

    /// <summary>A workbook, PDF, archive or other binary file rather than text.</summary>
    NotCsv,

    /// <summary>The header row isn't UTF-8 text (an old "ANSI" export, or binary).</summary>
    NotUtf8,

    /// <summary>A single row is longer than the limit, usually a missing line break or an unclosed quote.</summary>
    RecordTooLong,

    /// <summary>Quotes that break RFC 4180: text after a closing quote, or a quote never closed.</summary>
    MalformedCsv,

    /// <summary>The file is larger than the upload limit.</summary>
    FileTooLarge,
}

/// <param name="Code">What went wrong, for code that reacts to it.</param>
/// <param name="Message">A sentence for the person uploading: what is wrong and how to fix the file.</param>
/// <param name="LineNumber">The 1-based physical line where the problem starts, when known.</param>
public sealed record CsvFileError(CsvFileErrorCode Code, string Message, long? LineNumber = null);
