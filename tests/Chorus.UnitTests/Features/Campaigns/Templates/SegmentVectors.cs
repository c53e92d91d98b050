using System.Runtime.CompilerServices;
using System.Text.Json;

namespace Chorus.UnitTests.Features.Campaigns.Templates;

// The bodies and answers that eng/segment-vectors/generate.mjs got from Twilio's calculator
// (sms-segments-calculator 1.3.0), read from segment-vectors.json beside this file.
public static class SegmentVectors
{
    public const string FileName = "segment-vectors.json";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
    private static readonly Lazy<IReadOnlyList<SegmentVector>> Loaded = new(Load);

    public static IReadOnlyList<SegmentVector> All => Loaded.Value;

    private static IReadOnlyList<SegmentVector> Load()
    {
        var file = JsonSerializer.Deserialize<VectorFile>(File.ReadAllText(Locate()), Json)
            ?? throw new InvalidDataException($"{FileName} is empty.");
        return file.Vectors;
    }

    // The test project's csproj doesn't copy the fixture to the output folder, so it is read from the
    // source tree: beside this file when the compiler's path is still valid, else found by walking up
    // from the test binaries to the repository (artifacts/ lives inside it).
    private static string Locate([CallerFilePath] string sourceFile = "")
    {
        var candidates = new List<string>
        {
            Path.Combine(AppContext.BaseDirectory, FileName),
            Path.Combine(Path.GetDirectoryName(sourceFile) ?? ".", FileName),
        };
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            candidates.Add(Path.Combine(directory.FullName, "tests", "Chorus.UnitTests", "Features", "Campaigns", "Templates", FileName));
        }

        return candidates.FirstOrDefault(File.Exists)
            ?? throw new FileNotFoundException($"{FileName} not found; looked in: {string.Join(", ", candidates)}");
    }

    private sealed record VectorFile(IReadOnlyList<SegmentVector> Vectors);
}

public sealed record SegmentVector(
    string Text,
    bool SmartEncoding,
    string Encoding,
    int Segments,
    int Characters,
    IReadOnlyList<string> NonGsm,
    string? Note);
