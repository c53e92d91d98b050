namespace Chorus.Features.Contacts.TimeZones;

/// <summary>The data files of this folder, embedded in the assembly by Chorus.Web.csproj under their file names.</summary>
internal static class EmbeddedData
{
    private const string Prefix = "Chorus.Features.Contacts.TimeZones.";

    public static IEnumerable<string> ReadLines(string fileName)
    {
        using var stream = typeof(EmbeddedData).Assembly.GetManifestResourceStream(Prefix + fileName)
            ?? throw new InvalidOperationException($"Embedded resource {Prefix}{fileName} is missing; check Chorus.Web.csproj.");
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            yield return line.Trim();
        }
    }
}
