namespace Chorus.Features.Links;

public static class LinksModule
{
    public static WebApplicationBuilder AddLinks(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<LinksOptions>().BindConfiguration(LinksOptions.Section)
            .Validate(o => string.IsNullOrWhiteSpace(o.BaseUrl) || (Uri.TryCreate(o.BaseUrl, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" && uri.Query.Length == 0),
                "Chorus:Links:BaseUrl must be an absolute http(s) address without a query, e.g. https://act.example.org")
            .ValidateOnStart();
        builder.Services.AddSingleton<LinkTracker>();
        return builder;
    }

    public static IEndpointRouteBuilder MapLinkEndpoints(this IEndpointRouteBuilder app)
    {
        // Not under /api: this is the voter's address, on the organization's own domain.
        app.MapMethods("/l/{code}", [HttpMethods.Get, HttpMethods.Head], FollowLink.HandleAsync)
            .AllowAnonymous()
            .ExcludeFromDescription();
        return app;
    }
}
