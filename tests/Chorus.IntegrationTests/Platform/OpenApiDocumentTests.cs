using System.Text.Json;
using System.Text.RegularExpressions;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Chorus.IntegrationTests.Platform;

/// <summary>The OpenAPI document is the API's reference for integrators: every operation must say what it does and what it takes and returns.</summary>
public sealed partial class OpenApiDocumentTests
{
    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch"];

    private static async Task<JsonDocument> LoadAsync(ChorusApp app) =>
        JsonDocument.Parse(await app.CreateClient().GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative), TestContext.Current.CancellationToken));

    private static IEnumerable<(string Method, string Path, JsonElement Operation)> ApiOperations(JsonDocument document) =>
        from path in document.RootElement.GetProperty("paths").EnumerateObject()
        where path.Name.StartsWith("/api/v1/", StringComparison.Ordinal) || path.Name == "/api/v1"
        from operation in path.Value.EnumerateObject()
        where Methods.Contains(operation.Name)
        select (operation.Name.ToUpperInvariant(), path.Name, operation.Value);

    [Fact]
    public async Task Every_api_operation_has_a_summary_a_tag_typed_bodies_and_problem_answers_and_the_bearer_scheme_is_declared()
    {
        await using var app = await ChorusApp.StartAsync(DatabaseProvider.Sqlite);

        using var document = await LoadAsync(app);

        var operations = ApiOperations(document).ToList();
        Assert.True(operations.Count > 90, $"Only {operations.Count} operations under /api/v1.");
        var missing = new List<string>();
        foreach (var (method, path, operation) in operations)
        {
            if (!operation.TryGetProperty("summary", out var summary) || string.IsNullOrWhiteSpace(summary.GetString()))
            {
                missing.Add($"{method} {path}: no summary");
            }

            if (!operation.TryGetProperty("tags", out var tags) || tags.GetArrayLength() == 0)
            {
                missing.Add($"{method} {path}: no tag");
            }

            if (operation.TryGetProperty("requestBody", out var body) && !HasSchema(body))
            {
                missing.Add($"{method} {path}: request body without a schema");
            }

            var responses = operation.GetProperty("responses").EnumerateObject().ToList();
            if (!responses.Any(r => r.Name.StartsWith('2')))
            {
                missing.Add($"{method} {path}: no success response");
            }

            // Every token-protected operation can answer 401, and every organization route 403 and 404 (ApiGroups).
            string[] refusals = path.StartsWith("/api/v1/orgs/{org}", StringComparison.Ordinal) ? ["401", "403", "404"] : ["401"];
            foreach (var status in refusals.Where(status => !responses.Any(r => r.Name == status && r.Value.TryGetProperty("content", out var c)
                && c.TryGetProperty("application/problem+json", out _))))
            {
                missing.Add($"{method} {path}: no {status} problem details");
            }

            // A success that carries a body must say what the body is; 202/204 without one are fine.
            foreach (var success in responses.Where(r => r.Name is "200" or "201" && !HasSchema(r.Value)))
            {
                missing.Add($"{method} {path}: {success.Name} without a response schema");
            }
        }

        Assert.Empty(missing);
        var scheme = document.RootElement.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal(("http", "bearer"), (scheme.GetProperty("type").GetString(), scheme.GetProperty("scheme").GetString()));
        Assert.Contains(document.RootElement.GetProperty("security").EnumerateArray(), requirement => requirement.TryGetProperty("Bearer", out _));
    }

    [Fact]
    public async Task Two_different_response_types_never_share_one_schema_name()
    {
        await using var app = await ChorusApp.StartAsync(DatabaseProvider.Sqlite);
        using var document = await LoadAsync(app);
        var endpoints = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.StartsWith("/api/v1", StringComparison.Ordinal) == true);

        var typesBySchema = new Dictionary<string, HashSet<Type>>();
        var checkedOperations = 0;
        foreach (var endpoint in endpoints)
        {
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods;
            var method = methods is { Count: > 0 } ? methods[0].ToLowerInvariant() : null;
            var path = Constraint().Replace(endpoint.RoutePattern.RawText!, "}").TrimEnd('/');
            if (method is null || !document.RootElement.GetProperty("paths").TryGetProperty(path, out var item) || !item.TryGetProperty(method, out var operation))
            {
                continue;
            }

            foreach (var produced in endpoint.Metadata.OfType<IProducesResponseTypeMetadata>().Where(p => p.StatusCode is >= 200 and < 300 && p.Type is not null))
            {
                if (!operation.GetProperty("responses").TryGetProperty(produced.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response)
                    || !response.TryGetProperty("content", out var content)
                    || !content.TryGetProperty("application/json", out var json))
                {
                    continue;
                }

                var (type, schema) = Unwrap(produced.Type!, json.GetProperty("schema"));
                if (schema.TryGetProperty("$ref", out var reference))
                {
                    var name = reference.GetString()!;
                    typesBySchema.TryAdd(name, []);
                    typesBySchema[name].Add(type);
                    checkedOperations++;
                }
            }
        }

        Assert.True(checkedOperations > 60, $"Only {checkedOperations} typed responses were compared.");
        Assert.Empty(typesBySchema.Where(p => p.Value.Count > 1).Select(p => $"{p.Key}: {string.Join(", ", p.Value.Select(t => t.FullName))}"));
    }

    private static bool HasSchema(JsonElement withContent) =>
        withContent.TryGetProperty("content", out var content) && content.EnumerateObject().Any() && content.EnumerateObject().All(c => c.Value.TryGetProperty("schema", out _));

    private static (Type Type, JsonElement Schema) Unwrap(Type type, JsonElement schema)
    {
        var element = type.IsArray ? type.GetElementType()
            : type.IsGenericType && type.GetInterfaces().Append(type).Any(i => i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IEnumerable<>)) ? type.GetGenericArguments()[0]
            : null;
        return element is not null && schema.TryGetProperty("items", out var items) ? (element, items) : (type, schema);
    }

    [GeneratedRegex(":[^}]+}")]
    private static partial Regex Constraint();
}
