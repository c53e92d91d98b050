using System.Buffers;

namespace Chorus.Features.Campaigns.Templates;

// The GSM-7 alphabet as the calculator defines it (SmsTables.g.cs), in the shapes the hot path needs.
internal static class GsmAlphabet
{
    // Every GSM-7 character except € is below U+0400: a 1 KB table answers every other lookup, and € gets a compare.
    private const int TableSize = 0x400;
    private const char Euro = '\u20AC';

    private static readonly byte[] SeptetTable = BuildTable();

    /// <summary>The ASCII characters of the basic set: a body made only of these is GSM-7 at one septet each.</summary>
    public static SearchValues<char> BasicAscii { get; } = CharactersCosting(1, asciiOnly: true);

    /// <summary>The extension table: ESC + code, 2 septets each.</summary>
    public static SearchValues<char> Extension { get; } = CharactersCosting(2, asciiOnly: false);

    /// <summary>0 when <paramref name="c"/> is not GSM-7, 1 for the basic set, 2 for the extension table.</summary>
    public static int Septets(char c) => c < TableSize ? SeptetTable[c] : c == Euro ? 2 : 0;

    private static byte[] BuildTable()
    {
        var table = new byte[TableSize];
        var characters = SmsTables.GsmCharacters;
        var septets = SmsTables.GsmSeptets;
        for (var i = 0; i < characters.Length; i++)
        {
            if (characters[i] < TableSize)
            {
                table[characters[i]] = septets[i];
            }
            else if (characters[i] != Euro)
            {
                throw new InvalidOperationException($"GSM-7 table changed: U+{(int)characters[i]:X4} needs a lookup.");
            }
        }

        return table;
    }

    private static SearchValues<char> CharactersCosting(int septets, bool asciiOnly)
    {
        var characters = new List<char>();
        for (var i = 0; i < SmsTables.GsmCharacters.Length; i++)
        {
            if (SmsTables.GsmSeptets[i] == septets && (!asciiOnly || char.IsAscii(SmsTables.GsmCharacters[i])))
            {
                characters.Add(SmsTables.GsmCharacters[i]);
            }
        }

        return SearchValues.Create([.. characters]);
    }
}
