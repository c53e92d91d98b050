using System.Security.Claims;
using Chorus.Features.Audit;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Records;

/// <summary>Reads and sets how many years message bodies are kept (Admin+). A change is audited with both values.</summary>
public static class RetentionSettings
{
    public sealed record Request(int? MessageBodyYears);

    public sealed record Response(int MessageBodyYears, int MinYears, int MaxYears, DateTime CutoffUtc);

    public static async Task<int> YearsAsync(AppDbContext db, Guid organizationId, CancellationToken ct) =>
        await db.RetentionPolicies.IgnoreQueryFilters().Where(p => p.OrganizationId == organizationId).Select(p => (int?)p.MessageBodyYears).FirstOrDefaultAsync(ct)
            ?? RetentionPolicy.DefaultYears;

    public static async Task<Response> GetAsync(CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var years = await YearsAsync(db, current.Id!.Value, ct);
        return new Response(years, RetentionPolicy.MinYears, RetentionPolicy.MaxYears, RetentionPolicy.CutoffFor(clock.GetUtcNow().UtcDateTime, years));
    }

    public static async Task<Outcome<Response>> SetAsync(Request request, AuditActor actor, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (request.MessageBodyYears is not { } years || years < RetentionPolicy.MinYears || years > RetentionPolicy.MaxYears)
        {
            return Failure.Invalid(
                $"Keep message bodies for {RetentionPolicy.MinYears} to {RetentionPolicy.MaxYears} years (messageBodyYears); the default is {RetentionPolicy.DefaultYears}.",
                "messageBodyYears");
        }

        var organizationId = current.Id!.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        var policy = await db.RetentionPolicies.FirstOrDefaultAsync(p => p.OrganizationId == organizationId, ct);
        var before = policy?.MessageBodyYears ?? RetentionPolicy.DefaultYears;
        if (policy is null)
        {
            policy = new RetentionPolicy { OrganizationId = organizationId };
            db.RetentionPolicies.Add(policy);
        }

        policy.MessageBodyYears = years;
        policy.UpdatedUtc = now;
        if (before != years)
        {
            AuditEvent.Record(db, organizationId, actor, "retention.changed", "retention", new { messageBodyYears = years, from = before }, now);
        }

        await db.SaveChangesAsync(ct);
        return new Response(years, RetentionPolicy.MinYears, RetentionPolicy.MaxYears, RetentionPolicy.CutoffFor(now, years));
    }

    public static async Task<Ok<Response>> HandleGetAsync(CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct) =>
        TypedResults.Ok(await GetAsync(current, db, clock, ct));

    public static async Task<Results<Ok<Response>, ProblemHttpResult>> HandlePutAsync(
        Request request, ClaimsPrincipal user, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await SetAsync(request, user.AsAuditActor(), current, db, clock, ct);
        return outcome.Failure is { } f ? f.ToProblem() : TypedResults.Ok(outcome.Value!);
    }
}
