using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Chorus.Features.Integrations;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Chorus.IntegrationTests.Features.Integrations;

/// <summary>Set-up shared by the integration tests: creating integrations through the API and running the worker by hand.</summary>
internal static class IntegrationKit
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static Uri Url(TestOrg org, string rest) => new($"/api/v1/orgs/{org.Slug}{rest}", UriKind.Relative);

    public static async Task<Chorus.Features.Integrations.Integrations.View> CreateAsync(
        TestOrg org, string kind, object? settings = null, Dictionary<string, string?>? secrets = null, string? name = null) =>
        await (await org.Owner.Client.PostAsJsonAsync(Url(org, "/integrations"), new { kind, name, settings = settings ?? new { }, secrets = secrets ?? [] }, Ct))
            .ReadAsync<Chorus.Features.Integrations.Integrations.View>(HttpStatusCode.Created);

    /// <summary>One full pass of the integration worker: runs, the feed, every due delivery.</summary>
    public static Task<int> RunWorkerAsync(ChorusApp app) =>
        IntegrationWorker.RunOnceAsync(app.Services.GetRequiredService<IServiceScopeFactory>(), Ct);

    public static async Task<List<Chorus.Features.Integrations.Integrations.DeliveryView>> DeliveriesAsync(TestOrg org, Guid integrationId) =>
        (await (await org.Owner.Client.GetAsync(Url(org, $"/integrations/{integrationId}/deliveries?pageSize=500"), Ct))
            .ReadAsync<Chorus.Features.Integrations.Integrations.DeliveryPage>(HttpStatusCode.OK)).Items;

    public static async Task OptOutAsync(TestOrg org, string phone) =>
        await (await org.Owner.Client.PostAsJsonAsync(Url(org, "/opt-outs"), new { phone, reason = "asked" }, Ct)).ShouldHaveStatusAsync(HttpStatusCode.Created);
}

/// <summary>
/// An integration kind for tests: plans one item per event (one per tag added), answers deliveries from a script of
/// results (success once the script is empty) and remembers every attempt.
/// </summary>
internal sealed class ScriptedHandler : IIntegrationHandler
{
    public const string KindName = "test-crm";
    private static readonly JsonSerializerOptions PayloadJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public string Kind => KindName;
    public string DisplayName => "Test CRM";
    public IReadOnlyList<string> SecretNames => ["apiKey"];
    public ConcurrentQueue<DeliveryResult> Script { get; } = new();
    public ConcurrentQueue<(string Key, string Payload, string ApiKey)> Attempts { get; } = new();

    public IReadOnlyList<Problem> Validate(JsonElement settings, IReadOnlyDictionary<string, string> secrets)
    {
        var problems = new List<Problem>();
        if (!secrets.ContainsKey("apiKey"))
        {
            problems.Add(new Problem("The Test CRM needs an API key.", "secrets.apiKey"));
        }

        if (settings.TryGetProperty("listId", out var list) && list.ValueKind != JsonValueKind.String)
        {
            problems.Add(new Problem("listId is text.", "settings.listId"));
        }

        return problems;
    }

    public ValueTask<IReadOnlyList<PlannedDelivery>> PlanAsync(IntegrationContext integration, IntegrationEvent e, AppDbContext db, CancellationToken ct)
    {
        var payload = JsonSerializer.Serialize(new { e.Kind, e.Phone, contact = e.Contact?.Id, e.Data }, PayloadJson);
        IReadOnlyList<PlannedDelivery> items = e.Kind == IntegrationEvent.Tagged
            ? [.. e.Data.GetProperty("added").EnumerateArray().Select(t => new PlannedDelivery($"tag:{t.GetString()}", $"contact:{e.Contact?.Id}", payload))]
            : [new PlannedDelivery("push", e.Phone is null ? "" : $"phone:{e.Phone}", payload)];
        return ValueTask.FromResult(items);
    }

    public Task<DeliveryResult> DeliverAsync(IntegrationContext integration, IntegrationDelivery delivery, CancellationToken ct)
    {
        Attempts.Enqueue((delivery.IdempotencyKey, delivery.Payload, integration.Secret("apiKey") ?? ""));
        return Task.FromResult(Script.TryDequeue(out var result) ? result : DeliveryResult.Success("200 {\"ok\":true}"));
    }

    public Task<DeliveryResult> TestAsync(IntegrationContext integration, CancellationToken ct) =>
        Task.FromResult(integration.Secret("apiKey") == "good" ? DeliveryResult.Success("pong") : DeliveryResult.Unauthorized("401 Invalid API key"));
}
