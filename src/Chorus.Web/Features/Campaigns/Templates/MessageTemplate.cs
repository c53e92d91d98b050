namespace Chorus.Features.Campaigns.Templates;

/// <summary>
/// A compiled campaign script (initial message, survey follow-up, canned response): merge fields with
/// optional fallbacks, conditionals and escaped braces; the syntax is in README.md. Parse once with
/// <see cref="Parse(string, IReadOnlyCollection{string})"/>, then render per contact. Immutable and thread-safe.
/// </summary>
/// <remarks>
/// Rendering never re-reads a value as template syntax: a contact named <c>{lastName}</c> is greeted as
/// <c>{lastName}</c>. Values are inserted as they are; a value is blank when it is null, empty or whitespace,
/// and then its fallback (or nothing) is printed.
/// </remarks>
public sealed class MessageTemplate
{
    private readonly TemplatePart[] _parts;
    private readonly string _literals;
    private readonly TemplateField[] _fields;

    internal MessageTemplate(string text, TemplatePart[] parts, string literals, TemplateField[] fields)
    {
        Text = text;
        _parts = parts;
        _literals = literals;
        _fields = fields;
    }

    /// <summary>The names every template may use without the campaign defining them (see <see cref="MergeFields"/>).</summary>
    public static IReadOnlyList<string> BuiltInFields => MergeFields.BuiltIn;

    /// <summary>The template as written.</summary>
    public string Text { get; }

    /// <summary>The fields this template uses, in order of first use; <see cref="TemplateField.Index"/> is the position in this list.</summary>
    public IReadOnlyList<TemplateField> Fields => _fields;

    /// <summary>Parses a template that may use only the built-in fields.</summary>
    public static TemplateParseResult Parse(string text) => TemplateParser.Parse(text, []);

    /// <summary>
    /// Parses and compiles <paramref name="text"/>, or reports every error in it at once. The built-in fields
    /// are always known; <paramref name="customFields"/> adds the campaign's contact fields. Names match
    /// case-insensitively and compile to their canonical spelling (built-ins first).
    /// </summary>
    public static TemplateParseResult Parse(string text, IReadOnlyCollection<string> customFields) =>
        TemplateParser.Parse(text, customFields);

    public static bool IsBlank(string? value) => string.IsNullOrWhiteSpace(value);

    /// <summary>The index of <paramref name="fieldName"/> (any case) in <see cref="Fields"/>, or -1 when this template doesn't use it.</summary>
    public int IndexOf(string fieldName)
    {
        for (var i = 0; i < _fields.Length; i++)
        {
            if (string.Equals(_fields[i].Name, fieldName, StringComparison.OrdinalIgnoreCase))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// The message for one contact. <paramref name="valuesByFieldIndex"/>[i] is the value of <see cref="Fields"/>[i];
    /// build that array once per contact (or reuse one) to render without lookups. Allocates only the result.
    /// </summary>
    public string Render(ReadOnlySpan<string?> valuesByFieldIndex)
    {
        var length = GetRenderedLength(valuesByFieldIndex);
        return length == 0
            ? string.Empty
            : string.Create(length, new RenderState(this, valuesByFieldIndex), static (destination, state) => state.Template.Write(state.Values, destination));
    }

    /// <summary>
    /// Convenience for the editor preview and one-off sends: values looked up by field name, case-insensitively
    /// whatever the dictionary's comparer; a missing name counts as blank.
    /// </summary>
    public string Render(IReadOnlyDictionary<string, string?> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var ordered = new string?[_fields.Length];
        for (var i = 0; i < _fields.Length; i++)
        {
            ordered[i] = Lookup(values, _fields[i].Name);
        }

        return Render(ordered);
    }

    /// <summary>The length <see cref="Render(ReadOnlySpan{string})"/> would return, without rendering.</summary>
    public int GetRenderedLength(ReadOnlySpan<string?> valuesByFieldIndex)
    {
        CheckValues(valuesByFieldIndex);
        var parts = _parts;
        var length = 0;
        for (var p = 0; p < parts.Length; p++)
        {
            var part = parts[p];
            switch (part.Kind)
            {
                case TemplatePartKind.Literal:
                    length += part.Length;
                    break;
                case TemplatePartKind.Field:
                    var value = valuesByFieldIndex[part.Field];
                    length += !IsBlank(value) ? value!.Length : Math.Max(part.Length, 0);
                    break;
                default:
                    if (IsBlank(valuesByFieldIndex[part.Field]))
                    {
                        p = part.Jump - 1;
                    }

                    break;
            }
        }

        return length;
    }

    /// <summary>Renders into <paramref name="destination"/> without allocating; false when it is too short.</summary>
    public bool TryRender(ReadOnlySpan<string?> valuesByFieldIndex, Span<char> destination, out int charsWritten)
    {
        var length = GetRenderedLength(valuesByFieldIndex);
        if (length > destination.Length)
        {
            charsWritten = 0;
            return false;
        }

        charsWritten = Write(valuesByFieldIndex, destination);
        return true;
    }

    /// <summary>
    /// The required fields (<see cref="TemplateField.IsRequired"/>) that are blank for this contact: launch
    /// validation's "every merge field resolvable or has a fallback". Empty (and allocation-free) when all resolve.
    /// </summary>
    public IReadOnlyList<string> MissingFields(ReadOnlySpan<string?> valuesByFieldIndex)
    {
        CheckValues(valuesByFieldIndex);
        List<string>? missing = null;
        for (var i = 0; i < _fields.Length; i++)
        {
            if (_fields[i].IsRequired && IsBlank(valuesByFieldIndex[i]))
            {
                (missing ??= []).Add(_fields[i].Name);
            }
        }

        return missing is null ? [] : missing;
    }

    public override string ToString() => Text;

    private int Write(ReadOnlySpan<string?> values, Span<char> destination)
    {
        var parts = _parts;
        var literals = _literals.AsSpan();
        var written = 0;
        for (var p = 0; p < parts.Length; p++)
        {
            var part = parts[p];
            switch (part.Kind)
            {
                case TemplatePartKind.Literal:
                    literals.Slice(part.Start, part.Length).CopyTo(destination[written..]);
                    written += part.Length;
                    break;
                case TemplatePartKind.Field:
                    var value = values[part.Field];
                    if (!IsBlank(value))
                    {
                        value.AsSpan().CopyTo(destination[written..]);
                        written += value!.Length;
                    }
                    else if (part.Length > 0)
                    {
                        literals.Slice(part.Start, part.Length).CopyTo(destination[written..]);
                        written += part.Length;
                    }

                    break;
                default:
                    if (IsBlank(values[part.Field]))
                    {
                        p = part.Jump - 1;
                    }

                    break;
            }
        }

        return written;
    }

    private void CheckValues(ReadOnlySpan<string?> valuesByFieldIndex)
    {
        if (valuesByFieldIndex.Length < _fields.Length)
        {
            throw new ArgumentException(
                $"The template uses {_fields.Length} fields but {valuesByFieldIndex.Length} values were given: pass one per MessageTemplate.Fields entry.",
                nameof(valuesByFieldIndex));
        }
    }

    private static string? Lookup(IReadOnlyDictionary<string, string?> values, string name)
    {
        if (values.TryGetValue(name, out var value))
        {
            return value;
        }

        foreach (var pair in values)
        {
            if (string.Equals(pair.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                return pair.Value;
            }
        }

        return null;
    }

    private readonly ref struct RenderState(MessageTemplate template, ReadOnlySpan<string?> values)
    {
        public MessageTemplate Template { get; } = template;

        public ReadOnlySpan<string?> Values { get; } = values;
    }
}

internal enum TemplatePartKind : byte
{
    // Start/Length: a slice of the literal text.
    Literal,

    // Field: the value's index; Start/Length: the fallback's slice, Length -1 when there is none.
    Field,

    // Field: the tested value's index; Jump: the part after the block, where rendering goes when it is blank.
    IfPresent,
}

internal readonly record struct TemplatePart(TemplatePartKind Kind, int Field, int Start, int Length, int Jump);
