using System.Diagnostics.CodeAnalysis;

namespace Chorus.Features.Campaigns.Templates;

/// <summary>Either a compiled template or every error found in its text, never both.</summary>
public sealed class TemplateParseResult
{
    private TemplateParseResult(MessageTemplate? template, IReadOnlyList<TemplateError> errors)
    {
        Template = template;
        Errors = errors;
    }

    public MessageTemplate? Template { get; }

    /// <summary>All problems, in text order; empty when <see cref="IsValid"/>.</summary>
    public IReadOnlyList<TemplateError> Errors { get; }

    [MemberNotNullWhen(true, nameof(Template))]
    public bool IsValid => Template is not null;

    internal static TemplateParseResult Success(MessageTemplate template) => new(template, []);

    internal static TemplateParseResult Failure(IReadOnlyList<TemplateError> errors) => new(null, errors);
}
