using Chorus.Infrastructure.Auth;

namespace Chorus.Features.Audit;

public static class AuditEndpoints
{
    public static RouteGroupBuilder MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        var audit = app.MapOrgApiGroup("/audit", Policies.OrgAdmin).WithTags("Audit");
        audit.MapGet("/", ListAuditEvents.HandleAsync).WithSummary("The organization's audit log, newest first; filter by action prefix and time.");
        audit.MapGet("/verify", VerifyAuditChain.HandleAsync).WithSummary("Recomputes the hash chain and reports the first broken entry.");
        return audit;
    }
}
