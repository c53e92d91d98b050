using System.Text;

namespace Chorus.Features.Contacts.Uploads.Parsing;

/// <summary>
/// Looks at the first bytes of an upload before parsing, to name the usual wrong files (a workbook saved as
/// .xlsx instead of CSV) and to pick the delimiter.
/// </summary>
internal static class FileSniffer
{
    public const int PrefixBytes = 8192;

    private const string SaveAsCsv = "In Excel or Google Sheets, export or save it as \"CSV UTF-8\" and upload that file.";

    public static CsvFileError? Check(ReadOnlySpan<byte> prefix)
    {
        var kind = prefix switch
        {
            [0x50, 0x4B, 0x03, 0x04, ..] or [0x50, 0x4B, 0x05, 0x06, ..] => "an Excel workbook (.xlsx) or another zip archive",
            [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1, ..] => "an old-style Excel workbook (.xls) or another Office document",
            [0x25, 0x50, 0x44, 0x46, ..] => "a PDF",
            [0x1F, 0x8B, ..] => "a compressed (gzip) file",
            _ when EncodingFor(prefix) is UTF8Encoding && prefix.Contains((byte)0) => "a binary file, not text",
            _ => null,
        };

        return kind is null ? null : new CsvFileError(CsvFileErrorCode.NotCsv, $"This is {kind}, not a CSV file. {SaveAsCsv}");
    }

    /// <summary>The delimiter that appears most often, outside quotes, in the first non-blank line; comma on a tie.</summary>
    public static char DetectDelimiter(ReadOnlySpan<byte> prefix)
    {
        var text = EncodingFor(prefix).GetString(prefix);
        ReadOnlySpan<char> candidates = [',', '\t', ';', '|'];
        Span<int> counts = stackalloc int[candidates.Length];
        var quoted = false;
        var seenText = false;
        foreach (var c in text)
        {
            if (c == '"')
            {
                quoted = !quoted;
            }
            else if (!quoted && c is '\r' or '\n')
            {
                if (seenText)
                {
                    break;
                }
            }
            else if (!quoted && candidates.IndexOf(c) is var index and >= 0)
            {
                counts[index]++;
            }

            seenText |= !char.IsWhiteSpace(c) && c != '\uFEFF';
        }

        var best = 0;
        for (var i = 1; i < candidates.Length; i++)
        {
            if (counts[i] > counts[best])
            {
                best = i;
            }
        }

        return candidates[best];
    }

    // Only to look at the header: the parser's StreamReader does its own byte-order-mark detection.
    private static Encoding EncodingFor(ReadOnlySpan<byte> prefix) => prefix switch
    {
        [0xFF, 0xFE, 0x00, 0x00, ..] => Encoding.UTF32,
        [0x00, 0x00, 0xFE, 0xFF, ..] => new UTF32Encoding(bigEndian: true, byteOrderMark: true),
        [0xFF, 0xFE, ..] => Encoding.Unicode,
        [0xFE, 0xFF, ..] => Encoding.BigEndianUnicode,
        _ => Encoding.UTF8,
    };
}
