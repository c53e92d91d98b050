using Chorus.Infrastructure.Data;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Links;

/// <summary>
/// <c>GET /l/{code}</c>: anonymous, since voters have no account. Records the request (a click, or a bot's) and
/// answers 302 to the stored target, with the campaign's ActBlue refcodes applied. Only stored targets are ever
/// redirected to, and only http(s) targets are ever stored, so this is no open redirect. Unknown or malformed code:
/// 404 (the site's not-found page).
/// </summary>
public static class FollowLink
{
    public static async Task<Results<RedirectHttpResult, NotFound>> HandleAsync(
        string code, HttpContext http, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (!LinkCode.IsWellFormed(code))
        {
            return TypedResults.NotFound();
        }

        // No organization in the path: the code alone finds the link, across organizations (codes are globally unique).
        var link = await db.TrackedLinks.IgnoreQueryFilters().AsNoTracking()
            .Where(l => l.Code == code)
            .Select(l => new
            {
                l.Id,
                l.OrganizationId,
                l.CampaignId,
                l.ContactId,
                l.TexterUserId,
                l.TargetUrl,
                Refcodes = db.Campaigns.IgnoreQueryFilters().Where(c => c.Id == l.CampaignId).Select(c => new { c.LinkRefcode, c.LinkRefcode2 }).FirstOrDefault(),
            })
            .FirstOrDefaultAsync(ct);
        if (link is null)
        {
            return TypedResults.NotFound();
        }

        var userAgent = http.Request.Headers.UserAgent.ToString();
        db.LinkClicks.Add(new LinkClick
        {
            OrganizationId = link.OrganizationId,
            CampaignId = link.CampaignId,
            ContactId = link.ContactId,
            LinkId = link.Id,
            Code = code,
            ClickedUtc = clock.GetUtcNow().UtcDateTime,
            UserAgent = userAgent.Length > LinkClick.MaxUserAgentLength ? userAgent[..LinkClick.MaxUserAgentLength] : userAgent,
            IsBot = LinkPreviewFetchers.IsBot(http.Request.Method, userAgent),
        });
        await db.SaveChangesAsync(ct);

        var refcode2 = link.Refcodes?.LinkRefcode2 ?? (link.TexterUserId is { } texter ? ActBlueRefcodes.ForTexter(texter) : null);
        http.Response.Headers.CacheControl = "no-store";
        return TypedResults.Redirect(ActBlueRefcodes.Apply(link.TargetUrl, link.Refcodes?.LinkRefcode, refcode2));
    }
}
