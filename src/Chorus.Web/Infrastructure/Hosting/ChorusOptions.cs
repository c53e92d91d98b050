namespace Chorus.Infrastructure.Hosting;

/// <summary>Bound from the <c>Chorus</c> section.</summary>
public sealed class ChorusOptions
{
    public const string Section = "Chorus";

    /// <summary>
    /// The public address people and providers reach this instance at (e.g. https://text.example.org), used in links
    /// Chorus hands out. Empty means "the scheme and host of the request at hand".
    /// </summary>
    public string? PublicBaseUrl { get; set; }

    public string BaseUrlFor(HttpRequest request) =>
        string.IsNullOrWhiteSpace(PublicBaseUrl) ? $"{request.Scheme}://{request.Host}" : PublicBaseUrl.TrimEnd('/');
}
