using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Chorus.Features.Audit;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Campaigns;

/// <summary>Canned responses: per campaign, or organization-wide (no campaign). Their texts are templates too.</summary>
public static class CannedResponses
{
    public sealed record Request(
        [property: Required, MaxLength(CannedResponse.MaxTitleLength)] string Title,
        [property: Required, MaxLength(Campaign.MaxMessageLength)] string Text,
        IReadOnlyList<string>? Tags);

    public sealed record View(Guid Id, Guid? CampaignId, string Title, string Text, IReadOnlyList<string> Tags, DateTime UpdatedUtc)
    {
        public static View From(CannedResponse r) => new(r.Id, r.CampaignId, r.Title, r.Text, r.Tags, r.UpdatedUtc);
    }

    /// <summary>A campaign's own responses first, then the organization-wide ones.</summary>
    public static async Task<List<View>> ListAsync(Guid? campaignId, AppDbContext db, CancellationToken ct)
    {
        var rows = await db.CannedResponses.AsNoTracking()
            .Where(r => r.CampaignId == null || (campaignId != null && r.CampaignId == campaignId))
            .ToListAsync(ct);
        return [.. rows.OrderBy(r => r.CampaignId is null).ThenBy(r => r.Title, StringComparer.CurrentCultureIgnoreCase).Select(View.From)];
    }

    public static async Task<Outcome<CannedResponse>> CreateAsync(Guid? campaignId, Request request, AuditActor actor, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (campaignId is { } id && !await db.Campaigns.AnyAsync(c => c.Id == id, ct))
        {
            return Failure.NotFound("The campaign");
        }

        if (Validate(request, await KnownFieldsAsync(campaignId, db, ct)) is { } invalid)
        {
            return invalid;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var response = new CannedResponse
        {
            OrganizationId = current.Id!.Value,
            CampaignId = campaignId,
            Title = request.Title.Trim(),
            Text = request.Text,
            Tags = NormalizeTags(request.Tags),
            CreatedUtc = now,
            UpdatedUtc = now,
        };
        db.CannedResponses.Add(response);
        AuditEvent.Record(db, response.OrganizationId, actor, "canned_response.created", $"canned_response:{response.Id}", new { response.Title, campaignId }, now);
        await db.SaveChangesAsync(ct);
        return response;
    }

    public static async Task<Outcome<CannedResponse>> UpdateAsync(Guid responseId, Request request, AuditActor actor, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var response = await db.CannedResponses.FirstOrDefaultAsync(r => r.Id == responseId, ct);
        if (response is null)
        {
            return Failure.NotFound("The canned response");
        }

        if (Validate(request, await KnownFieldsAsync(response.CampaignId, db, ct)) is { } invalid)
        {
            return invalid;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        response.Title = request.Title.Trim();
        response.Text = request.Text;
        response.Tags = NormalizeTags(request.Tags);
        response.UpdatedUtc = now;
        AuditEvent.Record(db, response.OrganizationId, actor, "canned_response.updated", $"canned_response:{response.Id}", new { response.Title }, now);
        await db.SaveChangesAsync(ct);
        return response;
    }

    public static async Task<Failure?> DeleteAsync(Guid responseId, AuditActor actor, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var response = await db.CannedResponses.FirstOrDefaultAsync(r => r.Id == responseId, ct);
        if (response is null)
        {
            return Failure.NotFound("The canned response");
        }

        db.CannedResponses.Remove(response);
        AuditEvent.Record(db, response.OrganizationId, actor, "canned_response.deleted", $"canned_response:{response.Id}", new { response.Title }, clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(ct);
        return null;
    }

    private static async Task<IReadOnlyCollection<string>> KnownFieldsAsync(Guid? campaignId, AppDbContext db, CancellationToken ct) =>
        campaignId is { } id
            ? await db.Campaigns.Where(c => c.Id == id).Select(c => c.CustomFields).FirstOrDefaultAsync(ct) ?? []
            : [];

    private static Failure? Validate(Request request, IReadOnlyCollection<string> customFields)
    {
        var problems = new List<Problem>();
        if (string.IsNullOrWhiteSpace(request.Title) || request.Title.Trim().Length > CannedResponse.MaxTitleLength)
        {
            problems.Add(new Problem($"Give the response a title of 1 to {CannedResponse.MaxTitleLength} characters.", "title"));
        }

        if (string.IsNullOrWhiteSpace(request.Text) || request.Text.Length > Campaign.MaxMessageLength)
        {
            problems.Add(new Problem($"The response needs a text of 1 to {Campaign.MaxMessageLength} characters.", "text"));
        }
        else
        {
            problems.AddRange(ScriptRules.TemplateProblems(request.Text, "text", customFields));
        }

        if (request.Tags is { Count: > CannedResponse.MaxTags } || request.Tags?.Any(t => t.Length > CannedResponse.MaxTagLength) == true)
        {
            problems.Add(new Problem($"At most {CannedResponse.MaxTags} tags of up to {CannedResponse.MaxTagLength} characters.", "tags"));
        }

        return problems.Count == 0 ? null : Failure.Unprocessable("The canned response has problems.", problems);
    }

    private static List<string> NormalizeTags(IReadOnlyList<string>? tags) =>
        [.. (tags ?? []).Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase)];

    public static async Task<List<View>> HandleListForCampaignAsync(Guid campaignId, AppDbContext db, CancellationToken ct) => await ListAsync(campaignId, db, ct);

    public static async Task<List<View>> HandleListForOrganizationAsync(AppDbContext db, CancellationToken ct) => await ListAsync(null, db, ct);

    public static Task<Results<Created<View>, ProblemHttpResult>> HandleCreateForCampaignAsync(
        Guid campaignId, Request request, ClaimsPrincipal user, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
        CreatedAsync(campaignId, request, user, current, db, clock, ct);

    public static Task<Results<Created<View>, ProblemHttpResult>> HandleCreateForOrganizationAsync(
        Request request, ClaimsPrincipal user, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
        CreatedAsync(null, request, user, current, db, clock, ct);

    public static async Task<Results<Ok<View>, ProblemHttpResult>> HandleUpdateAsync(
        Guid responseId, Request request, ClaimsPrincipal user, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await UpdateAsync(responseId, request, user.AsAuditActor(), db, clock, ct);
        return outcome.Failure is { } f ? (ProblemHttpResult)f.ToProblem() : TypedResults.Ok(View.From(outcome.Value!));
    }

    public static async Task<Results<NoContent, ProblemHttpResult>> HandleDeleteAsync(Guid responseId, ClaimsPrincipal user, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
        await DeleteAsync(responseId, user.AsAuditActor(), db, clock, ct) is { } f ? (ProblemHttpResult)f.ToProblem() : TypedResults.NoContent();

    private static async Task<Results<Created<View>, ProblemHttpResult>> CreatedAsync(
        Guid? campaignId, Request request, ClaimsPrincipal user, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await CreateAsync(campaignId, request, user.AsAuditActor(), current, db, clock, ct);
        return outcome.Failure is { } f
            ? (ProblemHttpResult)f.ToProblem()
            : TypedResults.Created($"/api/v1/orgs/{current.Slug}/canned-responses/{outcome.Value!.Id}", View.From(outcome.Value));
    }
}
