using Chorus.Infrastructure.Auth;

namespace Chorus.Features.Texting;

public static class TextingModule
{
    public static IEndpointRouteBuilder MapTextingEndpoints(this IEndpointRouteBuilder app)
    {
        var texter = app.MapOrgApiGroup("", Policies.OrgTexter).WithTags("Texting");
        texter.MapPost("/campaigns/{id:guid}/assignments", Assignments.HandleRequestAsync)
            .WithSummary("Requests a batch: the campaign's next unassigned contacts whose texting window is open now.");
        texter.MapGet("/assignments", Assignments.HandleListAsync).WithSummary("The caller's assignments with counts: to send, needs response, open, done.");
        texter.MapGet("/assignments/{assignmentId:guid}/next", SendInitialMessage.HandleNextAsync)
            .WithSummary("The next contact to text, with the message rendered and its segments; 204 when none is left. ?after= skips.");
        texter.MapPost("/assignments/{assignmentId:guid}/contacts/{contactId:guid}/send", SendInitialMessage.HandleSendAsync)
            .WithSummary("Sends one contact its initial message: one contact, one message per request.");
        texter.MapPost("/assignments/{assignmentId:guid}/release", BulkAssignment.HandleReleaseAsync)
            .WithSummary("Gives the caller's unsent contacts of this assignment back to the campaign's pool.");
        var supervisor = app.MapOrgApiGroup("", Policies.OrgSupervisor).WithTags("Texting");
        supervisor.MapPost("/campaigns/{id:guid}/assign", BulkAssignment.HandleAssignAsync)
            .WithSummary("Deals the campaign's unassigned contacts (all, or count) to texters, round robin.");
        supervisor.MapPost("/campaigns/{id:guid}/unassign", BulkAssignment.HandleUnassignAsync)
            .WithSummary("Returns unsent contacts held by the given texters (or everyone) to the pool.");
        supervisor.MapGet("/campaigns/{id:guid}/texters", CampaignTexters.HandleAsync)
            .WithSummary("Who holds what in the campaign: each texter's contacts by stage, and how many wait for a texter.");
        supervisor.MapGet("/texting/activity", TexterActivity.HandleAsync)
            .WithSummary("Who is texting now: texts sent in the last minute and over the window (default 10 min), and replies waiting.");
        texter.MapGet("/assignments/{assignmentId:guid}/training", TrainingText.HandleGetAsync)
            .WithSummary("The campaign's training text and whether the caller must still acknowledge it before their first send.");
        texter.MapPost("/assignments/{assignmentId:guid}/training/acknowledge", TrainingText.HandleAcknowledgeAsync)
            .WithSummary("Records that the caller read the campaign's training text; their first send waits for it.");
        texter.MapGet("/campaigns/{id:guid}/leaderboard", Leaderboard.HandleBoardAsync).WithSummary("Texters' sent and replies handled in the campaign, best first.");
        texter.MapGet("/texting/progress", Leaderboard.HandleProgressAsync).WithSummary("The caller's own figures: sent today and in all, replies handled.");
        app.MapOrgApiGroup("", Policies.OrgAdmin).WithTags("Texting")
            .MapPost("/campaigns/{id:guid}/test-send", TestSend.HandleAsync)
            .WithSummary("Sends the campaign's initial message to the admin's own phone as a test (not a campaign message; obeys opt-outs and hours).");
        app.MapHelpChatEndpoints();
        app.MapConversationEndpoints();
        return app;
    }
}
