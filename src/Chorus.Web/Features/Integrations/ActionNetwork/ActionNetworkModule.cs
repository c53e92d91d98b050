using System.Security.Claims;
using System.Text.RegularExpressions;
using Chorus.Features.Campaigns;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;

namespace Chorus.Features.Integrations.ActionNetwork;

public static partial class ActionNetworkModule
{
    public static WebApplicationBuilder AddActionNetwork(this WebApplicationBuilder builder)
    {
        builder.Services.AddOptions<ActionNetworkOptions>().BindConfiguration(ActionNetworkOptions.Section);

        // One quick retry at most: the framework retries items durably with backoff, and imports wait out 429s themselves.
        // Both of Action Network's writes Chorus makes (signup helper, tagging) are upserts, so a retried POST is harmless.
        builder.Services.AddHttpClient(ActionNetworkClient.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan)
            .AddStandardResilienceHandler()
            .Configure((HttpStandardResilienceOptions o, IServiceProvider sp) =>
            {
                var timeout = sp.GetRequiredService<IOptions<IntegrationsOptions>>().Value.RequestTimeout;
                o.Retry.MaxRetryAttempts = 1;
                o.Retry.Delay = TimeSpan.Zero;
                o.Retry.BackoffType = Polly.DelayBackoffType.Constant;
                o.Retry.UseJitter = false;
                o.Retry.ShouldRetryAfterHeader = false;
                o.AttemptTimeout.Timeout = timeout;
                o.TotalRequestTimeout.Timeout = (timeout * 2) + TimeSpan.FromSeconds(1);
                o.CircuitBreaker.SamplingDuration = o.TotalRequestTimeout.Timeout > TimeSpan.FromSeconds(30) ? o.TotalRequestTimeout.Timeout : TimeSpan.FromSeconds(30);
            });
        builder.Services.AddSingleton<ActionNetworkHandler>();
        builder.Services.AddSingleton<IIntegrationHandler>(sp => sp.GetRequiredService<ActionNetworkHandler>());
        builder.Services.AddSingleton<IIntegrationRunner, ActionNetworkImportRunner>();
        return builder;
    }

    public static IEndpointRouteBuilder MapActionNetworkEndpoints(this IEndpointRouteBuilder app)
    {
        var group = app.MapOrgApiGroup("/integrations/{id:guid}/action-network", Policies.OrgAdmin).WithTags("Integrations");
        group.MapGet("/tags", HandleTagsAsync).WithSummary("The Action Network group's tags (id, name), read through every page, to pick one to import.");
        group.MapGet("/lists", HandleListsAsync).WithSummary("The Action Network group's lists (id, name), to pick one to import.");
        group.MapPost("/imports", HandleImportAsync)
            .WithSummary("Queues an import of everyone with a tag or on a list {tagId | listId, campaignId} into a campaign, through the same importer as uploads; the run's resultId is the import.");
        return app;
    }

    public sealed record Collection(string Id, string Name);

    public sealed record ImportRequest(string? TagId, string? ListId, Guid? CampaignId);

    public static Task<Results<Ok<List<Collection>>, ProblemHttpResult>> HandleTagsAsync(Guid id, AppDbContext db, ActionNetworkHandler handler, IntegrationRegistry registry, CancellationToken ct) =>
        CollectionAsync(id, "tags", "osdi:tags", db, handler, registry, ct);

    public static Task<Results<Ok<List<Collection>>, ProblemHttpResult>> HandleListsAsync(Guid id, AppDbContext db, ActionNetworkHandler handler, IntegrationRegistry registry, CancellationToken ct) =>
        CollectionAsync(id, "lists", "osdi:lists", db, handler, registry, ct);

    public static async Task<Results<Accepted<Integrations.RunStarted>, ProblemHttpResult>> HandleImportAsync(
        Guid id, ImportRequest request, ClaimsPrincipal user, CurrentOrganization current, AppDbContext db, IntegrationSignal signal, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await QueueImportAsync(id, request, user, db, signal, clock, ct);
        return outcome.Failure is { } f
            ? f.ToProblem()
            : TypedResults.Accepted($"/api/v1/orgs/{current.Slug}/integrations/{id}/runs/{outcome.Value!.RunId}", outcome.Value);
    }

    public static async Task<Outcome<Integrations.RunStarted>> QueueImportAsync(
        Guid id, ImportRequest request, ClaimsPrincipal user, AppDbContext db, IntegrationSignal signal, TimeProvider clock, CancellationToken ct)
    {
        var integration = await db.Integrations.FirstOrDefaultAsync(i => i.Id == id && i.DeletedUtc == null && i.Kind == ActionNetworkHandler.KindName, ct);
        if (integration is null)
        {
            return Failure.NotFound("The Action Network integration");
        }

        var tagId = Clean(request.TagId);
        var listId = Clean(request.ListId);
        if ((tagId is null) == (listId is null))
        {
            return Failure.Invalid("Say what to import: either tagId or listId (an Action Network id, see …/action-network/tags and …/lists), not both.", tagId is null ? "tagId" : "listId");
        }

        if (!ValidId().IsMatch(tagId ?? listId!))
        {
            return Failure.Invalid("That is not an Action Network id (letters, digits, '-' and '_', up to 100).", tagId is null ? "listId" : "tagId");
        }

        if (request.CampaignId is not { } campaignId)
        {
            return Failure.Invalid("Say which campaign the people go into: campaignId.", "campaignId");
        }

        var campaign = await db.Campaigns.AsNoTracking().Where(c => c.Id == campaignId).Select(c => new { c.Status }).FirstOrDefaultAsync(ct);
        if (campaign is null)
        {
            return Failure.NotFound("The campaign");
        }

        if (campaign.Status == CampaignStatus.Archived)
        {
            return Failure.Conflict("This campaign is archived; copy it to import contacts again.");
        }

        if (!integration.Enabled)
        {
            return Failure.Conflict("The integration is turned off; turn it on to import from Action Network.");
        }

        var run = SyncRuns.Queue(db, integration, ActionNetworkImportRunner.Kind, new ActionNetworkImportRunner.Parameters(tagId, listId, campaignId), user.AsAuditActor(),
            clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        signal.Notify();
        return new Integrations.RunStarted(run.Id);
    }

    private static async Task<Results<Ok<List<Collection>>, ProblemHttpResult>> CollectionAsync(
        Guid id, string path, string embedded, AppDbContext db, ActionNetworkHandler handler, IntegrationRegistry registry, CancellationToken ct)
    {
        var integration = await Integrations.FindAsync(db, id, ct);
        if (integration is null || integration.Kind != ActionNetworkHandler.KindName)
        {
            return Failure.NotFound("The Action Network integration").ToProblem();
        }

        var client = handler.Client(registry.Context(integration));
        var items = new List<Collection>();
        const int maxPages = 200;
        var pages = 0;
        try
        {
            await foreach (var page in client.PagesAsync(path, ct))
            {
                if (page.Failure is { } failure)
                {
                    return TypedResults.Problem(detail: failure.Error, statusCode: StatusCodes.Status502BadGateway, title: "Action Network did not answer as expected.");
                }

                items.AddRange(ActionNetworkClient.Embedded(page.Value, embedded)
                    .Select(t => (Id: ActionNetworkClient.ResourceId(t), Name: t.TryGetProperty("name", out var n) && n.ValueKind == JsonValueKindString ? n.GetString() : null))
                    .Where(t => t.Id is not null)
                    .Select(t => new Collection(t.Id!, t.Name ?? t.Id!)));
                if (++pages >= maxPages)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            return TypedResults.Problem(detail: $"Action Network could not be reached: {ex.Message}", statusCode: StatusCodes.Status502BadGateway);
        }

        return TypedResults.Ok(items.OrderBy(t => t.Name, StringComparer.OrdinalIgnoreCase).ToList());
    }

    private const System.Text.Json.JsonValueKind JsonValueKindString = System.Text.Json.JsonValueKind.String;

    private static string? Clean(string? id)
    {
        if (string.IsNullOrWhiteSpace(id))
        {
            return null;
        }

        var trimmed = id.Trim();
        return trimmed.StartsWith("action_network:", StringComparison.Ordinal) ? trimmed["action_network:".Length..] : trimmed;
    }

    [GeneratedRegex("^[A-Za-z0-9_-]{1,100}$")]
    private static partial Regex ValidId();
}
