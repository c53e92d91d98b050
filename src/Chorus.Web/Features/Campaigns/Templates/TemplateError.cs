namespace Chorus.Features.Campaigns.Templates;

/// <summary>One problem in a template's text, with where it is, for the script editor to underline.</summary>
/// <param name="Index">UTF-16 offset of the problem in the template text.</param>
/// <param name="Line">1-based line (a line ends at <c>\n</c>, <c>\r\n</c> or <c>\r</c>).</param>
/// <param name="Column">1-based column in UTF-16 code units, as browser editors count.</param>
/// <param name="Length">UTF-16 length of the text to underline (the whole tag, or the one brace).</param>
/// <param name="Message">A sentence for the person writing the script, with the position and a fix.</param>
/// <param name="Kind">What went wrong, for code that reacts to a particular problem.</param>
public sealed record TemplateError(int Index, int Line, int Column, int Length, string Message, TemplateErrorKind Kind);

public enum TemplateErrorKind
{
    /// <summary>A well-formed name that is neither a built-in nor one of the campaign's custom fields.</summary>
    UnknownField,

    /// <summary>A <c>{</c> with no <c>}</c> on the same line.</summary>
    UnclosedBrace,

    /// <summary>A lone <c>}</c> outside a tag (a literal one is written <c>}}</c>).</summary>
    StrayClosingBrace,

    /// <summary><c>{}</c>, <c>{|friend}</c>, <c>{?}</c> or <c>{/}</c>.</summary>
    EmptyFieldName,

    /// <summary>A name with characters other than ASCII letters, digits and <c>_</c>, or not starting with a letter.</summary>
    InvalidFieldName,

    /// <summary>A fallback containing <c>{</c> or <c>|</c>.</summary>
    InvalidFallback,

    /// <summary>A fallback on <c>{?field}</c> or <c>{/field}</c>, where it means nothing.</summary>
    FallbackNotAllowed,

    /// <summary>A <c>{?field}</c> with no <c>{/field}</c>.</summary>
    UnclosedConditional,

    /// <summary>A <c>{/field}</c> that closes an outer conditional while an inner one is still open.</summary>
    MismatchedConditional,

    /// <summary>A <c>{/field}</c> with no open <c>{?field}</c>.</summary>
    UnmatchedClosingTag,
}
