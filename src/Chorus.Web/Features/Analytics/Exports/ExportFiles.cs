using Microsoft.Extensions.Options;

namespace Chorus.Features.Analytics.Exports;

/// <summary>
/// Where export files live: <c>{Directory}/{id}.csv</c> once complete, <c>{id}.{claim}.part</c> while being written, so
/// a half-written file is never served and a re-run simply starts the part file over.
/// </summary>
public sealed class ExportFiles(IOptions<ExportsOptions> options, IWebHostEnvironment environment)
{
    public string Directory { get; } = Path.GetFullPath(options.Value.Directory, environment.ContentRootPath);

    public string PathOf(Guid exportId) => Path.Combine(Directory, exportId.ToString("N") + ".csv");

    /// <summary>The file one claim writes; a worker that takes a stale export over writes its own, never the old one's.</summary>
    public string PartPathOf(Guid exportId, Guid claimToken) => Path.Combine(Directory, $"{exportId:N}.{claimToken:N}.part");

    public FileStream CreatePart(Guid exportId, Guid claimToken)
    {
        System.IO.Directory.CreateDirectory(Directory);
        return new FileStream(PartPathOf(exportId, claimToken), FileMode.Create, FileAccess.Write, FileShare.None, 64 * 1024, FileOptions.Asynchronous);
    }

    /// <summary>Publishes a finished part file under its final name, atomically (a rename within one folder).</summary>
    public void Publish(Guid exportId, Guid claimToken) => File.Move(PartPathOf(exportId, claimToken), PathOf(exportId), overwrite: true);

    public void Delete(Guid exportId) => File.Delete(PathOf(exportId));

    /// <summary>The name a download gets, e.g. chorus-contacts-gotv-2026-11-03.csv.</summary>
    public static string DownloadName(ExportKind kind, string? campaignTitle, DateTime createdUtc)
    {
        var title = campaignTitle is null ? "" : "-" + Slug(campaignTitle);
        return $"chorus-{ExportKinds.Name(kind)}{title}-{createdUtc.ToString("yyyy-MM-dd-HHmm", System.Globalization.CultureInfo.InvariantCulture)}.csv";
    }

    private static string Slug(string text)
    {
        var slug = new string([.. text.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]).Trim('-');
        while (slug.Contains("--", StringComparison.Ordinal))
        {
            slug = slug.Replace("--", "-", StringComparison.Ordinal);
        }

        return slug.Length > 40 ? slug[..40].Trim('-') : slug;
    }
}
