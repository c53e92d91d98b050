using Chorus.Infrastructure.Auth;

namespace Chorus.Features.OptOuts;

public static class OptOutEndpoints
{
    public static IEndpointRouteBuilder MapOptOutEndpoints(this IEndpointRouteBuilder app)
    {
        var window = app.MapOrgApiGroup("/texting-window", Policies.OrgTexter).WithTags("Compliance");
        window.MapGet("/", GetTextingWindow.HandleAsync)
            .WithSummary("Whether a number may be texted at an instant in its local time, and if not, when next.");

        var list = app.MapOrgApiGroup("/opt-outs", Policies.OrgSupervisor).WithTags("Compliance");
        list.MapGet("/", OptOutList.HandleListAsync).Produces<OptOutList.Page>().WithSummary("The organization's opt-out list, paged; ?format=csv for all of it.");
        list.MapPost("/", OptOutList.HandleAddAsync).WithSummary("Adds a number to the opt-out list; it applies at once to every campaign.");

        var admin = app.MapOrgApiGroup("/opt-outs", Policies.OrgAdmin).WithTags("Compliance");
        admin.MapPost("/import", OptOutList.HandleImportAsync).DisableAntiforgery().WithSummary("Imports a CSV of numbers onto the list: a phone column, and optional date (opted_out_utc…), source and reason columns.");
        admin.MapDelete("/{phone}", OptOutList.HandleRemoveAsync).WithSummary("Removes a number from the list: the one, audited, way to undo an opt-out.");
        return app;
    }
}
