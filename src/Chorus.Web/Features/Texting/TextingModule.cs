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
        app.MapConversationEndpoints();
        return app;
    }
}
