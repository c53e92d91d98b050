using System.Diagnostics.CodeAnalysis;
using System.Text;

namespace Chorus.Features.Campaigns.Templates;

/// <summary>
/// Counts SMS segments exactly as Twilio's segment calculator does (npm <c>sms-segments-calculator</c> 1.3.0,
/// TwilioDevEd/message-segment-calculator; DOMAIN.md §3), and finds and replaces the look-alike characters
/// that force UCS-2. Pure and thread-safe. <see cref="Count"/> allocates nothing; <see cref="Analyze"/>
/// allocates only when the body is UCS-2.
/// </summary>
public static class SegmentCounter
{
    public const int GsmSingleSegmentSeptets = 160;
    public const int GsmConcatenatedSegmentSeptets = 153;
    public const int Ucs2SingleSegmentCodeUnits = 70;
    public const int Ucs2ConcatenatedSegmentCodeUnits = 67;

    /// <summary>Encoding, segments and character count of <paramref name="text"/>, without allocating.</summary>
    public static SegmentCount Count(ReadOnlySpan<char> text)
    {
        // Vectorized skip over the plain-ASCII bulk of a script; only the characters between need a lookup.
        var septets = text.Length;
        var extensionCharacters = false;
        var position = 0;
        int found;
        while ((found = text[position..].IndexOfAnyExcept(GsmAlphabet.BasicAscii)) >= 0)
        {
            position += found;
            var cost = GsmAlphabet.Septets(text[position]);
            if (cost == 0)
            {
                return CountUcs2(text, nonGsm: null);
            }

            septets += cost - 1;
            extensionCharacters |= cost == 2;
            position++;
        }

        if (septets <= GsmSingleSegmentSeptets)
        {
            return new SegmentCount(septets, SmsEncoding.Gsm7, 1, septets);
        }

        // Without extension characters every character is one septet, so the packing is plain division.
        var segments = extensionCharacters
            ? PackGsm(text)
            : (septets + GsmConcatenatedSegmentSeptets - 1) / GsmConcatenatedSegmentSeptets;
        return new SegmentCount(septets, SmsEncoding.Gsm7, segments, septets);
    }

    /// <summary><see cref="Count"/> plus each character that forced UCS-2 and its GSM-7 replacement, if any.</summary>
    public static SegmentInfo Analyze(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var count = Count(text);
        if (count.Encoding == SmsEncoding.Gsm7)
        {
            return new SegmentInfo(count.Characters, count.Encoding, count.Segments, count.CodeUnits, []);
        }

        var nonGsm = new NonGsmCollector();
        CountUcs2(text, nonGsm);
        return new SegmentInfo(count.Characters, count.Encoding, count.Segments, count.CodeUnits, nonGsm.ToList());
    }

    /// <summary>
    /// The "replace all" button: swaps each look-alike character for its GSM-7 equivalent (Twilio's Smart
    /// Encoding map; see <see cref="ApplySmartEncoding"/>), so that a stray smart quote doesn't double the cost.
    /// Guaranteed never to cost more segments than <paramref name="text"/>: a few replacements are longer
    /// than the original (a tab becomes 7 spaces, <c>…</c> becomes <c>...</c>), and when they would push the
    /// body over a segment boundary only the one-for-one replacements are made.
    /// </summary>
    public static string ReplaceSmartCharacters(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var all = ApplySmartEncoding(text);
        if (ReferenceEquals(all, text))
        {
            return text;
        }

        var segments = Count(text).Segments;
        if (Count(all).Segments <= segments)
        {
            return all;
        }

        // Replacing a character by at most one other never lengthens the body, so it can't cost more:
        // in UCS-2 each code unit stays one code unit, and in GSM-7 each costs at most 2 septets against
        // the 2 octets it cost in UCS-2.
        return Replace(text, oneForOneOnly: true);
    }

    /// <summary>
    /// What Twilio sends when Smart Encoding is on (<c>SmartEncoded=true</c>): every character in its
    /// Smart Encoding map replaced, as the calculator emulates it with <c>smartEncoding = true</c>. Returns
    /// <paramref name="text"/> itself when nothing changes. Counting the result gives the cost of a send with
    /// Smart Encoding on.
    /// </summary>
    public static string ApplySmartEncoding(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Replace(text, oneForOneOnly: false);
    }

    /// <summary>The GSM-7 look-alike of <paramref name="c"/> in Twilio's Smart Encoding map, if it has one.</summary>
    public static bool TryGetReplacement(char c, [NotNullWhen(true)] out string? replacement)
    {
        var index = SmsTables.SmartCharacters.BinarySearch(c);
        replacement = index >= 0 ? SmsTables.SmartReplacements[index] : null;
        return replacement is not null;
    }

    /// <summary>
    /// Cost of sending <paramref name="segments"/> segments (one message, or a whole campaign's total) at
    /// <paramref name="pricePerSegment"/>, in the price's currency, unrounded: round for display only.
    /// </summary>
    public static decimal EstimateCost(long segments, decimal pricePerSegment)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(segments);
        ArgumentOutOfRangeException.ThrowIfNegative(pricePerSegment);
        return segments * pricePerSegment;
    }

    private static SegmentCount CountUcs2(ReadOnlySpan<char> text, NonGsmCollector? nonGsm)
    {
        var packer = new SegmentPacker(Ucs2SingleSegmentCodeUnits, Ucs2ConcatenatedSegmentCodeUnits);
        var characters = 0;
        var index = 0;
        while (index < text.Length)
        {
            // Each ASCII character is a cluster of its own, except that the last one before a non-ASCII
            // character may take combining marks after it, and CR LF, which the calculator splits back
            // into two anyway. So a run of ASCII costs one code unit and one character per char. Analyze
            // walks every cluster instead, because ` and the control characters are ASCII yet not GSM-7.
            if (nonGsm is null)
            {
                var nonAscii = text[index..].IndexOfAnyExceptInRange('\0', '\u007F');
                var singles = nonAscii < 0 ? text.Length - index : nonAscii - 1;
                if (singles > 0)
                {
                    packer.AddSingleUnits(singles);
                    characters += singles;
                    index += singles;
                    continue;
                }
            }

            var end = GraphemeSplitter.NextBreak(text, index);
            var length = end - index;
            if (length == 2 && text[index] == '\r' && text[index + 1] == '\n')
            {
                // The calculator splits a CRLF cluster back into two characters.
                packer.AddSingleUnits(2);
                characters += 2;
            }
            else
            {
                // A GSM-7 character costs one code unit in UCS-2, extension characters included.
                packer.Add(length);
                characters++;
                if (nonGsm is not null && (length > 1 || GsmAlphabet.Septets(text[index]) == 0))
                {
                    nonGsm.Add(text.Slice(index, length), index);
                }
            }

            index = end;
        }

        return new SegmentCount(characters, SmsEncoding.Ucs2, packer.Segments, text.Length);
    }

    // Only for bodies over 160 septets with extension characters, which can't straddle a boundary.
    private static int PackGsm(ReadOnlySpan<char> text)
    {
        var packer = new SegmentPacker(GsmSingleSegmentSeptets, GsmConcatenatedSegmentSeptets);
        int found;
        while ((found = text.IndexOfAny(GsmAlphabet.Extension)) >= 0)
        {
            packer.AddSingleUnits(found);
            packer.Add(2);
            text = text[(found + 1)..];
        }

        packer.AddSingleUnits(text.Length);
        return packer.Segments;
    }

    private static string Replace(string text, bool oneForOneOnly)
    {
        StringBuilder? result = null;
        var copied = 0;
        for (var i = 0; i < text.Length; i++)
        {
            if (!TryGetReplacement(text[i], out var replacement) || (oneForOneOnly && replacement.Length > 1))
            {
                continue;
            }

            result ??= new StringBuilder(text.Length + 16);
            result.Append(text, copied, i - copied).Append(replacement);
            copied = i + 1;
        }

        return result is null ? text : result.Append(text, copied, text.Length - copied).ToString();
    }

    // The calculator's _buildSegments, without building segments. It fills the first segment up to the
    // single-segment size; when a character doesn't fit, that segment gets a concatenation header, and the
    // characters past the concatenated size move, unchecked, to the second segment, which then takes the
    // character too. Every later segment starts with a header, and a character that doesn't fit whole
    // starts the next segment: characters are never split. Only the first segment is ever cut back, so
    // remembering where it last fitted the concatenated size is all the state needed.
    private struct SegmentPacker(int singleSize, int concatenatedSize)
    {
        private int _used;
        private int _capacity = singleSize;
        private int _firstSegmentFitsConcatenated;

        public int Segments { get; private set; } = 1;

        public void Add(int size)
        {
            if (_capacity - _used < size)
            {
                Segments++;
                _used = Segments == 2 ? _used - _firstSegmentFitsConcatenated : 0;
                _capacity = concatenatedSize;
            }

            _used += size;
            if (Segments == 1 && _used <= concatenatedSize)
            {
                _firstSegmentFitsConcatenated = _used;
            }
        }

        // Add(1), count times, in one step per segment.
        public void AddSingleUnits(int count)
        {
            while (count > 0)
            {
                var free = _capacity - _used;
                if (free <= 0)
                {
                    Add(1);
                    count--;
                    continue;
                }

                var taken = Math.Min(free, count);
                if (Segments == 1 && _used <= concatenatedSize)
                {
                    // Adding one at a time passes every total, so the last one within the concatenated size is
                    // the smaller of the new total and that size.
                    _firstSegmentFitsConcatenated = Math.Min(_used + taken, concatenatedSize);
                }

                _used += taken;
                count -= taken;
            }
        }
    }

    private sealed class NonGsmCollector
    {
        private readonly Dictionary<string, List<int>> _indexes = new(StringComparer.Ordinal);
        private readonly List<string> _order = [];

        public void Add(ReadOnlySpan<char> character, int index)
        {
            var key = character.ToString();
            if (!_indexes.TryGetValue(key, out var indexes))
            {
                indexes = [];
                _indexes.Add(key, indexes);
                _order.Add(key);
            }

            indexes.Add(index);
        }

        public List<NonGsmCharacter> ToList() =>
            _order.ConvertAll(character => new NonGsmCharacter(character, _indexes[character].Count, _indexes[character], ReplacementFor(character)));

        // A cluster can be replaced when each of its chars is GSM-7 or has a look-alike: "a" + combining
        // tilde becomes "a~", as Smart Encoding would send it.
        private static string? ReplacementFor(string character)
        {
            var replacement = new StringBuilder(character.Length);
            foreach (var c in character)
            {
                if (TryGetReplacement(c, out var lookAlike))
                {
                    replacement.Append(lookAlike);
                }
                else if (GsmAlphabet.Septets(c) > 0)
                {
                    replacement.Append(c);
                }
                else
                {
                    return null;
                }
            }

            return replacement.ToString();
        }
    }
}
