using System.Globalization;
using System.Text;

namespace Chorus.Features.Messaging.Keywords;

/// <summary>What an inbound reply asks for, as far as keywords tell (DOMAIN.md decisions 2–4, §2.2).</summary>
public enum KeywordKind
{
    None,

    /// <summary>The whole reply is an opt-out keyword: suppress the number at once.</summary>
    OptOut,

    /// <summary>The reply reads like an opt-out but is not a keyword: a texter or supervisor confirms with one click.</summary>
    LikelyOptOut,

    /// <summary>The whole reply is an opt-in keyword (START, UNSTOP, YES): re-subscribe after an opt-out, audited.</summary>
    OptIn,

    /// <summary>The whole reply is a help keyword (HELP, INFO): answer with the organization's help text.</summary>
    Help,
}

/// <summary>The result of <see cref="KeywordMatcher.Match"/>.</summary>
/// <param name="Kind">What the reply asks for.</param>
/// <param name="Normalized">The reply after <see cref="KeywordMatcher.Normalize"/>, for audit rows and the inbox.</param>
/// <param name="ProviderAnswers">
/// Whether Twilio's default keyword handling answers this reply itself (and, for an opt-out, blocks the number), so
/// we must not send our own confirmation or help text: a second one fails with Twilio error 21610 (DOMAIN.md
/// decision 3, §2.2). True only when the reply, trimmed of whitespace, is exactly one of Twilio's default single-word
/// keywords, ignoring case, whatever <see cref="Kind"/> is. Advanced Opt-Out keywords configured in the Twilio
/// console are not known here.
/// </param>
public sealed record KeywordMatch(KeywordKind Kind, string Normalized, bool ProviderAnswers);

/// <summary>
/// An organization's keyword lists. Entries are normalized as replies are (<see cref="KeywordMatcher.Normalize"/>),
/// blanks and duplicates dropped. The opt-out list always contains <see cref="RequiredOptOut"/>, whatever is passed:
/// those are the FCC's words (47 CFR 64.1200(a)(10)) and Twilio's defaults, which block the number at Twilio anyway.
/// </summary>
public sealed record KeywordRules(
    IReadOnlyList<string> OptOut,
    IReadOnlyList<string> OptIn,
    IReadOnlyList<string> Help,
    IReadOnlyList<string> LikelyOptOutPhrases)
{
    /// <summary>Opt-out keywords no organization can remove (DOMAIN.md decision 2, §2.2).</summary>
    public static IReadOnlyList<string> RequiredOptOut { get; } =
        ["STOP", "STOPALL", "STOP ALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT", "OPT OUT", "OPT-OUT"];

    private static readonly string[] SpanishOptOut = ["PARAR", "PARE", "ALTO", "DETENER", "CANCELAR", "BASTA", "NO MAS", "BAJA"];

    private static readonly string[] DefaultOptIn = ["START", "UNSTOP", "YES"];

    private static readonly string[] DefaultHelp = ["HELP", "INFO"];

    private static readonly string[] DefaultLikelyOptOutPhrases =
    [
        "stop texting", "stop messaging", "stop sending", "stop contacting", "stop calling", "quit texting",
        "remove me", "remove my number", "take me off", "unsubscribe", "opt me out", "wrong number",
        "no more texts", "no more messages", "dont text", "don't text", "do not text", "dont contact",
        "do not contact", "leave me alone", "lose my number", "delete my number", "not interested",
        "no me escriban", "no me escribas", "no me manden", "no me envien", "numero equivocado", "no me interesa",
        "dejen de escribir", "dejen de enviar", "borren mi numero", "quitenme de la lista",
    ];

    /// <summary>The lists of DOMAIN.md decision 2 and §2.2: English and Spanish opt-outs, Twilio's opt-in and help words.</summary>
    public static KeywordRules Default { get; } =
        new([.. RequiredOptOut, .. SpanishOptOut], DefaultOptIn, DefaultHelp, DefaultLikelyOptOutPhrases);

    private readonly KeywordList _optOut = KeywordList.From([.. RequiredOptOut, .. OptOut]);
    private readonly KeywordList _optIn = KeywordList.From(OptIn);
    private readonly KeywordList _help = KeywordList.From(Help);
    private readonly KeywordList _likelyOptOutPhrases = KeywordList.From(LikelyOptOutPhrases);

    public IReadOnlyList<string> OptOut
    {
        get => _optOut.Entries;
        init => _optOut = KeywordList.From([.. RequiredOptOut, .. value]);
    }

    public IReadOnlyList<string> OptIn
    {
        get => _optIn.Entries;
        init => _optIn = KeywordList.From(value);
    }

    public IReadOnlyList<string> Help
    {
        get => _help.Entries;
        init => _help = KeywordList.From(value);
    }

    public IReadOnlyList<string> LikelyOptOutPhrases
    {
        get => _likelyOptOutPhrases.Entries;
        init => _likelyOptOutPhrases = KeywordList.From(value);
    }

    internal KeywordList OptOutList => _optOut;

    internal KeywordList OptInList => _optIn;

    internal KeywordList HelpList => _help;

    internal KeywordList LikelyOptOutPhraseList => _likelyOptOutPhrases;

    /// <summary>
    /// Rules from an organization's settings: each argument is a comma- or newline-separated list. A setting that is
    /// null, blank or has no usable entry (only punctuation) means the default list of that kind.
    /// </summary>
    public static KeywordRules Parse(string? optOut, string? optIn, string? help, string? likelyOptOutPhrases) =>
        new(
            SplitOr(optOut, Default.OptOut),
            SplitOr(optIn, Default.OptIn),
            SplitOr(help, Default.Help),
            SplitOr(likelyOptOutPhrases, Default.LikelyOptOutPhrases));

    /// <summary>A list as comma-separated text for a settings form; <see cref="Parse"/> reads it back.</summary>
    public static string Format(IReadOnlyList<string> entries) => string.Join(", ", entries);

    private static IReadOnlyList<string> SplitOr(string? setting, IReadOnlyList<string> fallback)
    {
        if (string.IsNullOrWhiteSpace(setting))
        {
            return fallback;
        }

        var entries = setting.Split([',', '\n', '\r'], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries);
        return KeywordList.From(entries).Entries.Count == 0 ? fallback : entries;
    }
}

/// <summary>A keyword list prepared for matching: normalized entries and their word forms.</summary>
internal sealed class KeywordList
{
    private readonly HashSet<string> _entries;
    private readonly HashSet<string> _words;

    private KeywordList(List<string> entries)
    {
        Entries = entries.AsReadOnly();
        _entries = new HashSet<string>(entries, StringComparer.Ordinal);
        _words = new HashSet<string>(entries.Select(KeywordMatcher.WordsOf), StringComparer.Ordinal);
        Padded = [.. _words.Select(w => " " + w + " ")];
    }

    public IReadOnlyList<string> Entries { get; }

    /// <summary>Each entry's word form between single spaces, for whole-word searches in a padded word form.</summary>
    public IReadOnlyList<string> Padded { get; }

    public static KeywordList From(IEnumerable<string> entries) =>
        new([.. entries.Select(KeywordMatcher.Normalize).Where(e => e.Length > 0).Distinct(StringComparer.Ordinal)]);

    /// <summary>
    /// The reply is one of the entries: the same normalized text, or the same words with only punctuation between
    /// them ("Opt - out", "OPT_OUT" are OPT OUT).
    /// </summary>
    public bool IsExactly(string normalized, string words) => _entries.Contains(normalized) || _words.Contains(words);
}

/// <summary>
/// Recognizes opt-out, opt-in and help keywords in inbound replies (DOMAIN.md decisions 2–4, §2.2). Pure and
/// linear in the reply's length times the size of the lists: no regular expressions, so an untrusted 1,600-character
/// body costs microseconds.
/// </summary>
public static class KeywordMatcher
{
    // Twilio's default single-word keywords (DOMAIN.md §2.2): opt-out, opt-in, help.
    private static readonly string[] TwilioDefaultKeywords =
    [
        "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT",
        "START", "YES", "UNSTOP",
        "HELP", "INFO",
    ];

    /// <summary>
    /// The reply as keywords are compared: Unicode NFKC (fullwidth ＳＴＯＰ is STOP), diacritics removed (NO MÁS is
    /// NO MAS), zero-width and format characters removed, leading and trailing whitespace, punctuation, symbols and
    /// emoji removed, inner whitespace collapsed to one space, upper-cased with the invariant culture. Punctuation
    /// and symbols inside the text stay ("OPT-OUT").
    /// </summary>
    public static string Normalize(string body)
    {
        ArgumentNullException.ThrowIfNull(body);

        // NFKD then NFC is NFKC with the combining marks (accents, variation selectors, keycap enclosures) taken out
        // in between. string.Normalize is documented to throw on invalid UTF-16, and bodies are untrusted, so lone
        // surrogates become U+FFFD first.
        var decomposed = WithoutLoneSurrogates(body).Normalize(NormalizationForm.FormKD);
        var kept = new StringBuilder(decomposed.Length);
        for (var i = 0; i < decomposed.Length; i += Width(decomposed, i))
        {
            var category = CharUnicodeInfo.GetUnicodeCategory(decomposed, i);
            if (category is UnicodeCategory.NonSpacingMark or UnicodeCategory.EnclosingMark or UnicodeCategory.Format
                || (category is UnicodeCategory.Control && !char.IsWhiteSpace(decomposed[i])))
            {
                continue;
            }

            kept.Append(decomposed, i, Width(decomposed, i));
        }

        var folded = kept.ToString().Normalize(NormalizationForm.FormC).ToUpperInvariant();

        var start = 0;
        while (start < folded.Length && !IsWordCharacter(folded, start))
        {
            start += Width(folded, start);
        }

        var end = folded.Length;
        while (end > start && !IsWordCharacter(folded, StartOfLastCharacter(folded, end)))
        {
            end = StartOfLastCharacter(folded, end);
        }

        var normalized = new StringBuilder(end - start);
        var pendingSpace = false;
        for (var i = start; i < end; i++)
        {
            if (char.IsWhiteSpace(folded[i]))
            {
                pendingSpace = true;
                continue;
            }

            if (pendingSpace)
            {
                normalized.Append(' ');
                pendingSpace = false;
            }

            normalized.Append(folded[i]);
        }

        return normalized.ToString();
    }

    /// <summary>
    /// What <paramref name="body"/> asks for under <paramref name="rules"/>. In order: the whole reply is an opt-out
    /// keyword → <see cref="KeywordKind.OptOut"/> (so a word on two lists opts out); an opt-in keyword →
    /// <see cref="KeywordKind.OptIn"/>; a help keyword → <see cref="KeywordKind.Help"/>; contains a likely-opt-out
    /// phrase as whole words, or begins or ends with an opt-out keyword next to other words →
    /// <see cref="KeywordKind.LikelyOptOut"/>; otherwise <see cref="KeywordKind.None"/>.
    /// </summary>
    public static KeywordMatch Match(string body, KeywordRules rules)
    {
        ArgumentNullException.ThrowIfNull(body);
        ArgumentNullException.ThrowIfNull(rules);

        var normalized = Normalize(body);
        var words = WordsOf(normalized);
        var kind =
            words.Length == 0 ? KeywordKind.None
            : rules.OptOutList.IsExactly(normalized, words) ? KeywordKind.OptOut
            : rules.OptInList.IsExactly(normalized, words) ? KeywordKind.OptIn
            : rules.HelpList.IsExactly(normalized, words) ? KeywordKind.Help
            : IsLikelyOptOut(words, rules) ? KeywordKind.LikelyOptOut
            : KeywordKind.None;

        return new KeywordMatch(kind, normalized, ProviderAnswers(body));
    }

    /// <summary>
    /// The words of a normalized text, one space between them: punctuation, symbols and emoji separate words,
    /// apostrophes join them ("DON'T" and "DON’T" are DONT).
    /// </summary>
    internal static string WordsOf(string normalized)
    {
        var words = new StringBuilder(normalized.Length);
        var pendingSpace = false;
        for (var i = 0; i < normalized.Length; i += Width(normalized, i))
        {
            if (normalized[i] is '\'' or '\u2018' or '\u2019' or '\u02BC')
            {
                continue;
            }

            if (!IsWordCharacter(normalized, i))
            {
                pendingSpace = words.Length > 0;
                continue;
            }

            if (pendingSpace)
            {
                words.Append(' ');
                pendingSpace = false;
            }

            words.Append(normalized, i, Width(normalized, i));
        }

        return words.ToString();
    }

    // A keyword that opens or closes a longer reply ("STOP PLEASE", "stop it", "please cancel") is flagged, not
    // obeyed: Twilio documents that it ignores "STOP PLEASE", and the same rule flags "stop by the office", which a
    // texter dismisses with one click. A keyword in the middle ("We have to STOP this bill") is not even flagged:
    // substrings never opt out by themselves (DOMAIN.md decision 2), and a flag on every "stop" or "end" in a
    // conversation would bury the real ones.
    private static bool IsLikelyOptOut(string words, KeywordRules rules)
    {
        var padded = " " + words + " ";
        foreach (var phrase in rules.LikelyOptOutPhraseList.Padded)
        {
            if (padded.Contains(phrase, StringComparison.Ordinal))
            {
                return true;
            }
        }

        foreach (var keyword in rules.OptOutList.Padded)
        {
            if (padded.StartsWith(keyword, StringComparison.Ordinal) || padded.EndsWith(keyword, StringComparison.Ordinal))
            {
                return true;
            }
        }

        return false;
    }

    // Twilio does not document whether it trims, folds case beyond ASCII or ignores punctuation ("Stop." is unknown,
    // DOMAIN.md §2.2). We claim Twilio answered only when the reply is, apart from surrounding whitespace, exactly one
    // of its keywords, ignoring case (OrdinalIgnoreCase never equates "ſ" or "ı" with S or I). Erring this way costs
    // at worst a refused send (21610) that never reaches the contact; erring the other way would leave an opt-out
    // with no confirmation at all.
    private static bool ProviderAnswers(string body)
    {
        var reply = body.AsSpan().Trim();
        foreach (var keyword in TwilioDefaultKeywords)
        {
            if (reply.Equals(keyword, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    // Letters, digits and spacing marks; not whitespace, punctuation, symbols (emoji included), controls or
    // unassigned code points (an emoji newer than the runtime's Unicode tables).
    private static bool IsWordCharacter(string text, int index) =>
        CharUnicodeInfo.GetUnicodeCategory(text, index) switch
        {
            UnicodeCategory.SpaceSeparator or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator => false,
            UnicodeCategory.ConnectorPunctuation or UnicodeCategory.DashPunctuation or UnicodeCategory.OpenPunctuation
                or UnicodeCategory.ClosePunctuation or UnicodeCategory.InitialQuotePunctuation
                or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.OtherPunctuation => false,
            UnicodeCategory.MathSymbol or UnicodeCategory.CurrencySymbol or UnicodeCategory.ModifierSymbol
                or UnicodeCategory.OtherSymbol => false,
            UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
                or UnicodeCategory.OtherNotAssigned => false,
            _ => !char.IsWhiteSpace(text[index]),
        };

    private static int Width(string text, int index) => char.IsSurrogatePair(text, index) ? 2 : 1;

    private static int StartOfLastCharacter(string text, int end) =>
        end >= 2 && char.IsSurrogatePair(text[end - 2], text[end - 1]) ? end - 2 : end - 1;

    private static string WithoutLoneSurrogates(string text)
    {
        StringBuilder? repaired = null;
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsSurrogatePair(text, i))
            {
                repaired?.Append(text, i, 2);
                i++;
                continue;
            }

            if (char.IsSurrogate(text[i]))
            {
                repaired ??= new StringBuilder(text, 0, i, text.Length);
                repaired.Append('\uFFFD');
                continue;
            }

            repaired?.Append(text[i]);
        }

        return repaired?.ToString() ?? text;
    }
}
