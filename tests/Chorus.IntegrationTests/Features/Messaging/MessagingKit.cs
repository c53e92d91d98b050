using System.Net.Http.Json;
using Chorus.Features.Audit;
using Chorus.Features.Campaigns;
using Chorus.Features.Contacts;
using Chorus.Features.Messaging;
using Chorus.Features.Messaging.Dispatch;
using Chorus.Features.Messaging.Providers;
using Chorus.Features.Messaging.Simulator;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;

namespace Chorus.IntegrationTests.Features.Messaging;

/// <summary>Set-up and drivers shared by the messaging tests: a campaign with contacts, queueing, dispatching, webhooks.</summary>
internal static class MessagingKit
{
    public static CancellationToken Ct => TestContext.Current.CancellationToken;

    public static async Task<Guid> CampaignAsync(ChorusApp app, TestOrg org, string title = "GOTV")
    {
        var campaign = new Campaign { OrganizationId = org.Id, Title = title, InitialMessage = "Hi {firstName}! Reply STOP to opt out", CreatedUtc = ChorusApp.Start.UtcDateTime, UpdatedUtc = ChorusApp.Start.UtcDateTime };
        await app.WithDbAsync(async db =>
        {
            db.Campaigns.Add(campaign);
            return await db.SaveChangesAsync(Ct);
        });
        return campaign.Id;
    }

    public static async Task<Guid> ContactAsync(ChorusApp app, TestOrg org, Guid campaignId, string phone, string zone = "America/New_York", string? state = "NY")
    {
        var contact = new Contact
        {
            OrganizationId = org.Id,
            CampaignId = campaignId,
            PhoneE164 = phone,
            FirstName = "Ana",
            TimeZones = zone,
            TimeZoneSource = "Explicit",
            State = state,
            CreatedUtc = ChorusApp.Start.UtcDateTime,
        };
        await app.WithDbAsync(async db =>
        {
            db.Contacts.Add(contact);
            return await db.SaveChangesAsync(Ct);
        });
        return contact.Id;
    }

    /// <summary>Queues a message the way a texter's click does: the message and the contact's new state in one save.</summary>
    public static async Task<Guid> QueueAsync(ChorusApp app, TestOrg org, Guid contactId, string body = "Hi Ana! Reply STOP to opt out", MessageKind kind = MessageKind.Initial)
    {
        return await app.WithDbAsync(async db =>
        {
            var contact = await db.Contacts.IgnoreQueryFilters().FirstAsync(c => c.Id == contactId, Ct);
            var settings = await db.MessagingSettings.IgnoreQueryFilters().FirstOrDefaultAsync(s => s.OrganizationId == org.Id, Ct);
            var message = Outbox.Queue(db, org.Id, settings?.Provider ?? MessagingSettings.Simulator, contact.PhoneE164, body, kind, new AuditActor(org.Owner.Id, org.Owner.Email),
                app.Clock.GetUtcNow().UtcDateTime, contact.CampaignId, contact.Id, org.Owner.Id, Guid.NewGuid(), contact.SenderNumber);
            contact.TexterUserId ??= org.Owner.Id;
            contact.ConversationStatus = contact.ConversationStatus == ConversationStatus.NotContacted ? ConversationStatus.Messaged : contact.ConversationStatus;
            await db.SaveChangesAsync(Ct);
            return message.Id;
        });
    }

    public static Task<int> DispatchAsync(ChorusApp app) => app.Services.GetRequiredService<MessageDispatcher>().RunOnceAsync(Ct);

    public static Task<int> ReconcileAsync(ChorusApp app) => app.Services.GetRequiredService<Reconciler>().RunOnceAsync(Ct);

    /// <summary>Moves the fake clock and lets the simulated network post whatever became due.</summary>
    public static async Task<int> AdvanceNetworkAsync(ChorusApp app, TimeSpan by)
    {
        var network = app.Services.GetRequiredService<SimulatorNetwork>();
        var posted = 0;
        var step = TimeSpan.FromMilliseconds(500);
        for (var elapsed = TimeSpan.Zero; elapsed < by; elapsed += step)
        {
            app.Clock.Advance(step);
            posted += await network.RunDueAsync(Ct);
        }

        return posted;
    }

    public static Task<Message> MessageAsync(ChorusApp app, Guid id) =>
        app.WithDbAsync(db => db.Messages.IgnoreQueryFilters().AsNoTracking().FirstAsync(m => m.Id == id, Ct));

    public static Task<List<Message>> MessagesAsync(ChorusApp app, Guid organizationId) =>
        app.WithDbAsync(db => db.Messages.IgnoreQueryFilters().AsNoTracking().Where(m => m.OrganizationId == organizationId).OrderBy(m => m.CreatedUtc).ToListAsync(Ct));

    public static Task<bool> OptedOutAsync(ChorusApp app, TestOrg org, string phone) =>
        app.WithDbAsync(db => db.OptOuts.IgnoreQueryFilters().AnyAsync(o => o.OrganizationId == org.Id && o.PhoneE164 == phone, Ct));

    public static Task<MessagingSettings> SettingsAsync(ChorusApp app, TestOrg org) =>
        app.WithScopeAsync(sp => sp.GetRequiredService<MessagingAccounts>().GetOrCreateAsync(sp.GetRequiredService<AppDbContext>(), org.Id, app.Clock.GetUtcNow().UtcDateTime, Ct));

    /// <summary>Posts a Twilio-format webhook to this app, signed with <paramref name="token"/> (or not at all).</summary>
    public static async Task<HttpResponseMessage> PostWebhookAsync(ChorusApp app, string path, IReadOnlyDictionary<string, string> form, string? token, string? signatureOverride = null)
    {
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(path, UriKind.Relative)) { Content = new FormUrlEncodedContent(form) };
        if (signatureOverride is not null || token is not null)
        {
            request.Headers.Add(TwilioSignature.Header, signatureOverride ?? TwilioSignature.Compute(
                "http://localhost" + path, form.ToDictionary(p => p.Key, p => new StringValues(p.Value)), token!));
        }

        return await client.SendAsync(request, Ct);
    }

    public static async Task<string> SimulatorTokenAsync(ChorusApp app, TestOrg org)
    {
        var settings = await SettingsAsync(app, org);
        return app.Services.GetRequiredService<MessagingAccounts>().Unprotect(settings.SimulatorSecretProtected);
    }

    public static Dictionary<string, string> Inbound(string sid, string from, string to, string body) => new()
    {
        ["MessageSid"] = sid,
        ["SmsSid"] = sid,
        ["AccountSid"] = "AC00000000000000000000000000000000",
        ["From"] = from,
        ["To"] = to,
        ["Body"] = body,
        ["NumMedia"] = "0",
    };

    public static Dictionary<string, string> Status(string sid, string status, int? errorCode = null)
    {
        var form = new Dictionary<string, string> { ["MessageSid"] = sid, ["SmsSid"] = sid, ["MessageStatus"] = status, ["SmsStatus"] = status };
        if (errorCode is { } code)
        {
            form["ErrorCode"] = code.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return form;
    }

    public static Task<HttpResponseMessage> PutMessagingAsync(TestOrg org, object body) =>
        org.Owner.Client.PutAsJsonAsync(new Uri($"/api/v1/orgs/{org.Slug}/messaging", UriKind.Relative), body, Ct);
}
