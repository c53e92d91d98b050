using System.Globalization;
using Chorus.Features.Contacts.TimeZones;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.OptOuts;

/// <summary>"May this number be texted now (or at <c>at</c>), and if not, when next?" for staff and tools.</summary>
public static class GetTextingWindow
{
    public sealed record Response(
        bool Allowed,
        IReadOnlyList<string> TimeZones,
        string TimeZoneSource,
        string? State,
        DateTimeOffset LocalTime,
        string? WindowStart,
        string? WindowEnd,
        DateTimeOffset? NextAllowedAt);

    public static async Task<Outcome<Response>> ExecuteAsync(
        string? phone, string? zip, Guid? campaignId, DateTimeOffset? at, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(phone) || phone.Length > 20 || !phone.StartsWith('+') || !phone[1..].All(char.IsAsciiDigit))
        {
            return Failure.Invalid("Give the phone number in E.164 form, e.g. +12125550123.", "phone");
        }

        var hours = TextingHours.Default;
        if (campaignId is { } id)
        {
            var campaign = await db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == id, ct);
            if (campaign is null)
            {
                return Failure.NotFound("The campaign");
            }

            hours = campaign.ToTextingHours();
        }

        var defaultZone = await db.Organizations.Where(o => o.Id == current.Id).Select(o => o.DefaultTimeZone).FirstAsync(ct);
        var location = ContactTimeZoneResolver.Resolve(null, zip, phone, defaultZone);
        var decision = TextingWindow.Evaluate(at ?? clock.GetUtcNow(), location, hours);
        return new Response(
            decision.Allowed,
            [.. decision.LocalTimes.Select(t => t.TimeZone)],
            location.Source.ToString(),
            location.State,
            decision.LocalTimes[0].LocalTime,
            decision.WindowStart?.ToString("HH:mm", CultureInfo.InvariantCulture),
            decision.WindowEnd?.ToString("HH:mm", CultureInfo.InvariantCulture),
            decision.NextAllowedAt);
    }

    public static async Task<Results<Ok<Response>, ProblemHttpResult>> HandleAsync(
        string? phone, string? zip, Guid? campaignId, DateTimeOffset? at, CurrentOrganization current, AppDbContext db, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await ExecuteAsync(phone, zip, campaignId, at, current, db, clock, ct);
        return outcome.Failure is { } f ? f.ToProblem() : TypedResults.Ok(outcome.Value!);
    }
}
