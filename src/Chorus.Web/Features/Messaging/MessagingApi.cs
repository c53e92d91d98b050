using System.ComponentModel.DataAnnotations;
using Chorus.Features.Messaging.Simulator;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Messaging;

public static class MessagingApi
{
    public static IEndpointRouteBuilder MapMessagingApi(this IEndpointRouteBuilder app)
    {
        var admin = app.MapOrgApiGroup("", Policies.OrgAdmin).WithTags("Messaging");
        admin.MapGet("/messaging", MessagingSetup.HandleGetAsync).WithSummary("The organization's SMS provider set-up; secrets only as 'set or not'.");
        admin.MapPut("/messaging", MessagingSetup.HandlePutAsync).WithSummary("Sets the SMS provider, credentials, sending numbers, limits, keywords and automatic texts.");
        admin.MapGet("/messages/unmatched", MessageRecords.HandleUnmatchedAsync).WithSummary("Texts from numbers no conversation matches, newest first.");
        admin.MapGet("/messages/needs-review", MessageRecords.HandleNeedsReviewAsync).WithSummary("Messages whose submission outcome is unknown: never resent automatically.");
        admin.MapPost("/simulator/inbound", SimulateInboundAsync).WithSummary("Plays a voter: the simulator texts the organization, through the real webhook.");

        var supervisor = app.MapOrgApiGroup("/messages", Policies.OrgSupervisor).WithTags("Messaging");
        supervisor.MapGet("/", MessageRecords.HandleListAsync).WithSummary("Every message to and from a number, newest first, with its status history.");

        app.MapOrgApiGroup("/campaigns", Policies.OrgSupervisor).WithTags("Messaging")
            .MapGet("/{id:guid}/delivery", CampaignDelivery.HandleAsync).WithSummary("How the campaign's texts fared: counts by status and by error code, 30007 (filtered) apart.");

        var texter = app.MapOrgApiGroup("/messages", Policies.OrgTexter).WithTags("Messaging");
        texter.MapPost("/{id:guid}/opt-out", MessageRecords.HandleOptOutAsync).WithSummary("Confirms a likely opt-out: the number goes on the opt-out list.");
        texter.MapPost("/{id:guid}/dismiss-opt-out", MessageRecords.HandleDismissAsync).WithSummary("Dismisses a likely opt-out flag.");
        return app;
    }

    public sealed record SimulatedInbound([property: Required, MaxLength(20)] string From, [property: MaxLength(20)] string? To, [property: Required, MaxLength(1600)] string Body);

    public sealed record SimulatedInboundResult(string MessageSid, string From, string To, int WebhookStatus);

    private static async Task<Results<Accepted<SimulatedInboundResult>, ProblemHttpResult>> SimulateInboundAsync(
        SimulatedInbound request, CurrentOrganization current, AppDbContext db, MessagingAccounts accounts, SimulatorNetwork network, TimeProvider clock, CancellationToken ct)
    {
        var settings = await accounts.GetOrCreateAsync(db, current.Id!.Value, clock.GetUtcNow().UtcDateTime, ct);
        if (settings.Provider != MessagingSettings.Simulator)
        {
            return Failure.Conflict("This organization sends through a real provider; the simulator cannot play voters for it.").ToProblem();
        }

        var from = request.From.Trim();
        if (!from.StartsWith('+') || from.Length < 9 || !from[1..].All(char.IsAsciiDigit))
        {
            return Failure.Invalid("Give 'from' in E.164 form, e.g. +12025550123.", "from").ToProblem();
        }

        var to = request.To?.Trim() is { Length: > 0 } given ? given
            : await db.Messages.Where(m => m.Phone == from && m.OurNumber != null).OrderByDescending(m => m.CreatedUtc).Select(m => m.OurNumber).FirstOrDefaultAsync(ct)
              ?? SimulatorOptions.DefaultNumber;
        var account = accounts.Account(settings, current.Slug!)!;
        var posted = await network.PostInboundAsync(account, from, to, request.Body, ct);
        return posted.Accepted
            ? TypedResults.Accepted((string?)null, new SimulatedInboundResult(posted.MessageSid, from, to, (int)posted.StatusCode))
            : TypedResults.Problem(statusCode: StatusCodes.Status502BadGateway, title: $"The webhook refused the simulated text with {(int)posted.StatusCode}.");
    }
}
