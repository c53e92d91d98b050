using Chorus.Infrastructure.Auth;
using static Chorus.Features.Campaigns.ChangeCampaignStatus;

namespace Chorus.Features.Campaigns;

public static class CampaignEndpoints
{
    public static IEndpointRouteBuilder MapCampaignEndpoints(this IEndpointRouteBuilder app)
    {
        var read = app.MapOrgApiGroup("/campaigns", Policies.OrgSupervisor).WithTags("Campaigns");
        read.MapGet("/", ListCampaigns.HandleAsync).WithSummary("Campaigns, newest first; filter by status.");
        read.MapGet("/{campaignId:guid}", GetCampaign.HandleAsync).WithSummary("One campaign with its settings.");
        read.MapGet("/{campaignId:guid}/script", GetScript.HandleAsync).WithSummary("The script: initial message and survey tree (with step ids).");
        read.MapGet("/{campaignId:guid}/canned-responses", CannedResponses.HandleListForCampaignAsync).WithSummary("The campaign's canned responses, then the organization's.");

        var edit = app.MapOrgApiGroup("/campaigns", Policies.OrgAdmin).WithTags("Campaigns");
        edit.MapPost("/", CreateCampaign.HandleAsync).WithSummary("Creates a draft campaign.");
        edit.MapPatch("/{campaignId:guid}", UpdateCampaign.HandleAsync).WithSummary("Changes details and settings (texting hours, opt-out language, talking points).");
        edit.MapPut("/{campaignId:guid}/script", SaveScript.HandleAsync).WithSummary("Replaces the script; 422 lists every problem and nothing is saved.");
        edit.MapPost("/{campaignId:guid}/launch", Handler(Transition.Launch)).WithSummary("Draft → Active, after every launch check passes (422 lists the problems).");
        edit.MapPost("/{campaignId:guid}/pause", Handler(Transition.Pause)).WithSummary("Active → Paused.");
        edit.MapPost("/{campaignId:guid}/resume", Handler(Transition.Resume)).WithSummary("Paused → Active, after the launch checks pass again.");
        edit.MapPost("/{campaignId:guid}/archive", Handler(Transition.Archive)).WithSummary("Archives the campaign; archived campaigns can only be copied.");
        edit.MapPost("/{campaignId:guid}/copy", CopyCampaign.HandleAsync).WithSummary("A new draft with the same script, canned responses and settings, without contacts.");
        edit.MapPost("/{campaignId:guid}/canned-responses", CannedResponses.HandleCreateForCampaignAsync).WithSummary("Adds a canned response to the campaign.");

        var canned = app.MapOrgApiGroup("/canned-responses", Policies.OrgAdmin).WithTags("Campaigns");
        canned.MapPost("/", CannedResponses.HandleCreateForOrganizationAsync).WithSummary("Adds an organization-wide canned response.");
        canned.MapPut("/{responseId:guid}", CannedResponses.HandleUpdateAsync).WithSummary("Changes a canned response.");
        canned.MapDelete("/{responseId:guid}", CannedResponses.HandleDeleteAsync).WithSummary("Deletes a canned response.");

        var cannedRead = app.MapOrgApiGroup("/canned-responses", Policies.OrgTexter).WithTags("Campaigns");
        cannedRead.MapGet("/", CannedResponses.HandleListForOrganizationAsync).WithSummary("Organization-wide canned responses.");

        var compose = app.MapOrgApiGroup("/messages", Policies.OrgTexter).WithTags("Campaigns");
        compose.MapPost("/preview", PreviewMessage.HandleAsync).WithSummary("Characters, encoding, segments, UCS-2 culprits and cost of a text or a rendered template.");
        return app;
    }
}
