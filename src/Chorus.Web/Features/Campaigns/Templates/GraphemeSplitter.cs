using System.Buffers;
using System.Runtime.CompilerServices;
using static Chorus.Features.Campaigns.Templates.GraphemeBreak;

namespace Chorus.Features.Campaigns.Templates;

// A line-by-line port of grapheme-splitter 1.0.4 (MIT), the splitter inside Twilio's calculator, so our
// clusters are its clusters, quirks included; the README explains why not StringInfo. The rule numbers
// (GB3…GB13) are those of UAX #29 for Unicode 10, as in the original.
internal static class GraphemeSplitter
{
    private static readonly byte[] BmpProperties = BuildBmpTable();

    /// <summary>The index where the cluster starting at <paramref name="index"/> ends (grapheme-splitter's <c>nextBreak</c>).</summary>
    public static int NextBreak(ReadOnlySpan<char> text, int index)
    {
        if (index >= text.Length - 1)
        {
            return text.Length;
        }

        var first = PropertyAt(text, index);
        var next = index + 1;

        // Almost every cluster is a single character followed by a plain one: decide those without the
        // general rule walk, which needs the whole cluster so far.
        if (next < text.Length && !IsSurrogatePair(text, index) && IsSimple(first))
        {
            var second = PropertyAt(text, next);
            if (IsSimple(second) && !(first == CR && second == LF))
            {
                return next;
            }
        }

        return WalkCluster(text, index, first);
    }

    // grapheme-splitter passes shouldBreak the cluster's start, every property since then ("mid") and the
    // candidate; kept out of NextBreak so the common path stays small.
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static int WalkCluster(ReadOnlySpan<char> text, int index, GraphemeBreak first)
    {
        Span<GraphemeBreak> initial = stackalloc GraphemeBreak[32];
        GraphemeBreak[]? rented = null;
        var all = initial;
        all[0] = first;
        var count = 1;
        try
        {
            for (var i = index + 1; i < text.Length; i++)
            {
                if (IsSurrogatePair(text, i - 1))
                {
                    continue;
                }

                if (count == all.Length)
                {
                    var larger = ArrayPool<GraphemeBreak>.Shared.Rent(all.Length * 2);
                    all.CopyTo(larger);
                    if (rented is not null)
                    {
                        ArrayPool<GraphemeBreak>.Shared.Return(rented);
                    }

                    rented = larger;
                    all = larger;
                }

                all[count++] = PropertyAt(text, i);
                if (ShouldBreak(all[..count]))
                {
                    return i;
                }
            }

            return text.Length;
        }
        finally
        {
            if (rented is not null)
            {
                ArrayPool<GraphemeBreak>.Shared.Return(rented);
            }
        }
    }

    // Control, CR and LF break on both sides (GB4/GB5) except CR LF; Other breaks before anything that is
    // not Extend, ZWJ or SpacingMark (GB9/GB9a/GB999). Two of these in a row always break, which the
    // full rule walk below agrees with.
    private static bool IsSimple(GraphemeBreak property) => property is Other or Control or CR or LF;

    // grapheme-splitter's shouldBreak(start, mid, end): all = [start, ...mid, end]. Every one of its
    // break kinds (Break, BreakStart, BreakLastRegional, BreakPenultimateRegional) is truthy, so they
    // collapse to true here.
    private static bool ShouldBreak(ReadOnlySpan<GraphemeBreak> all)
    {
        var start = all[0];
        var previous = all[^2];
        var next = all[^1];
        var mid = all[1..^1];

        // Lookahead terminator for GB10: (E_Base | EBG) Extend* × E_Modifier
        var eModifierIndex = all.LastIndexOf(EModifier);
        if (eModifierIndex > 1 && AllAre(all[1..eModifierIndex], Extend) && start is not (Extend or EBase or EBaseGaz))
        {
            return true;
        }

        // Lookahead terminator for GB12/GB13: regional indicator pairs
        var regionalIndex = all.LastIndexOf(RegionalIndicator);
        if (regionalIndex > 0 && AllAre(all[1..regionalIndex], RegionalIndicator) && previous is not (Prepend or RegionalIndicator))
        {
            return true;
        }

        // GB3
        if (previous == CR && next == LF)
        {
            return false;
        }

        // GB4, GB5
        if (previous is Control or CR or LF || next is Control or CR or LF)
        {
            return true;
        }

        // GB6, GB7, GB8: Hangul syllables
        if ((previous == L && next is L or V or LV or LVT)
            || (previous is LV or V && next is V or T)
            || (previous is LVT or T && next == T))
        {
            return false;
        }

        // GB9, GB9a, GB9b
        if (next is Extend or Zwj or SpacingMark || previous == Prepend)
        {
            return false;
        }

        // GB10, with grapheme-splitter's way of finding the last non-Extend
        var lastExtend = all.LastIndexOf(Extend);
        var previousNonExtend = lastExtend >= 0 ? lastExtend - 1 : all.Length - 2;
        if (previousNonExtend >= 0
            && all[previousNonExtend] is EBase or EBaseGaz
            && AllAre(all[(previousNonExtend + 1)..^1], Extend)
            && next == EModifier)
        {
            return false;
        }

        // GB11
        if (previous == Zwj && next is GlueAfterZwj or EBaseGaz)
        {
            return false;
        }

        // GB12, GB13
        if (mid.Contains(RegionalIndicator))
        {
            return true;
        }

        return !(previous == RegionalIndicator && next == RegionalIndicator);
    }

    private static bool AllAre(ReadOnlySpan<GraphemeBreak> properties, GraphemeBreak expected) =>
        properties.IndexOfAnyExcept(expected) < 0;

    private static bool IsSurrogatePair(ReadOnlySpan<char> text, int index) =>
        index + 1 < text.Length && char.IsHighSurrogate(text[index]) && char.IsLowSurrogate(text[index + 1]);

    // grapheme-splitter's codePointAt: a lone surrogate stands for itself.
    private static GraphemeBreak PropertyAt(ReadOnlySpan<char> text, int index)
    {
        var c = text[index];
        if (char.IsHighSurrogate(c) && index < text.Length - 1 && char.IsLowSurrogate(text[index + 1]))
        {
            return PropertyOf(char.ConvertToUtf32(c, text[index + 1]));
        }

        if (char.IsLowSurrogate(c) && index >= 1 && char.IsHighSurrogate(text[index - 1]))
        {
            return PropertyOf(char.ConvertToUtf32(text[index - 1], c));
        }

        return (GraphemeBreak)BmpProperties[c];
    }

    private static GraphemeBreak PropertyOf(int codePoint)
    {
        if (codePoint <= char.MaxValue)
        {
            return (GraphemeBreak)BmpProperties[codePoint];
        }

        var starts = SmsTables.GraphemeBreakStarts;
        var found = starts.BinarySearch(codePoint);
        var range = found >= 0 ? found : ~found - 1;
        return (GraphemeBreak)SmsTables.GraphemeBreakValues[range];
    }

    private static byte[] BuildBmpTable()
    {
        var table = new byte[char.MaxValue + 1];
        var starts = SmsTables.GraphemeBreakStarts;
        var values = SmsTables.GraphemeBreakValues;
        for (var range = 0; range < starts.Length && starts[range] <= char.MaxValue; range++)
        {
            var end = range + 1 < starts.Length ? Math.Min(starts[range + 1], char.MaxValue + 1) : char.MaxValue + 1;
            table.AsSpan(starts[range], end - starts[range]).Fill(values[range]);
        }

        return table;
    }
}
