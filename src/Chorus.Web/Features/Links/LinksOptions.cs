namespace Chorus.Features.Links;

/// <summary>Tracked links (<c>Chorus:Links</c>).</summary>
public sealed class LinksOptions
{
    public const string Section = "Chorus:Links";

    /// <summary>
    /// The address short links start with, e.g. <c>https://act.example.org</c> (links read <c>{BaseUrl}/l/{code}</c>).
    /// Empty: <c>Chorus:PublicBaseUrl</c>, else the address this instance listens on. Every instance must agree, and it
    /// must not change while a campaign sends: it is part of the text the preview counts.
    /// </summary>
    public string? BaseUrl { get; set; }
}
