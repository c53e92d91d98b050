using System.Security.Claims;
using Chorus.Features.Audit;
using Chorus.Features.Messaging;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Texting;

/// <summary>
/// A campaign's training text (<see cref="Campaigns.Campaign.TrainingText"/>): a texter reads it and says so before
/// their first send in the campaign; until then Send answers 409. A campaign without one asks nothing, and a texter
/// who already sent (before the text was written) is not stopped. The acknowledgement is kept on the texter's
/// assignment, which is one per texter and campaign.
/// </summary>
public static class TrainingText
{
    public sealed record State(string Text, bool Required, DateTime? AcknowledgedAt);

    public static async Task<Outcome<State>> GetAsync(Guid assignmentId, Guid userId, AppDbContext db, CancellationToken ct)
    {
        var assignment = await db.Assignments.AsNoTracking().FirstOrDefaultAsync(a => a.Id == assignmentId && a.TexterUserId == userId, ct);
        if (assignment is null)
        {
            return Failure.NotFound("The assignment");
        }

        var text = await db.Campaigns.Where(c => c.Id == assignment.CampaignId).Select(c => c.TrainingText).FirstAsync(ct);
        return new State(text, await MustAcknowledgeAsync(assignment, text, db, ct), assignment.TrainingAcknowledgedUtc);
    }

    /// <summary>Whether this texter must still acknowledge <paramref name="trainingText"/> before sending.</summary>
    public static async Task<bool> MustAcknowledgeAsync(Assignment assignment, string trainingText, AppDbContext db, CancellationToken ct) =>
        !string.IsNullOrWhiteSpace(trainingText) && assignment.TrainingAcknowledgedUtc is null
        && !await db.Messages.AnyAsync(m => m.CampaignId == assignment.CampaignId && m.TexterUserId == assignment.TexterUserId && m.Kind == MessageKind.Initial, ct);

    public static async Task<Outcome<State>> AcknowledgeAsync(Guid assignmentId, AuditActor actor, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var assignment = await db.Assignments.FirstOrDefaultAsync(a => a.Id == assignmentId && a.TexterUserId == actor.UserId, ct);
        if (assignment is null)
        {
            return Failure.NotFound("The assignment");
        }

        var text = await db.Campaigns.Where(c => c.Id == assignment.CampaignId).Select(c => c.TrainingText).FirstAsync(ct);
        if (assignment.TrainingAcknowledgedUtc is null)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            assignment.TrainingAcknowledgedUtc = now;
            AuditEvent.Record(db, assignment.OrganizationId, actor, "training.acknowledged", $"campaign:{assignment.CampaignId}", new { assignmentId }, now);
            await db.SaveChangesAsync(ct);
        }

        return new State(text, false, assignment.TrainingAcknowledgedUtc);
    }

    public static async Task<Results<Ok<State>, ProblemHttpResult>> HandleGetAsync(Guid assignmentId, ClaimsPrincipal user, AppDbContext db, CancellationToken ct) =>
        (await GetAsync(assignmentId, user.UserId(), db, ct)).ToOk();

    public static async Task<Results<Ok<State>, ProblemHttpResult>> HandleAcknowledgeAsync(Guid assignmentId, ClaimsPrincipal user, AppDbContext db, TimeProvider clock,
        CancellationToken ct) =>
        (await AcknowledgeAsync(assignmentId, user.AsAuditActor(), db, clock, ct)).ToOk();
}
