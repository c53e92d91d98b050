using System.Net;
using System.Text;
using Chorus.Features.Organizations;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Chorus.IntegrationTests.Platform;

/// <summary>
/// Covers every organization-scoped API route automatically: the routes are read from the running app, so a new
/// route is covered without anyone remembering to add it here.
/// </summary>
public sealed class RouteIsolationTests
{
    private const string OrgPrefix = "/api/v1/orgs/{org}";

    [Theory, BothDatabases]
    public async Task Every_organization_route_answers_401_without_a_token_404_to_outsiders_and_403_to_a_texter_below_its_role(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var victim = await app.Seed.OrganizationAsync();
        var outsider = (await app.Seed.OrganizationAsync()).Owner;
        var texter = await app.Seed.MemberAsync(victim, OrgRole.Texter);
        var anonymous = app.CreateClient();
        var routes = OrganizationRoutes(app);
        var failures = new List<string>();

        foreach (var route in routes)
        {
            await ExpectAsync(anonymous, route, victim.Slug, HttpStatusCode.Unauthorized, "without a token", failures);
            await ExpectAsync(outsider.Client, route, victim.Slug, HttpStatusCode.NotFound, "with another organization's token", failures);
            await ExpectAsync(outsider.Client, route, "no-such-org", HttpStatusCode.NotFound, "for an unknown organization", failures);
            if (route.MinimumRole > OrgRole.Texter)
            {
                await ExpectAsync(texter.Client, route, victim.Slug, HttpStatusCode.Forbidden, "with a texter's token", failures);
            }
        }

        Assert.True(routes.Count >= 10, $"Only {routes.Count} organization routes were found; the enumeration is broken.");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task Every_organization_route_declares_an_organization_role_policy()
    {
        await using var app = await ChorusApp.StartAsync(DatabaseProvider.Sqlite);

        var unguarded = OrganizationRoutes(app).Where(r => r.MinimumRole is null).Select(r => r.ToString()).ToList();

        Assert.Empty(unguarded);
    }

    private static async Task ExpectAsync(HttpClient client, OrgRoute route, string slug, HttpStatusCode expected, string how, List<string> failures)
    {
        using var request = new HttpRequestMessage(new HttpMethod(route.Method), route.UrlFor(slug));
        if (route.Method is "POST" or "PUT" or "PATCH")
        {
            // A body of the kind the route accepts, so that routing's own 415 cannot stand in for authorization.
            request.Content = route.AcceptsMultipart
                ? new MultipartFormDataContent { { new ByteArrayContent("phone\n"u8.ToArray()), "file", "x.csv" } }
                : new StringContent("{}", Encoding.UTF8, "application/json");
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        if (response.StatusCode != expected)
        {
            failures.Add($"{route} {how}: {(int)response.StatusCode}, expected {(int)expected}");
        }
    }

    private static List<OrgRoute> OrganizationRoutes(ChorusApp app) =>
        [.. app.Services.GetRequiredService<EndpointDataSource>().Endpoints
            .OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith(OrgPrefix, StringComparison.Ordinal) == true)
            .SelectMany(e => (e.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? ["GET"]).Select(method => new OrgRoute(
                method,
                e.RoutePattern,
                e.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => Policies.MinimumRole(a.Policy)).Max(),
                e.Metadata.GetMetadata<Microsoft.AspNetCore.Http.Metadata.IAcceptsMetadata>()?.ContentTypes.Contains("multipart/form-data") == true)))];

    private sealed record OrgRoute(string Method, RoutePattern Pattern, OrgRole? MinimumRole, bool AcceptsMultipart)
    {
        /// <summary>Fills the route: the organization slug, and a random id for every other parameter.</summary>
        public Uri UrlFor(string slug)
        {
            var path = new StringBuilder();
            foreach (var segment in Pattern.PathSegments)
            {
                path.Append('/');
                foreach (var part in segment.Parts)
                {
                    path.Append(part switch
                    {
                        RoutePatternLiteralPart literal => literal.Content,
                        RoutePatternParameterPart { Name: "org" } => slug,
                        RoutePatternParameterPart => Guid.NewGuid().ToString(),
                        RoutePatternSeparatorPart separator => separator.Content,
                        _ => "",
                    });
                }
            }

            return new Uri(path.ToString(), UriKind.Relative);
        }

        public override string ToString() => $"{Method} {Pattern.RawText}";
    }
}
