using Chorus.Infrastructure.Auth;

namespace Chorus.Features.Organizations;

public static class OrganizationEndpoints
{
    public static IEndpointRouteBuilder MapOrganizationEndpoints(this IEndpointRouteBuilder app)
    {
        var orgs = app.MapApiGroup("/api/v1/orgs").WithTags("Organizations");
        orgs.MapPost("/", CreateOrganization.HandleAsync).WithSummary("Creates an organization with the caller as its owner.");

        var join = app.MapApiGroup("/api/v1/join").WithTags("Organizations");
        join.MapGet("/{code}", AcceptJoinLink.HandleDescribeAsync).WithSummary("What a join link offers (organization, role, campaign) and whether it can still be used.");
        join.MapPost("/{code}", AcceptJoinLink.HandleAsync).WithSummary("Joins the organization of a join link.");

        var organization = app.MapOrgApiGroup("", Policies.OrgTexter).WithTags("Organizations");
        organization.MapGet("/", GetOrganization.HandleAsync).WithSummary("The organization and the caller's role in it.");

        var settings = app.MapOrgApiGroup("", Policies.OrgAdmin).WithTags("Organizations");
        settings.MapPatch("/", UpdateOrganization.HandleAsync).WithSummary("Changes the organization's settings.");

        var roster = app.MapOrgApiGroup("/members", Policies.OrgSupervisor).WithTags("Members");
        roster.MapGet("/", ListMembers.HandleAsync).WithSummary("Members and their roles.");

        var members = app.MapOrgApiGroup("/members", Policies.OrgAdmin).WithTags("Members");
        members.MapPatch("/{userId:guid}", ChangeMemberRole.HandleAsync).WithSummary("Changes a member's role (an organization keeps at least one owner).");
        members.MapDelete("/{userId:guid}", RemoveMember.HandleAsync).WithSummary("Removes a member (never the last owner).");

        var links = app.MapOrgApiGroup("/join-links", Policies.OrgAdmin).WithTags("Members");
        links.MapGet("/", ListJoinLinks.HandleAsync).WithSummary("Join links, newest first.");
        links.MapPost("/", CreateJoinLink.HandleAsync).WithSummary("Creates a join link (Texter by default; optional expiry and use limit).");
        links.MapDelete("/{linkId:guid}", RevokeJoinLink.HandleAsync).WithSummary("Revokes a join link.");
        return app;
    }
}
