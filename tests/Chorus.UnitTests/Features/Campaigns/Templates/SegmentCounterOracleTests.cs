using System.Globalization;
using System.Text;
using Chorus.Features.Campaigns.Templates;

namespace Chorus.UnitTests.Features.Campaigns.Templates;

// Cross-checks against fixtures produced by Twilio's own calculator (eng/segment-vectors/generate.mjs).
public sealed class SegmentCounterOracleTests
{
    [Fact]
    public void The_fixture_file_holds_hundreds_of_vectors_of_every_kind()
    {
        var vectors = SegmentVectors.All;

        Assert.True(vectors.Count >= 500, $"only {vectors.Count} vectors");
        Assert.Contains(vectors, v => v.Encoding == "GSM-7" && v.Segments >= 3);
        Assert.Contains(vectors, v => v.Encoding == "UCS-2" && v.Segments >= 3);
        Assert.Contains(vectors, v => v.SmartEncoding);
    }

    [Fact]
    public void Agrees_with_twilios_calculator_on_encoding_segments_and_characters_for_every_vector()
    {
        var disagreements = new List<string>();

        foreach (var (vector, number) in SegmentVectors.All.Select((v, i) => (v, i)))
        {
            var text = vector.SmartEncoding ? SegmentCounter.ApplySmartEncoding(vector.Text) : vector.Text;
            var count = SegmentCounter.Count(text);
            var expectedEncoding = vector.Encoding == "GSM-7" ? SmsEncoding.Gsm7 : SmsEncoding.Ucs2;
            if (count.Encoding != expectedEncoding || count.Segments != vector.Segments || count.Characters != vector.Characters)
            {
                disagreements.Add(string.Create(CultureInfo.InvariantCulture,
                    $"#{number} {Describe(vector.Text)}: calculator {vector.Encoding}/{vector.Segments} segments/{vector.Characters} chars, ours {count.Encoding}/{count.Segments}/{count.Characters}"));
            }
        }

        Assert.True(disagreements.Count == 0, string.Join('\n', disagreements));
    }

    [Fact]
    public void Finds_the_same_non_gsm_characters_as_twilios_calculator_for_every_vector()
    {
        var disagreements = new List<string>();

        foreach (var (vector, number) in SegmentVectors.All.Select((v, i) => (v, i)))
        {
            var text = vector.SmartEncoding ? SegmentCounter.ApplySmartEncoding(vector.Text) : vector.Text;
            var ours = SegmentCounter.Analyze(text).NonGsmCharacters
                .SelectMany(c => c.Indexes.Select(index => (index, c.Character)))
                .OrderBy(c => c.index)
                .Select(c => c.Character)
                .ToList();
            if (!ours.SequenceEqual(vector.NonGsm, StringComparer.Ordinal))
            {
                disagreements.Add(string.Create(CultureInfo.InvariantCulture,
                    $"#{number} {Describe(vector.Text)}: calculator [{Describe(string.Join('|', vector.NonGsm))}], ours [{Describe(string.Join('|', ours))}]"));
            }
        }

        Assert.True(disagreements.Count == 0, string.Join('\n', disagreements));
    }

    private static string Describe(string text)
    {
        var builder = new StringBuilder();
        foreach (var c in text.Length > 80 ? text[..80] + "…" : text)
        {
            builder.Append(c is < ' ' or (>= '\u007f' and < '\u00a0') ? string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}") : c);
        }

        return builder.ToString();
    }
}
