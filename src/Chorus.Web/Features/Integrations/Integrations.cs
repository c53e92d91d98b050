using System.Security.Claims;
using System.Text.Json;
using Chorus.Features.Audit;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Integrations;

/// <summary>
/// Admins' management of integrations: create, change (credentials are write-only: a request that leaves one out
/// keeps it), test the connection, remove; read each one's delivery log and runs; replay an item; ask for a catch-up.
/// The same calls serve the Integrations page.
/// </summary>
public static class Integrations
{
    public sealed record KindView(string Kind, string DisplayName, IReadOnlyList<string> SecretNames, string SettingsTemplate);

    public sealed record View(
        Guid Id, string Kind, string Name, bool Enabled, JsonElement Settings, IReadOnlyList<string> SecretsSet, IntegrationHealth Health,
        string? LastError, DateTime? LastErrorUtc, DateTime? LastSuccessUtc, int Pending, int Failed, int Succeeded, DateTime CreatedUtc);

    /// <summary>Create or change: <c>Secrets</c> are credentials by name; a name left out keeps its value, an empty string removes it.</summary>
    public sealed record Request(string? Kind, string? Name, bool? Enabled, JsonElement? Settings, Dictionary<string, string?>? Secrets);

    public sealed record DeliveryView(
        Guid Id, string EventKind, string Subject, DeliveryStatus Status, int Attempts, DateTime NextAttemptUtc, string? LastError, string? Response,
        string IdempotencyKey, string Payload, Guid? SyncRunId, DateTime CreatedUtc, DateTime? CompletedUtc);

    public sealed record DeliveryPage(List<DeliveryView> Items, int PageNumber, int PageSize, int Total);

    public sealed record RunView(Guid Id, string Kind, SyncRunStatus Status, JsonElement Parameters, long Items, long Succeeded, long Failed, string? Summary,
        Guid? ResultId, DateTime CreatedUtc, DateTime? StartedUtc, DateTime? FinishedUtc);

    public sealed record TestResult(bool Ok, IntegrationHealth Health, string Message);

    public sealed record CatchUpRequest(DateTime? Since);

    public sealed record RunStarted(Guid RunId);

    public static IReadOnlyList<KindView> Kinds(IntegrationRegistry registry) =>
        [.. registry.Handlers.OrderBy(h => h.DisplayName, StringComparer.Ordinal).Select(h => new KindView(h.Kind, h.DisplayName, h.SecretNames, h.SettingsTemplate))];

    public static async Task<List<View>> ListAsync(AppDbContext db, IntegrationRegistry registry, CancellationToken ct)
    {
        var integrations = await db.Integrations.AsNoTracking().Where(i => i.DeletedUtc == null).OrderBy(i => i.CreatedUtc).ToListAsync(ct);
        var ids = integrations.Select(i => i.Id).ToList();
        var counts = await db.IntegrationDeliveries.AsNoTracking().Where(d => ids.Contains(d.IntegrationId))
            .GroupBy(d => new { d.IntegrationId, d.Status }).Select(g => new { g.Key.IntegrationId, g.Key.Status, Count = g.Count() }).ToListAsync(ct);
        return [.. integrations.Select(i => ToView(i, registry, s => counts.Where(c => c.IntegrationId == i.Id && c.Status == s).Sum(c => c.Count)))];
    }

    public static async Task<Outcome<View>> GetAsync(Guid id, AppDbContext db, IntegrationRegistry registry, CancellationToken ct)
    {
        if (await FindAsync(db, id, ct) is not { } integration)
        {
            return Failure.NotFound("The integration");
        }

        var counts = await db.IntegrationDeliveries.AsNoTracking().Where(d => d.IntegrationId == id)
            .GroupBy(d => d.Status).Select(g => new { Status = g.Key, Count = g.Count() }).ToListAsync(ct);
        return ToView(integration, registry, s => counts.Where(c => c.Status == s).Sum(c => c.Count));
    }

    public static async Task<Outcome<View>> CreateAsync(
        Request request, AuditActor actor, CurrentOrganization current, AppDbContext db, IntegrationRegistry registry, TimeProvider clock, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(request.Kind))
        {
            return Failure.Invalid($"Say which kind of integration: kind is one of {KindList(registry)}.", "kind");
        }

        if (registry.Handler(request.Kind.Trim()) is not { } handler)
        {
            return Failure.Invalid($"There is no '{request.Kind.Trim()}' integration; kind is one of {KindList(registry)}.", "kind");
        }

        var name = string.IsNullOrWhiteSpace(request.Name) ? handler.DisplayName : request.Name.Trim();
        if (Check(handler, name, request.Settings, MergeSecrets(new Dictionary<string, string>(), request.Secrets, handler)) is { } failure)
        {
            return failure;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var organizationId = current.Id!.Value;
        var integration = new Integration
        {
            OrganizationId = organizationId,
            Kind = handler.Kind,
            Name = name,
            Enabled = request.Enabled ?? true,
            Settings = SettingsJson(request.Settings),
            SecretsProtected = registry.Protect(MergeSecrets(new Dictionary<string, string>(), request.Secrets, handler)),
            // It starts with what happens from now on; a catch-up run goes back further.
            FeedCursor = await db.AuditEvents.Where(a => a.OrganizationId == organizationId).MaxAsync(a => (long?)a.Sequence, ct) ?? 0,
            CreatedByUserId = actor.UserId ?? Guid.Empty,
            CreatedUtc = now,
            UpdatedUtc = now,
        };
        db.Integrations.Add(integration);
        AuditEvent.Record(db, organizationId, actor, "integration.created", $"integration:{integration.Id}",
            new { integration.Kind, integration.Name, integration.Enabled, secrets = SecretNamesSet(registry, integration) }, now);
        await db.SaveChangesAsync(ct);
        return ToView(integration, registry, _ => 0);
    }

    public static async Task<Outcome<View>> UpdateAsync(
        Guid id, Request request, AuditActor actor, AppDbContext db, IntegrationRegistry registry, TimeProvider clock, CancellationToken ct)
    {
        if (await db.Integrations.FirstOrDefaultAsync(i => i.Id == id && i.DeletedUtc == null, ct) is not { } integration)
        {
            return Failure.NotFound("The integration");
        }

        if (registry.Handler(integration.Kind) is not { } handler)
        {
            return Failure.Conflict($"This server no longer has '{integration.Kind}' integrations; it can only be removed.");
        }

        if (request.Kind is { } kind && !string.Equals(kind.Trim(), integration.Kind, StringComparison.Ordinal))
        {
            return Failure.Invalid("An integration's kind cannot change; create another one.", "kind");
        }

        var name = request.Name is null ? integration.Name : request.Name.Trim();
        var secrets = MergeSecrets(registry.Unprotect(integration.SecretsProtected), request.Secrets, handler);
        var settings = request.Settings ?? JsonDocument.Parse(integration.Settings).RootElement;
        if (Check(handler, name, settings, secrets) is { } failure)
        {
            return failure;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        integration.Name = name;
        integration.Enabled = request.Enabled ?? integration.Enabled;
        integration.Settings = SettingsJson(settings);
        if (request.Secrets is { Count: > 0 })
        {
            integration.SecretsProtected = registry.Protect(secrets);
            // New credentials deserve a fresh start: what waited on the refused ones is tried at once.
            integration.Health = IntegrationHealth.Ok;
            await db.IntegrationDeliveries.Where(d => d.IntegrationId == id && d.Status == DeliveryStatus.Pending)
                .ExecuteUpdateAsync(s => s.SetProperty(d => d.NextAttemptUtc, now), ct);
        }

        integration.UpdatedUtc = now;
        AuditEvent.Record(db, integration.OrganizationId, actor, "integration.updated", $"integration:{integration.Id}",
            new { integration.Name, integration.Enabled, secretsChanged = request.Secrets?.Keys.Order(StringComparer.Ordinal).ToList() ?? [] }, now);
        await db.SaveChangesAsync(ct);
        return (await GetAsync(id, db, registry, ct)).Value!;
    }

    public static async Task<Outcome<bool>> DeleteAsync(Guid id, AuditActor actor, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (await db.Integrations.FirstOrDefaultAsync(i => i.Id == id && i.DeletedUtc == null, ct) is not { } integration)
        {
            return Failure.NotFound("The integration");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        integration.DeletedUtc = now;
        integration.Enabled = false;
        integration.SecretsProtected = null; // removed means the credentials are gone too; the log stays
        AuditEvent.Record(db, integration.OrganizationId, actor, "integration.deleted", $"integration:{integration.Id}", new { integration.Kind, integration.Name }, now);
        await db.SaveChangesAsync(ct);
        return true;
    }

    public static async Task<Outcome<TestResult>> TestAsync(Guid id, AuditActor actor, AppDbContext db, IntegrationRegistry registry, TimeProvider clock, CancellationToken ct)
    {
        if (await db.Integrations.FirstOrDefaultAsync(i => i.Id == id && i.DeletedUtc == null, ct) is not { } integration)
        {
            return Failure.NotFound("The integration");
        }

        if (registry.Handler(integration.Kind) is not { } handler)
        {
            return Failure.Conflict($"This server no longer has '{integration.Kind}' integrations.");
        }

        DeliveryResult result;
        try
        {
            result = await handler.TestAsync(registry.Context(integration), ct);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            result = DeliveryResult.Transient($"The service could not be reached: {ex.Message}");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var ok = result.Outcome == DeliveryOutcome.Succeeded;
        integration.Health = result.Outcome switch
        {
            DeliveryOutcome.Succeeded => IntegrationHealth.Ok,
            DeliveryOutcome.Unauthorized => IntegrationHealth.Unauthorized,
            _ => IntegrationHealth.Failing,
        };
        if (!ok)
        {
            integration.LastError = DeliveryResult.Truncate(result.Error ?? "The test failed.", Integration.MaxErrorLength);
            integration.LastErrorUtc = now;
        }

        AuditEvent.Record(db, integration.OrganizationId, actor, "integration.tested", $"integration:{integration.Id}", new { ok, error = result.Error }, now);
        await db.SaveChangesAsync(ct);
        return new TestResult(ok, integration.Health, ok ? $"Connected. {result.Response}".Trim() : integration.LastError!);
    }

    public static async Task<Outcome<DeliveryPage>> DeliveriesAsync(Guid id, string? status, int? page, int? pageSize, AppDbContext db, CancellationToken ct)
    {
        if (await FindAsync(db, id, ct) is null)
        {
            return Failure.NotFound("The integration");
        }

        var query = db.IntegrationDeliveries.AsNoTracking().Where(d => d.IntegrationId == id);
        if (!string.IsNullOrWhiteSpace(status))
        {
            if (!Enum.TryParse<DeliveryStatus>(status.Trim(), ignoreCase: true, out var wanted) || int.TryParse(status, out _))
            {
                return Failure.Invalid("status is one of pending, succeeded, failed.", "status");
            }

            query = query.Where(d => d.Status == wanted);
        }

        var size = Math.Clamp(pageSize ?? 50, 1, 500);
        var number = Math.Max(page ?? 1, 1);
        var total = await query.CountAsync(ct);
        var items = await query.OrderByDescending(d => d.CreatedUtc).ThenByDescending(d => d.SourceSequence).Skip((number - 1) * size).Take(size)
            .Select(d => new DeliveryView(d.Id, d.EventKind, d.Subject, d.Status, d.Attempts, d.NextAttemptUtc, d.LastError, d.Response, d.IdempotencyKey,
                d.Payload, d.SyncRunId, d.CreatedUtc, d.CompletedUtc))
            .ToListAsync(ct);
        return new DeliveryPage(items, number, size, total);
    }

    /// <summary>Queues an item again (failed, delivered or waiting): it is attempted at once, with the same idempotency key.</summary>
    public static async Task<Outcome<DeliveryView>> ReplayAsync(Guid id, Guid deliveryId, AuditActor actor, AppDbContext db, IntegrationSignal signal, TimeProvider clock, CancellationToken ct)
    {
        var delivery = await db.IntegrationDeliveries.FirstOrDefaultAsync(d => d.Id == deliveryId && d.IntegrationId == id, ct);
        if (delivery is null || await FindAsync(db, id, ct) is null)
        {
            return Failure.NotFound("The delivery");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var was = delivery.Status;
        delivery.Status = DeliveryStatus.Pending;
        delivery.Attempts = 0;
        delivery.NextAttemptUtc = now;
        delivery.CompletedUtc = null;
        delivery.ClaimToken = null;
        AuditEvent.Record(db, delivery.OrganizationId, actor, "integration.replayed", $"integration:{id}", new { deliveryId, was = was.ToString() }, now);
        await db.SaveChangesAsync(ct);
        signal.Notify();
        return new DeliveryView(delivery.Id, delivery.EventKind, delivery.Subject, delivery.Status, delivery.Attempts, delivery.NextAttemptUtc, delivery.LastError,
            delivery.Response, delivery.IdempotencyKey, delivery.Payload, delivery.SyncRunId, delivery.CreatedUtc, delivery.CompletedUtc);
    }

    public static async Task<Outcome<List<RunView>>> RunsAsync(Guid id, AppDbContext db, CancellationToken ct)
    {
        if (await FindAsync(db, id, ct) is null)
        {
            return Failure.NotFound("The integration");
        }

        var runs = await db.SyncRuns.AsNoTracking().Where(r => r.IntegrationId == id).OrderByDescending(r => r.CreatedUtc).Take(100).ToListAsync(ct);
        return runs.Select(ToRunView).ToList();
    }

    public static async Task<Outcome<RunView>> RunAsync(Guid id, Guid runId, AppDbContext db, CancellationToken ct) =>
        await db.SyncRuns.AsNoTracking().FirstOrDefaultAsync(r => r.Id == runId && r.IntegrationId == id, ct) is { } run ? ToRunView(run) : Failure.NotFound("The run");

    public static async Task<Outcome<RunStarted>> CatchUpAsync(
        Guid id, CatchUpRequest request, AuditActor actor, AppDbContext db, IntegrationSignal signal, TimeProvider clock, CancellationToken ct)
    {
        if (await db.Integrations.FirstOrDefaultAsync(i => i.Id == id && i.DeletedUtc == null, ct) is not { } integration)
        {
            return Failure.NotFound("The integration");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (request.Since is not { } since)
        {
            return Failure.Invalid("Say from when to catch up: since is a time (UTC).", "since");
        }

        if (since > now)
        {
            return Failure.Invalid("since is in the future; nothing happened there yet.", "since");
        }

        var run = SyncRuns.Queue(db, integration, SyncRuns.CatchUp, new SyncRuns.CatchUpParameters(DateTime.SpecifyKind(since.ToUniversalTime(), DateTimeKind.Utc)), actor, now);
        await db.SaveChangesAsync(ct);
        signal.Notify();
        return new RunStarted(run.Id);
    }

    internal static RunView ToRunView(SyncRun r) => new(r.Id, r.Kind, r.Status, JsonDocument.Parse(r.Parameters).RootElement.Clone(), r.Items, r.Succeeded, r.Failed,
        r.Summary, r.ResultId, r.CreatedUtc, r.StartedUtc, r.FinishedUtc);

    /// <summary>The live integration with that id in the caller's organization (the tenant filter applies), or null.</summary>
    public static Task<Integration?> FindAsync(AppDbContext db, Guid id, CancellationToken ct) =>
        db.Integrations.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id && i.DeletedUtc == null, ct);

    private static View ToView(Integration i, IntegrationRegistry registry, Func<DeliveryStatus, int> count)
    {
        using var settings = JsonDocument.Parse(i.Settings);
        return new View(i.Id, i.Kind, i.Name, i.Enabled, settings.RootElement.Clone(), SecretNamesSet(registry, i), i.Health, i.LastError, i.LastErrorUtc,
            i.LastSuccessUtc, count(DeliveryStatus.Pending), count(DeliveryStatus.Failed), count(DeliveryStatus.Succeeded), i.CreatedUtc);
    }

    private static List<string> SecretNamesSet(IntegrationRegistry registry, Integration i) => [.. registry.Unprotect(i.SecretsProtected).Keys.Order(StringComparer.Ordinal)];

    private static string KindList(IntegrationRegistry registry) => string.Join(", ", registry.Handlers.Select(h => h.Kind).Order(StringComparer.Ordinal));

    private static string SettingsJson(JsonElement? settings) =>
        settings is { ValueKind: JsonValueKind.Object } value ? value.GetRawText() : "{}";

    private static Dictionary<string, string> MergeSecrets(IReadOnlyDictionary<string, string> kept, Dictionary<string, string?>? changes, IIntegrationHandler handler)
    {
        var merged = new Dictionary<string, string>(kept, StringComparer.Ordinal);
        foreach (var (name, value) in changes ?? [])
        {
            if (string.IsNullOrEmpty(value))
            {
                merged.Remove(name);
            }
            else if (handler.SecretNames.Contains(name, StringComparer.Ordinal))
            {
                merged[name] = value.Trim();
            }
        }

        return merged;
    }

    private static Failure? Check(IIntegrationHandler handler, string name, JsonElement? settings, IReadOnlyDictionary<string, string> secrets)
    {
        if (name.Length is 0 or > Integration.MaxNameLength)
        {
            return Failure.Invalid($"Give the integration a name of up to {Integration.MaxNameLength} characters.", "name");
        }

        if (settings is { } s && s.ValueKind is not (JsonValueKind.Object or JsonValueKind.Null or JsonValueKind.Undefined))
        {
            return Failure.Invalid("settings is a JSON object.", "settings");
        }

        var problems = handler.Validate(settings is { ValueKind: JsonValueKind.Object } o ? o : JsonDocument.Parse("{}").RootElement, secrets);
        return problems.Count == 0
            ? null
            : new Failure(FailureKind.Invalid, string.Join(" ", problems.Select(p => p.Message)),
                problems.GroupBy(p => p.Field ?? "settings").ToDictionary(g => g.Key, g => g.Select(p => p.Message).ToArray()));
    }

    // Endpoint adapters.
    public static Ok<IReadOnlyList<KindView>> HandleKinds(IntegrationRegistry registry) => TypedResults.Ok(Kinds(registry));

    public static async Task<Ok<List<View>>> HandleListAsync(AppDbContext db, IntegrationRegistry registry, CancellationToken ct) => TypedResults.Ok(await ListAsync(db, registry, ct));

    public static async Task<Results<Ok<View>, ProblemHttpResult>> HandleGetAsync(Guid id, AppDbContext db, IntegrationRegistry registry, CancellationToken ct) =>
        (await GetAsync(id, db, registry, ct)).ToOk();

    public static async Task<Results<Created<View>, ProblemHttpResult>> HandleCreateAsync(
        Request request, ClaimsPrincipal user, CurrentOrganization current, AppDbContext db, IntegrationRegistry registry, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await CreateAsync(request, user.AsAuditActor(), current, db, registry, clock, ct);
        return outcome.Failure is { } f ? f.ToProblem() : TypedResults.Created($"/api/v1/orgs/{current.Slug}/integrations/{outcome.Value!.Id}", outcome.Value);
    }

    public static async Task<Results<Ok<View>, ProblemHttpResult>> HandleUpdateAsync(
        Guid id, Request request, ClaimsPrincipal user, AppDbContext db, IntegrationRegistry registry, TimeProvider clock, CancellationToken ct) =>
        (await UpdateAsync(id, request, user.AsAuditActor(), db, registry, clock, ct)).ToOk();

    public static async Task<Results<NoContent, ProblemHttpResult>> HandleDeleteAsync(Guid id, ClaimsPrincipal user, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
        (await DeleteAsync(id, user.AsAuditActor(), db, clock, ct)).Failure is { } f ? f.ToProblem() : TypedResults.NoContent();

    public static async Task<Results<Ok<TestResult>, ProblemHttpResult>> HandleTestAsync(
        Guid id, ClaimsPrincipal user, AppDbContext db, IntegrationRegistry registry, TimeProvider clock, CancellationToken ct) =>
        (await TestAsync(id, user.AsAuditActor(), db, registry, clock, ct)).ToOk();

    public static async Task<Results<Ok<DeliveryPage>, ProblemHttpResult>> HandleDeliveriesAsync(
        Guid id, string? status, int? page, int? pageSize, AppDbContext db, CancellationToken ct) =>
        (await DeliveriesAsync(id, status, page, pageSize, db, ct)).ToOk();

    public static async Task<Results<Accepted<DeliveryView>, ProblemHttpResult>> HandleReplayAsync(
        Guid id, Guid deliveryId, ClaimsPrincipal user, AppDbContext db, IntegrationSignal signal, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await ReplayAsync(id, deliveryId, user.AsAuditActor(), db, signal, clock, ct);
        return outcome.Failure is { } f ? f.ToProblem() : TypedResults.Accepted((string?)null, outcome.Value!);
    }

    public static async Task<Results<Ok<List<RunView>>, ProblemHttpResult>> HandleRunsAsync(Guid id, AppDbContext db, CancellationToken ct) =>
        (await RunsAsync(id, db, ct)).ToOk();

    public static async Task<Results<Ok<RunView>, ProblemHttpResult>> HandleRunAsync(Guid id, Guid runId, AppDbContext db, CancellationToken ct) =>
        (await RunAsync(id, runId, db, ct)).ToOk();

    public static async Task<Results<Accepted<RunStarted>, ProblemHttpResult>> HandleCatchUpAsync(
        Guid id, CatchUpRequest request, ClaimsPrincipal user, AppDbContext db, IntegrationSignal signal, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await CatchUpAsync(id, request, user.AsAuditActor(), db, signal, clock, ct);
        return outcome.Failure is { } f ? f.ToProblem() : TypedResults.Accepted((string?)null, outcome.Value!);
    }
}
