namespace Chorus.Features.Campaigns.Templates;

/// <summary>A merge field a compiled template uses, and how, for launch validation and for building value arrays.</summary>
/// <param name="Name">The canonical spelling (the built-in's, or the custom field's as the campaign defines it).</param>
/// <param name="Index">Where <see cref="MessageTemplate.Render(ReadOnlySpan{string})"/> expects this field's value.</param>
/// <param name="IsRequired">
/// A blank value would leave a gap: the field is printed somewhere without a fallback and outside a
/// <c>{?field}</c> block testing this same field. Launch validation checks every contact has a non-blank value
/// for each required field (<see cref="MessageTemplate.MissingFields(ReadOnlySpan{string})"/>).
/// </param>
/// <param name="AlwaysHasFallback">The field is printed at least once, and every time with a fallback.</param>
/// <param name="OnlyInsideConditionals">Every use, printed or tested, sits inside some <c>{?…}</c> block or is that block's own test.</param>
public sealed record TemplateField(string Name, int Index, bool IsRequired, bool AlwaysHasFallback, bool OnlyInsideConditionals);
