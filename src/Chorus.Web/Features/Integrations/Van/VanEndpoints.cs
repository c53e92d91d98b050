using System.Globalization;
using System.Security.Claims;
using System.Text.Json.Nodes;
using Chorus.Features.Campaigns;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Integrations.Van;

/// <summary>
/// VAN-specific calls for admins: the lookups the mapping screen picks from, the saved lists, and queuing a saved-list
/// import into a campaign. Another organization's integration (or campaign) is not found.
/// </summary>
public static class VanEndpoints
{
    public sealed record ResolvedIds(int? ContactTypeId, int? InputTypeId, int? DoNotTextResultCodeId, int? WrongNumberResultCodeId);

    public sealed record LookupsView(
        IReadOnlyList<VanNamed> ContactTypes, IReadOnlyList<VanNamed> InputTypes, IReadOnlyList<VanNamed> ResultCodes,
        IReadOnlyList<VanSurveyQuestion> SurveyQuestions, IReadOnlyList<VanNamed> ActivistCodes, ResolvedIds Resolved, IReadOnlyList<string> Problems);

    public sealed record SavedList(int SavedListId, string Name, string? Description, int? ListCount);

    public sealed record ImportRequest(int? SavedListId, Guid? CampaignId);

    public static async Task<Outcome<LookupsView>> LookupsAsync(Guid id, AppDbContext db, IntegrationRegistry registry, IHttpClientFactory clients, VanCache cache, CancellationToken ct)
    {
        var found = await ApiAsync(id, db, registry, clients, ct);
        if (found.Failure is { } failure)
        {
            return failure;
        }

        var (api, integration) = found.Value;
        var (lookups, refused) = await cache.AllLookupsAsync(api, integration, ct);
        if (refused is not null)
        {
            return Refused(refused, "VAN's lookups");
        }

        var canvass = lookups!.Canvass;
        var s = api.Settings;
        var resolved = new ResolvedIds(
            VanCanvassLookups.Find(canvass.ContactTypes, s.ContactType), VanCanvassLookups.Find(canvass.InputTypes, s.InputType),
            VanCanvassLookups.Find(canvass.ResultCodes, s.DoNotTextResultCode), VanCanvassLookups.Find(canvass.ResultCodes, s.WrongNumberResultCode));
        var problems = new List<string>();
        Check(resolved.ContactTypeId, "contact type", s.ContactType, "contactType");
        Check(resolved.InputTypeId, "input type", s.InputType, "inputType");
        Check(resolved.DoNotTextResultCodeId, "result code", s.DoNotTextResultCode, "doNotTextResultCode");
        Check(resolved.WrongNumberResultCodeId, "result code", s.WrongNumberResultCode, "wrongNumberResultCode");
        foreach (var (stepId, mapping) in s.SurveyQuestions)
        {
            var question = lookups.SurveyQuestions.FirstOrDefault(q => q.Id == mapping.SurveyQuestionId);
            if (question is null)
            {
                problems.Add($"Question {stepId} maps to survey question {mapping.SurveyQuestionId}, which is not among VAN's active survey questions.");
                continue;
            }

            problems.AddRange(mapping.Responses.Where(r => question.Responses.All(v => v.Id != r.Value))
                .Select(r => $"The answer '{r.Key}' maps to response {r.Value}, which is not a response of VAN's '{question.Name}'."));
        }

        problems.AddRange(s.ActivistCodes.Where(c => lookups.ActivistCodes.All(a => a.Id != c.Value))
            .Select(c => $"The tag '{c.Key}' maps to activist code {c.Value}, which is not among VAN's active activist codes."));
        return new LookupsView(canvass.ContactTypes, canvass.InputTypes, canvass.ResultCodes, lookups.SurveyQuestions, lookups.ActivistCodes, resolved, problems);

        void Check(int? resolvedId, string what, string name, string setting)
        {
            if (resolvedId is null)
            {
                problems.Add($"VAN has no {what} named '{name}'; set settings.{setting} to one of its names.");
            }
        }
    }

    public static async Task<Outcome<List<SavedList>>> SavedListsAsync(Guid id, AppDbContext db, IntegrationRegistry registry, IHttpClientFactory clients, CancellationToken ct)
    {
        var found = await ApiAsync(id, db, registry, clients, ct);
        if (found.Failure is { } failure)
        {
            return failure;
        }

        var answer = await found.Value.Api.GetAsync("savedLists?$top=100", ct);
        if (!answer.Ok)
        {
            return Refused(answer, "VAN's saved lists");
        }

        var items = VanApi.Parse(answer)?["items"] as JsonArray ?? [];
        return items.OfType<JsonObject>()
            .Select(l => int.TryParse(l["savedListId"]?.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var listId)
                ? new SavedList(listId, l["name"]?.ToString() ?? "", l["description"]?.ToString(),
                    int.TryParse(l["listCount"]?.ToString(), NumberStyles.None, CultureInfo.InvariantCulture, out var count) ? count : null)
                : null)
            .OfType<SavedList>().ToList();
    }

    public static async Task<Outcome<Integrations.RunStarted>> ImportAsync(
        Guid id, ImportRequest request, Audit.AuditActor actor, AppDbContext db, IntegrationSignal signal, TimeProvider clock, CancellationToken ct)
    {
        if (await db.Integrations.FirstOrDefaultAsync(i => i.Id == id && i.DeletedUtc == null && i.Kind == VanHandler.KindName, ct) is not { } integration)
        {
            return Failure.NotFound("The VAN integration");
        }

        if (request.SavedListId is not > 0)
        {
            return Failure.Invalid("Say which saved list: savedListId is a VAN saved list id (GET …/van/saved-lists).", "savedListId");
        }

        if (request.CampaignId is not { } campaignId || await db.Campaigns.AsNoTracking().Where(c => c.Id == campaignId).Select(c => (CampaignStatus?)c.Status).FirstOrDefaultAsync(ct) is not { } status)
        {
            return Failure.NotFound("The campaign");
        }

        if (status == CampaignStatus.Archived)
        {
            return Failure.Conflict("This campaign is archived; copy it to import contacts again.");
        }

        var run = SyncRuns.Queue(db, integration, VanListImport.Kind, new VanListImport.Parameters(request.SavedListId.Value, campaignId), actor, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        signal.Notify();
        return new Integrations.RunStarted(run.Id);
    }

    private static async Task<Outcome<(VanApi Api, Integration Integration)>> ApiAsync(Guid id, AppDbContext db, IntegrationRegistry registry, IHttpClientFactory clients, CancellationToken ct)
    {
        var integration = await db.Integrations.AsNoTracking().FirstOrDefaultAsync(i => i.Id == id && i.DeletedUtc == null && i.Kind == VanHandler.KindName, ct);
        if (integration is null)
        {
            return Failure.NotFound("The VAN integration");
        }

        return VanApi.For(clients, registry.Context(integration)) is { } api
            ? (api, integration)
            : Failure.Conflict("The integration has no VAN application name or API key.");
    }

    private static Failure Refused(VanAnswer answer, string what) => answer.ToResult().Outcome switch
    {
        DeliveryOutcome.Unauthorized => Failure.Conflict($"VAN refused the credentials ({answer.Status}): {answer.Message}"),
        DeliveryOutcome.Transient => Failure.Conflict($"{what} could not be read now ({answer.Message}); try again shortly."),
        _ => Failure.Conflict($"{what} could not be read ({answer.Status}): {answer.Message}"),
    };

    // Endpoint adapters.
    public static async Task<Results<Ok<LookupsView>, ProblemHttpResult>> HandleLookupsAsync(
        Guid id, AppDbContext db, IntegrationRegistry registry, IHttpClientFactory clients, VanCache cache, CancellationToken ct) =>
        (await LookupsAsync(id, db, registry, clients, cache, ct)).ToOk();

    public static async Task<Results<Ok<List<SavedList>>, ProblemHttpResult>> HandleSavedListsAsync(
        Guid id, AppDbContext db, IntegrationRegistry registry, IHttpClientFactory clients, CancellationToken ct) =>
        (await SavedListsAsync(id, db, registry, clients, ct)).ToOk();

    public static async Task<Results<Accepted<Integrations.RunStarted>, ProblemHttpResult>> HandleImportAsync(
        Guid id, ImportRequest request, ClaimsPrincipal user, CurrentOrganization current, AppDbContext db, IntegrationSignal signal, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await ImportAsync(id, request, user.AsAuditActor(), db, signal, clock, ct);
        return outcome.Failure is { } f ? f.ToProblem() : TypedResults.Accepted($"/api/v1/orgs/{current.Slug}/integrations/{id}/runs/{outcome.Value!.RunId}", outcome.Value);
    }
}
