using System.Buffers;
using System.Text;

namespace Chorus.Features.Campaigns.Templates;

// One pass over the text that compiles it into flat parts and, instead of stopping at the first problem,
// records every error and carries on, so the editor can show them all at once.
internal sealed class TemplateParser
{
    private const int MaxSuggestionDistance = 2;

    private static readonly SearchValues<char> NameCharacters =
        SearchValues.Create("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_");

    private readonly string _text;
    private readonly Dictionary<string, string> _canonicalNames = new(StringComparer.OrdinalIgnoreCase);
    private readonly List<string> _knownNames = [];
    private readonly List<TemplateError> _errors = [];
    private readonly List<TemplatePart> _parts = [];
    private readonly StringBuilder _literals = new();
    private readonly Dictionary<string, int> _fieldIndexes = new(StringComparer.Ordinal);
    private readonly List<FieldUse> _fieldUses = [];
    private readonly List<OpenConditional> _open = [];
    private List<int>? _lineStarts;

    // Parts before this index belong to a closed conditional block: text after the block must start a new part.
    private int _blockEnd;

    private TemplateParser(string text, IReadOnlyCollection<string> customFields)
    {
        _text = text;
        foreach (var name in MergeFields.BuiltIn.Concat(customFields))
        {
            // A custom field whose name can't be written in a template can't be referenced, nor suggested.
            if (MergeFields.IsValidName(name) && _canonicalNames.TryAdd(name, name))
            {
                _knownNames.Add(name);
            }
        }
    }

    private enum TagKind
    {
        Print,
        Open,
        Close,
    }

    public static TemplateParseResult Parse(string text, IReadOnlyCollection<string> customFields)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(customFields);
        return new TemplateParser(text, customFields).Run();
    }

    private TemplateParseResult Run()
    {
        var i = 0;
        var literalFrom = 0;
        while (i < _text.Length)
        {
            var c = _text[i];
            if (c is not ('{' or '}'))
            {
                i++;
                continue;
            }

            AppendLiteral(_text.AsSpan(literalFrom, i - literalFrom));
            if (Peek(i + 1) == c)
            {
                AppendLiteral(_text.AsSpan(i, 1));
                i += 2;
            }
            else if (c == '{')
            {
                i = ParseTag(i);
            }
            else
            {
                AddError(i, 1, TemplateErrorKind.StrayClosingBrace,
                    $$$"""Unexpected } at {{{Where(i)}}}: write }} for a literal brace.""");
                i++;
            }

            literalFrom = i;
        }

        AppendLiteral(_text.AsSpan(literalFrom));
        foreach (var open in _open)
        {
            AddError(open.Index, open.Length, TemplateErrorKind.UnclosedConditional,
                $$"""{?{{open.Name}}} at {{Where(open.Index)}} is never closed: add {/{{open.Name}}} where its text ends.""");
        }

        if (_errors.Count > 0)
        {
            return TemplateParseResult.Failure([.. _errors.OrderBy(e => e.Index)]);
        }

        var fields = _fieldUses.Select((use, index) => new TemplateField(
            use.Name,
            index,
            IsRequired: use.Required,
            AlwaysHasFallback: use.Printed > 0 && use.PrintedWithFallback == use.Printed,
            OnlyInsideConditionals: !use.UsedOutsideConditionals)).ToArray();
        return TemplateParseResult.Success(new MessageTemplate(_text, [.. _parts], _literals.ToString(), fields));
    }

    // Parses the tag whose { is at start and returns where scanning resumes.
    private int ParseTag(int start)
    {
        var end = start + 1;
        var pipe = -1;
        var forbidden = -1;
        var depth = 0;
        for (; end < _text.Length; end++)
        {
            var c = _text[end];
            if (c is '\n' or '\r' || (c == '}' && depth == 0))
            {
                break;
            }

            if (c == '}')
            {
                depth--;
            }
            else if (c == '{')
            {
                if (pipe < 0)
                {
                    // A new tag starts before this one closed: report this one, then parse that one.
                    return Unclosed(start, resumeAt: end);
                }

                // Inside a fallback: skip to the brace that balances it, so {firstName|{lastName}} is one error.
                forbidden = forbidden < 0 ? end : forbidden;
                depth++;
            }
            else if (c == '|')
            {
                if (pipe < 0)
                {
                    pipe = end;
                }
                else
                {
                    forbidden = forbidden < 0 ? end : forbidden;
                }
            }
        }

        if (end >= _text.Length || _text[end] != '}')
        {
            return Unclosed(start, resumeAt: forbidden >= 0 ? end : start + 1);
        }

        var length = end - start + 1;
        var kind = Peek(start + 1) switch
        {
            '?' => TagKind.Open,
            '/' => TagKind.Close,
            _ => TagKind.Print,
        };
        var nameStart = kind == TagKind.Print ? start + 1 : start + 2;
        var name = _text[nameStart..(pipe >= 0 ? pipe : end)];
        var sigil = kind switch
        {
            TagKind.Open => "?",
            TagKind.Close => "/",
            _ => "",
        };
        var tag = _text.Substring(start, length);

        var valid = true;
        if (pipe >= 0 && kind != TagKind.Print)
        {
            valid = false;
            AddError(start, length, TemplateErrorKind.FallbackNotAllowed, kind == TagKind.Open
                ? $$"""{{tag}} at {{Where(start)}} can't have a fallback: a conditional shows its text only when the field has a value."""
                : $$"""{{tag}} at {{Where(start)}} can't have a fallback: write {/{{name}}}.""");
        }

        if (forbidden >= 0)
        {
            valid = false;
            AddError(start, length, TemplateErrorKind.InvalidFallback,
                $$"""The fallback in {{tag}} at {{Where(start)}} contains '{{_text[forbidden]}}': fallbacks can't contain {, } or |.""");
        }

        if (!CheckName(name, sigil, tag, start, length))
        {
            return end + 1;
        }

        if (kind == TagKind.Close)
        {
            Close(name, start, length);
            return end + 1;
        }

        if (!_canonicalNames.TryGetValue(name, out var canonical))
        {
            var suggestion = Suggest(name);
            AddError(start, length, TemplateErrorKind.UnknownField, suggestion is not null
                ? $$"""Unknown merge field {{{sigil}}{{name}}} at {{Where(start)}}. Did you mean {{{sigil}}{{suggestion}}}?"""
                : $$"""Unknown merge field {{{sigil}}{{name}}} at {{Where(start)}}. Known fields: {{KnownNamesForMessage()}}.""");
            valid = false;
        }

        if (kind == TagKind.Open)
        {
            var field = valid ? Use(canonical!) : -1;
            _open.Add(new OpenConditional(canonical ?? name, field, start, length, _parts.Count));
            if (valid)
            {
                _parts.Add(new TemplatePart(TemplatePartKind.IfPresent, field, 0, 0, Jump: -1));
            }
        }
        else if (valid)
        {
            var field = Use(canonical!);
            var use = _fieldUses[field];
            use.Printed++;
            if (pipe >= 0)
            {
                use.PrintedWithFallback++;
                var fallback = _text.AsSpan(pipe + 1, end - pipe - 1);
                var fallbackStart = _literals.Length;
                _literals.Append(fallback);
                _parts.Add(new TemplatePart(TemplatePartKind.Field, field, fallbackStart, fallback.Length, 0));
            }
            else
            {
                use.Required |= !_open.Exists(o => o.Field == field);
                _parts.Add(new TemplatePart(TemplatePartKind.Field, field, 0, -1, 0));
            }
        }

        return end + 1;
    }

    private bool CheckName(string name, string sigil, string tag, int start, int length)
    {
        if (name.Length == 0)
        {
            AddError(start, length, TemplateErrorKind.EmptyFieldName,
                $$"""Merge field {{tag}} at {{Where(start)}} has no name: write one, like {{{sigil}}firstName}.""");
            return false;
        }

        if (!char.IsAsciiLetter(name[0]))
        {
            AddError(start, length, TemplateErrorKind.InvalidFieldName,
                $$"""Merge field {{tag}} at {{Where(start)}} must start with a letter.""");
            return false;
        }

        var invalid = name.AsSpan().IndexOfAnyExcept(NameCharacters);
        if (invalid >= 0)
        {
            var shown = name[invalid] == ' ' ? "a space" : $"'{name[invalid]}'";
            AddError(start, length, TemplateErrorKind.InvalidFieldName,
                $$"""Merge field {{tag}} at {{Where(start)}} has {{shown}} in its name: names use only letters, digits and _.""");
            return false;
        }

        return true;
    }

    private void Close(string name, int start, int length)
    {
        var match = _open.FindLastIndex(o => string.Equals(o.Name, name, StringComparison.OrdinalIgnoreCase));
        if (match < 0)
        {
            AddError(start, length, TemplateErrorKind.UnmatchedClosingTag,
                $$"""{/{{name}}} at {{Where(start)}} has no matching {?{{name}}} before it.""");
            return;
        }

        if (match < _open.Count - 1)
        {
            var inner = _open[^1];
            AddError(start, length, TemplateErrorKind.MismatchedConditional,
                $$"""{/{{name}}} at {{Where(start)}} closes {?{{_open[match].Name}}}, but {?{{inner.Name}}} (at {{Where(inner.Index)}}) inside it is still open: add {/{{inner.Name}}} first.""");
        }

        // Close the matched block and, after a mismatch, the ones left open inside it, so one crossed
        // pair is reported once rather than again at the end.
        for (var i = _open.Count - 1; i >= match; i--)
        {
            var open = _open[i];
            if (open.Field >= 0)
            {
                _parts[open.Part] = _parts[open.Part] with { Jump = _parts.Count };
            }

            _open.RemoveAt(i);
        }

        _blockEnd = _parts.Count;
    }

    private int Unclosed(int start, int resumeAt)
    {
        AddError(start, 1, TemplateErrorKind.UnclosedBrace,
            $$$"""Unclosed { at {{{Where(start)}}}: end the merge field with } on the same line, or write {{ for a literal brace.""");
        return resumeAt;
    }

    private int Use(string canonical)
    {
        if (!_fieldIndexes.TryGetValue(canonical, out var index))
        {
            index = _fieldUses.Count;
            _fieldIndexes.Add(canonical, index);
            _fieldUses.Add(new FieldUse(canonical));
        }

        _fieldUses[index].UsedOutsideConditionals |= _open.Count == 0;
        return index;
    }

    private void AppendLiteral(ReadOnlySpan<char> text)
    {
        if (text.IsEmpty)
        {
            return;
        }

        if (_parts.Count > _blockEnd && _parts[^1] is { Kind: TemplatePartKind.Literal } last && last.Start + last.Length == _literals.Length)
        {
            _parts[^1] = last with { Length = last.Length + text.Length };
        }
        else
        {
            _parts.Add(new TemplatePart(TemplatePartKind.Literal, 0, _literals.Length, text.Length, 0));
        }

        _literals.Append(text);
    }

    private char Peek(int index) => index < _text.Length ? _text[index] : '\0';

    private void AddError(int index, int length, TemplateErrorKind kind, string message)
    {
        var (line, column) = Position(index);
        _errors.Add(new TemplateError(index, line, column, length, message, kind));
    }

    private string Where(int index)
    {
        var (line, column) = Position(index);
        return $"line {line}, column {column}";
    }

    private (int Line, int Column) Position(int index)
    {
        if (_lineStarts is null)
        {
            _lineStarts = [0];
            for (var i = 0; i < _text.Length; i++)
            {
                if (_text[i] == '\n' || (_text[i] == '\r' && Peek(i + 1) != '\n'))
                {
                    _lineStarts.Add(i + 1);
                }
            }
        }

        var found = _lineStarts.BinarySearch(index);
        var line = found >= 0 ? found : ~found - 1;
        return (line + 1, index - _lineStarts[line] + 1);
    }

    private string KnownNamesForMessage()
    {
        const int Shown = 12;
        var names = string.Join(", ", _knownNames.Take(Shown));
        return _knownNames.Count > Shown ? $"{names} and {_knownNames.Count - Shown} more" : names;
    }

    // The closest known name by edit distance (an adjacent swap is one edit; case is ignored). Failing that,
    // a known name that what was typed abbreviates ({first} or {fname} → firstName, {texterName} →
    // texterFirstName) or extends ({zipCode} → zip).
    private string? Suggest(string name)
    {
        var limit = name.Length switch
        {
            <= 2 => 0,
            <= 4 => 1,
            _ => MaxSuggestionDistance,
        };
        var closest = _knownNames.MinBy(known => EditDistance(name, known));
        if (closest is not null && EditDistance(name, closest) <= limit)
        {
            return closest;
        }

        return _knownNames
            .Where(known => (name.Length >= 3 && known.StartsWith(name, StringComparison.OrdinalIgnoreCase))
                || (name.Length >= 5 && IsSubsequence(name, known))
                || (known.Length >= 3 && name.StartsWith(known, StringComparison.OrdinalIgnoreCase)))
            .MinBy(known => EditDistance(name, known));
    }

    private static bool IsSubsequence(string shorter, string longer)
    {
        var matched = 0;
        foreach (var c in longer)
        {
            if (matched < shorter.Length && char.ToUpperInvariant(shorter[matched]) == char.ToUpperInvariant(c))
            {
                matched++;
            }
        }

        return matched == shorter.Length;
    }

    // Optimal string alignment distance, case-insensitive.
    private static int EditDistance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }

        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }

        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = char.ToUpperInvariant(a[i - 1]) == char.ToUpperInvariant(b[j - 1]) ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1
                    && char.ToUpperInvariant(a[i - 1]) == char.ToUpperInvariant(b[j - 2])
                    && char.ToUpperInvariant(a[i - 2]) == char.ToUpperInvariant(b[j - 1]))
                {
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
                }
            }
        }

        return d[a.Length, b.Length];
    }

    private sealed class FieldUse(string name)
    {
        public string Name { get; } = name;

        public int Printed { get; set; }

        public int PrintedWithFallback { get; set; }

        public bool Required { get; set; }

        public bool UsedOutsideConditionals { get; set; }
    }

    private sealed record OpenConditional(string Name, int Field, int Index, int Length, int Part);
}
