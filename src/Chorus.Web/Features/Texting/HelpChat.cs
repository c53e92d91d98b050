using System.ComponentModel.DataAnnotations;
using System.Security.Claims;
using Chorus.Features.Audit;
using Chorus.Features.Messaging.Events;
using Chorus.Features.Organizations;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Texting;

/// <summary>
/// A texter asks staff a question from the send or conversation screen; supervisors see every open thread
/// (unanswered first) and answer. A texter sees and writes in their own threads only; anyone else's answers 404.
/// Every question, answer and resolution is audited and pushed live on the message event bus as a
/// <see cref="EventKind"/> event, so it reaches screens on every instance (PostgreSQL NOTIFY) like a voter's reply.
/// </summary>
public static class HelpChat
{
    /// <summary>The <see cref="MessageEvent.Kind"/> of help chat events; their MessageId is the help message's or the thread's id.</summary>
    public const string EventKind = "help";

    public sealed record MessageView(Guid Id, bool FromStaff, string Author, string Body, DateTime SentAt);

    public sealed record ThreadView(
        Guid Id, Guid CampaignId, string CampaignTitle, Guid TexterId, string TexterName, bool AwaitingAnswer, bool Resolved, DateTime LastMessageAt,
        IReadOnlyList<MessageView> Messages);

    public sealed record ThreadSummary(
        Guid Id, Guid CampaignId, string CampaignTitle, Guid TexterId, string TexterName, bool AwaitingAnswer, bool Resolved, DateTime LastMessageAt, string LastMessage);

    public sealed record TextRequest([property: Required, MaxLength(HelpMessage.MaxLength)] string Text);

    public static async Task<Outcome<ThreadView?>> GetMineAsync(Guid campaignId, Guid userId, AppDbContext db, CancellationToken ct)
    {
        if (!await db.Campaigns.AnyAsync(c => c.Id == campaignId, ct))
        {
            return Failure.NotFound("The campaign");
        }

        var id = await db.HelpThreads.Where(t => t.CampaignId == campaignId && t.TexterUserId == userId).Select(t => (Guid?)t.Id).FirstOrDefaultAsync(ct);
        return id is { } threadId ? await ViewAsync(threadId, db, ct) : null;
    }

    /// <summary>The texter's question: opens (or reopens) their thread for the campaign.</summary>
    public static Task<Outcome<ThreadView>> AskAsync(
        Guid campaignId, TextRequest request, AuditActor actor, AppDbContext db, IMessageEvents events, TimeProvider clock, CancellationToken ct) =>
        AskAsync(campaignId, request, actor, db, events, clock, retry: true, ct);

    private static async Task<Outcome<ThreadView>> AskAsync(
        Guid campaignId, TextRequest request, AuditActor actor, AppDbContext db, IMessageEvents events, TimeProvider clock, bool retry, CancellationToken ct)
    {
        var campaign = await db.Campaigns.AsNoTracking().Where(c => c.Id == campaignId).Select(c => new { c.Id, c.OrganizationId }).FirstOrDefaultAsync(ct);
        if (campaign is null)
        {
            return Failure.NotFound("The campaign");
        }

        if (Clean(request.Text) is not { } text)
        {
            return Failure.Invalid($"Write 1 to {HelpMessage.MaxLength:N0} characters.", "text");
        }

        var userId = actor.UserId!.Value;
        var now = clock.GetUtcNow().UtcDateTime;
        var thread = await db.HelpThreads.FirstOrDefaultAsync(t => t.CampaignId == campaignId && t.TexterUserId == userId, ct);
        if (thread is null)
        {
            thread = new HelpThread { OrganizationId = campaign.OrganizationId, CampaignId = campaignId, TexterUserId = userId, CreatedUtc = now };
            db.HelpThreads.Add(thread);
            AuditEvent.Record(db, thread.OrganizationId, actor, "help.opened", $"help:{thread.Id}", new { campaignId }, now);
        }
        else if (thread.ResolvedUtc is not null)
        {
            thread.ResolvedUtc = null;
            AuditEvent.Record(db, thread.OrganizationId, actor, "help.reopened", $"help:{thread.Id}", new { campaignId }, now);
        }

        var message = Add(db, thread, actor, fromStaff: false, text, now);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException) when (retry)
        {
            // The same texter's other tab opened the thread first: ask again, into that one.
            db.ChangeTracker.Clear();
            return await AskAsync(campaignId, request, actor, db, events, clock, retry: false, ct);
        }

        await PublishAsync(events, thread, message.Id, ct);
        return (await ViewAsync(thread.Id, db, ct))!;
    }

    /// <summary>Threads for staff: unanswered first (oldest question first), then the most recently active.</summary>
    public static async Task<List<ThreadSummary>> ListAsync(bool? open, Guid? campaignId, AppDbContext db, CancellationToken ct)
    {
        var query = db.HelpThreads.AsNoTracking();
        if (open is { } isOpen)
        {
            query = isOpen ? query.Where(t => t.ResolvedUtc == null) : query.Where(t => t.ResolvedUtc != null);
        }

        if (campaignId is { } campaign)
        {
            query = query.Where(t => t.CampaignId == campaign);
        }

        var threads = await query
            .OrderBy(t => t.AwaitingAnswer && t.ResolvedUtc == null ? 0 : 1)
            .ThenBy(t => t.AwaitingAnswer && t.ResolvedUtc == null ? t.LastMessageUtc : DateTime.MinValue)
            .ThenByDescending(t => t.LastMessageUtc)
            .Take(500)
            .Select(t => new
            {
                t.Id,
                t.CampaignId,
                Campaign = db.Campaigns.Where(c => c.Id == t.CampaignId).Select(c => c.Title).FirstOrDefault(),
                t.TexterUserId,
                Texter = db.Users.Where(u => u.Id == t.TexterUserId).Select(u => u.DisplayName != "" ? u.DisplayName : u.Email).FirstOrDefault(),
                t.AwaitingAnswer,
                t.ResolvedUtc,
                t.LastMessageUtc,
                Last = db.HelpMessages.Where(m => m.ThreadId == t.Id).OrderByDescending(m => m.CreatedUtc).ThenByDescending(m => m.Id).Select(m => m.Body).FirstOrDefault(),
            })
            .ToListAsync(ct);
        return [.. threads.Select(t => new ThreadSummary(t.Id, t.CampaignId, t.Campaign ?? "", t.TexterUserId, t.Texter ?? "", t.AwaitingAnswer && t.ResolvedUtc is null,
            t.ResolvedUtc is not null, t.LastMessageUtc, t.Last ?? ""))];
    }

    public static async Task<Outcome<ThreadView>> GetAsync(Guid threadId, Guid userId, CurrentOrganization current, AppDbContext db, CancellationToken ct) =>
        await Visible(db, userId, current).AnyAsync(t => t.Id == threadId, ct) ? (await ViewAsync(threadId, db, ct))! : Failure.NotFound("The help thread");

    /// <summary>A line in a thread: staff answering, or the thread's texter adding to their question.</summary>
    public static async Task<Outcome<ThreadView>> PostAsync(
        Guid threadId, TextRequest request, AuditActor actor, CurrentOrganization current, AppDbContext db, IMessageEvents events, TimeProvider clock, CancellationToken ct)
    {
        var thread = await Visible(db, actor.UserId!.Value, current).FirstOrDefaultAsync(t => t.Id == threadId, ct);
        if (thread is null)
        {
            return Failure.NotFound("The help thread");
        }

        if (Clean(request.Text) is not { } text)
        {
            return Failure.Invalid($"Write 1 to {HelpMessage.MaxLength:N0} characters.", "text");
        }

        var now = clock.GetUtcNow().UtcDateTime;
        var fromStaff = thread.TexterUserId != actor.UserId;
        if (!fromStaff && thread.ResolvedUtc is not null)
        {
            thread.ResolvedUtc = null;
            AuditEvent.Record(db, thread.OrganizationId, actor, "help.reopened", $"help:{thread.Id}", new { thread.CampaignId }, now);
        }

        var message = Add(db, thread, actor, fromStaff, text, now);
        await db.SaveChangesAsync(ct);
        await PublishAsync(events, thread, message.Id, ct);
        return (await ViewAsync(thread.Id, db, ct))!;
    }

    public static async Task<Outcome<ThreadView>> ResolveAsync(
        Guid threadId, AuditActor actor, CurrentOrganization current, AppDbContext db, IMessageEvents events, TimeProvider clock, CancellationToken ct)
    {
        var thread = await Visible(db, actor.UserId!.Value, current).FirstOrDefaultAsync(t => t.Id == threadId, ct);
        if (thread is null)
        {
            return Failure.NotFound("The help thread");
        }

        if (thread.ResolvedUtc is null)
        {
            var now = clock.GetUtcNow().UtcDateTime;
            thread.ResolvedUtc = now;
            thread.AwaitingAnswer = false;
            AuditEvent.Record(db, thread.OrganizationId, actor, "help.resolved", $"help:{thread.Id}", new { thread.CampaignId }, now);
            await db.SaveChangesAsync(ct);
            await PublishAsync(events, thread, thread.Id, ct);
        }

        return (await ViewAsync(thread.Id, db, ct))!;
    }

    private static HelpMessage Add(AppDbContext db, HelpThread thread, AuditActor actor, bool fromStaff, string text, DateTime now)
    {
        var message = new HelpMessage { OrganizationId = thread.OrganizationId, ThreadId = thread.Id, AuthorUserId = actor.UserId!.Value, FromStaff = fromStaff, Body = text, CreatedUtc = now };
        db.HelpMessages.Add(message);
        thread.AwaitingAnswer = !fromStaff;
        thread.LastMessageUtc = now;
        AuditEvent.Record(db, thread.OrganizationId, actor, fromStaff ? "help.answered" : "help.asked", $"help:{thread.Id}", new { messageId = message.Id, characters = text.Length }, now);
        return message;
    }

    private static Task PublishAsync(IMessageEvents events, HelpThread thread, Guid id, CancellationToken ct) =>
        events.PublishAsync(new MessageEvent(thread.OrganizationId, EventKind, id, null, thread.TexterUserId), ct);

    private static string? Clean(string? text) => text?.Trim() is { Length: > 0 and <= HelpMessage.MaxLength } trimmed ? trimmed : null;

    /// <summary>A texter's own threads; everyone's for supervisors and up.</summary>
    private static IQueryable<HelpThread> Visible(AppDbContext db, Guid userId, CurrentOrganization current) =>
        current.Role >= OrgRole.Supervisor ? db.HelpThreads : db.HelpThreads.Where(t => t.TexterUserId == userId);

    private static async Task<ThreadView?> ViewAsync(Guid threadId, AppDbContext db, CancellationToken ct)
    {
        var thread = await db.HelpThreads.AsNoTracking().Where(t => t.Id == threadId)
            .Select(t => new
            {
                t.Id,
                t.CampaignId,
                Campaign = db.Campaigns.Where(c => c.Id == t.CampaignId).Select(c => c.Title).FirstOrDefault(),
                t.TexterUserId,
                t.AwaitingAnswer,
                t.ResolvedUtc,
                t.LastMessageUtc,
            })
            .FirstOrDefaultAsync(ct);
        if (thread is null)
        {
            return null;
        }

        var messages = await db.HelpMessages.AsNoTracking().Where(m => m.ThreadId == threadId).OrderBy(m => m.CreatedUtc).ThenBy(m => m.Id)
            .Select(m => new { m.Id, m.FromStaff, m.AuthorUserId, m.Body, m.CreatedUtc }).ToListAsync(ct);
        var authorIds = messages.Select(m => m.AuthorUserId).Append(thread.TexterUserId).Distinct().ToList();
        var names = await db.Users.AsNoTracking().Where(u => authorIds.Contains(u.Id))
            .ToDictionaryAsync(u => u.Id, u => u.DisplayName != "" ? u.DisplayName : u.Email ?? "", ct);
        return new ThreadView(thread.Id, thread.CampaignId, thread.Campaign ?? "", thread.TexterUserId, names.GetValueOrDefault(thread.TexterUserId, ""),
            thread.AwaitingAnswer && thread.ResolvedUtc is null, thread.ResolvedUtc is not null, thread.LastMessageUtc,
            [.. messages.Select(m => new MessageView(m.Id, m.FromStaff, names.GetValueOrDefault(m.AuthorUserId, ""), m.Body, m.CreatedUtc))]);
    }
}

/// <summary>The HTTP face of <see cref="HelpChat"/>.</summary>
public static class HelpChatEndpoints
{
    public static IEndpointRouteBuilder MapHelpChatEndpoints(this IEndpointRouteBuilder app)
    {
        var texter = app.MapOrgApiGroup("", Policies.OrgTexter).WithTags("Help");
        texter.MapGet("/campaigns/{id:guid}/help", GetMineAsync).WithSummary("The caller's help thread for the campaign; 204 when they have not asked yet.");
        texter.MapPost("/campaigns/{id:guid}/help", AskAsync).WithSummary("Asks staff a question about the campaign (opens or reopens the caller's thread).");
        texter.MapGet("/help/{threadId:guid}", GetAsync).WithSummary("One help thread: a texter's own, or any for supervisors.");
        texter.MapPost("/help/{threadId:guid}/messages", PostAsync).WithSummary("Answers (supervisors) or adds to one's own question (texters).");
        texter.MapPost("/help/{threadId:guid}/resolve", ResolveAsync).WithSummary("Marks the thread resolved.");
        app.MapOrgApiGroup("", Policies.OrgSupervisor).WithTags("Help")
            .MapGet("/help", ListAsync).WithSummary("Help threads, unanswered first; ?open=true for unresolved only, ?campaignId= to filter.");
        return app;
    }

    private static async Task<Results<Ok<HelpChat.ThreadView>, NoContent, ProblemHttpResult>> GetMineAsync(Guid id, ClaimsPrincipal user, AppDbContext db,
        CancellationToken ct)
    {
        var outcome = await HelpChat.GetMineAsync(id, user.UserId(), db, ct);
        return outcome.Failure is { } failure ? failure.ToProblem() : outcome.Value is { } thread ? TypedResults.Ok(thread) : TypedResults.NoContent();
    }

    private static async Task<Results<Ok<HelpChat.ThreadView>, ProblemHttpResult>> AskAsync(Guid id, HelpChat.TextRequest request, ClaimsPrincipal user,
        AppDbContext db, IMessageEvents events, TimeProvider clock, CancellationToken ct) =>
        (await HelpChat.AskAsync(id, request, user.AsAuditActor(), db, events, clock, ct)).ToOk();

    private static async Task<Ok<List<HelpChat.ThreadSummary>>> ListAsync(bool? open, Guid? campaignId, AppDbContext db, CancellationToken ct) =>
        TypedResults.Ok(await HelpChat.ListAsync(open, campaignId, db, ct));

    private static async Task<Results<Ok<HelpChat.ThreadView>, ProblemHttpResult>> GetAsync(Guid threadId, ClaimsPrincipal user, CurrentOrganization current,
        AppDbContext db, CancellationToken ct) =>
        (await HelpChat.GetAsync(threadId, user.UserId(), current, db, ct)).ToOk();

    private static async Task<Results<Ok<HelpChat.ThreadView>, ProblemHttpResult>> PostAsync(Guid threadId, HelpChat.TextRequest request, ClaimsPrincipal user,
        CurrentOrganization current, AppDbContext db, IMessageEvents events, TimeProvider clock, CancellationToken ct) =>
        (await HelpChat.PostAsync(threadId, request, user.AsAuditActor(), current, db, events, clock, ct)).ToOk();

    private static async Task<Results<Ok<HelpChat.ThreadView>, ProblemHttpResult>> ResolveAsync(Guid threadId, ClaimsPrincipal user, CurrentOrganization current,
        AppDbContext db, IMessageEvents events, TimeProvider clock, CancellationToken ct) =>
        (await HelpChat.ResolveAsync(threadId, user.AsAuditActor(), current, db, events, clock, ct)).ToOk();
}
