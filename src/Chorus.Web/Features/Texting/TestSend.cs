using System.Security.Claims;
using System.Text.Json;
using Chorus.Features.Audit;
using Chorus.Features.Campaigns;
using Chorus.Features.Contacts;
using Chorus.Features.Contacts.Phones;
using Chorus.Features.Contacts.TimeZones;
using Chorus.Features.Messaging;
using Chorus.Features.Messaging.Dispatch;
using Chorus.Features.OptOuts;
using Chorus.Infrastructure.Auth;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Texting;

/// <summary>
/// An admin sends a campaign's initial message to their own phone before launch, through the normal pipeline (outbox,
/// dispatcher, provider). The message is <see cref="MessageKind.Test"/> with no campaign and no contact, so it never
/// counts in campaign figures and never takes the place of a contact's initial message. It obeys the opt-out list
/// (an opted-out number is refused) and the campaign's texting window in the number's own time zone (by area code).
/// </summary>
public static class TestSend
{
    public sealed record Request(string? Phone);

    public sealed record Response(Guid MessageId, string Phone, string Text);

    public static async Task<Outcome<Response>> ExecuteAsync(
        Guid campaignId, Request request, AuditActor actor, AppDbContext db, OutboxSignal outbox, TimeProvider clock, CancellationToken ct)
    {
        var campaign = await db.Campaigns.AsNoTracking().FirstOrDefaultAsync(c => c.Id == campaignId, ct);
        if (campaign is null)
        {
            return Failure.NotFound("The campaign");
        }

        if (campaign.Status == CampaignStatus.Archived)
        {
            return Failure.Conflict("This campaign is archived; copy it to run it again.");
        }

        var organization = await db.Organizations.AsNoTracking().Where(o => o.Id == campaign.OrganizationId)
            .Select(o => new { o.Name, o.OptOutLanguage, o.DefaultTimeZone, o.DefaultRegion }).FirstAsync(ct);
        var normalized = string.IsNullOrWhiteSpace(request.Phone) ? default : PhoneNumberNormalizer.Default.Normalize(request.Phone.AsSpan(), organization.DefaultRegion);
        if (string.IsNullOrWhiteSpace(request.Phone) || !normalized.IsAccepted || normalized.E164 is not { } phone)
        {
            return Failure.Invalid(string.IsNullOrWhiteSpace(request.Phone) ? "Enter the phone number to send the test to." : $"That phone number cannot be texted: {normalized.Message}", "phone");
        }

        var adminName = await db.Users.AsNoTracking().Where(u => u.Id == actor.UserId).Select(u => u.DisplayName).FirstOrDefaultAsync(ct) ?? "";
        var message = new InitialMessage(campaign, organization.Name, organization.OptOutLanguage, adminName);
        if (!message.IsValid)
        {
            return Failure.Unprocessable("The campaign's script has errors; fix them before sending a test.", [new Problem("The initial message does not parse.", "initialMessage")]);
        }

        if (await db.OptOuts.AnyAsync(o => o.PhoneE164 == phone, ct))
        {
            return Failure.Unprocessable("This number opted out; it will not be texted, not even a test.", [new Problem("The number is on the opt-out list.", "phone")]);
        }

        var now = clock.GetUtcNow();
        var location = ContactTimeZoneResolver.Resolve(null, null, phone, organization.DefaultTimeZone);
        var decision = TextingWindow.Evaluate(now, location, campaign.ToTextingHours());
        if (!decision.Allowed)
        {
            var reason = decision.Explain("this number");
            return Failure.Unprocessable(reason, [new Problem(reason, "phone")]);
        }

        var text = message.Render(SampleContact(campaign, phone, adminName, location));
        var provider = await db.MessagingSettings.Select(s => s.Provider).FirstOrDefaultAsync(ct) ?? MessagingSettings.Simulator;
        var queued = Outbox.Queue(db, campaign.OrganizationId, provider, phone, text, MessageKind.Test, actor, now.UtcDateTime,
            texterUserId: actor.UserId, actionId: Guid.NewGuid());
        AuditEvent.Record(db, campaign.OrganizationId, actor, "campaign.test-sent", $"campaign:{campaign.Id}", new { messageId = queued.Id, phone }, now.UtcDateTime);
        await db.SaveChangesAsync(ct);
        outbox.Notify();
        return new Response(queued.Id, phone, text);
    }

    /// <summary>The admin as the contact: their own name, and each custom field shown by name so the test reads naturally.</summary>
    private static Contact SampleContact(Campaign campaign, string phone, string adminName, ContactLocation location)
    {
        var names = adminName.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new Contact
        {
            OrganizationId = campaign.OrganizationId,
            CampaignId = campaign.Id,
            PhoneE164 = phone,
            FirstName = names.ElementAtOrDefault(0) ?? "",
            LastName = names.ElementAtOrDefault(1) ?? "",
            CustomFields = JsonSerializer.Serialize(campaign.CustomFields.ToDictionary(f => f, f => $"[{f}]", StringComparer.OrdinalIgnoreCase)),
            TimeZones = string.Join(',', location.TimeZones),
            TimeZoneSource = location.Source.ToString(),
        };
    }

    public static async Task<Results<Accepted<Response>, ProblemHttpResult>> HandleAsync(
        Guid id, Request request, ClaimsPrincipal user, AppDbContext db, OutboxSignal outbox, TimeProvider clock, CancellationToken ct)
    {
        var outcome = await ExecuteAsync(id, request, user.AsAuditActor(), db, outbox, clock, ct);
        return outcome.Failure is { } f ? f.ToProblem() : TypedResults.Accepted((string?)null, outcome.Value!);
    }
}
