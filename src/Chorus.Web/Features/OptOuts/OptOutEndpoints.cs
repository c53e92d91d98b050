using Chorus.Infrastructure.Auth;

namespace Chorus.Features.OptOuts;

public static class OptOutEndpoints
{
    public static IEndpointRouteBuilder MapOptOutEndpoints(this IEndpointRouteBuilder app)
    {
        var window = app.MapOrgApiGroup("/texting-window", Policies.OrgTexter).WithTags("Compliance");
        window.MapGet("/", GetTextingWindow.HandleAsync)
            .WithSummary("Whether a number may be texted at an instant in its local time, and if not, when next.");
        return app;
    }
}
