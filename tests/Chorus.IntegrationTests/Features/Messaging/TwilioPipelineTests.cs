using System.Net;
using Chorus.Features.Messaging;
using Chorus.Features.Messaging.Providers;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Chorus.IntegrationTests.Features.Messaging.MessagingKit;

namespace Chorus.IntegrationTests.Features.Messaging;

/// <summary>The whole pipeline with the real Twilio provider against a fake Twilio on loopback.</summary>
public sealed class TwilioPipelineTests
{
    private const string Voter = "+12124567890";
    private static readonly string[] Pool = ["+12025550111", "+12025550122", "+12025550133"];

    private static async Task<(ChorusApp App, FakeTwilio Twilio, TestOrg Org, Guid ContactId)> StartAsync(DatabaseProvider provider)
    {
        var app = await ChorusApp.StartAsync(provider, services => services.Configure<TwilioProviderOptions>(o => o.RequestTimeout = TimeSpan.FromSeconds(5)));
        // Twilio's clock and ours agree, as they do in life (the reconciler looks messages up by time).
        var twilio = await FakeTwilio.StartAsync(clock: app.Clock);
        var org = await app.Seed.OrganizationAsync();
        await (await PutMessagingAsync(org, new
        {
            provider = "twilio",
            twilio = new { accountSid = twilio.AccountSid, authToken = twilio.AuthToken, numbers = Pool, apiBaseUrl = twilio.BaseUrl },
        })).ShouldHaveStatusAsync(HttpStatusCode.OK);
        var contactId = await ContactAsync(app, org, await CampaignAsync(app, org), Voter);
        return (app, twilio, org, contactId);
    }

    [Theory, BothDatabases]
    public async Task A_contact_always_hears_from_the_same_number_and_twilio_reports_back_to_our_signed_webhook(DatabaseProvider provider)
    {
        var (app, twilio, org, contactId) = await StartAsync(provider);
        await using var _ = app;
        await using var __ = twilio;
        var first = await QueueAsync(app, org, contactId);
        await DispatchAsync(app);
        var second = await QueueAsync(app, org, contactId, "Thanks! Polls close at 8.", MessageKind.Reply);
        await DispatchAsync(app);
        var sent = (await MessageAsync(app, first)).ProviderMessageId!;

        var callback = await PostWebhookAsync(app, $"/webhooks/twilio/{org.Slug}/status", Status(sent, "delivered"), twilio.AuthToken);

        Assert.Equal(2, twilio.Messages.Count);
        Assert.Single(twilio.Messages.Select(m => m.From).Distinct());
        Assert.Contains(twilio.Messages[0].From, Pool);
        Assert.All(twilio.Messages, m => Assert.Equal($"http://localhost/webhooks/twilio/{org.Slug}/status", m.StatusCallback));
        await callback.ShouldHaveStatusAsync(HttpStatusCode.OK);
        Assert.Equal(MessageStatus.Delivered, (await MessageAsync(app, first)).Status);
        Assert.Equal(MessageStatus.Submitted, (await MessageAsync(app, second)).Status);
    }

    [Theory, BothDatabases]
    public async Task Twilio_refusing_with_21610_fails_the_message_and_records_the_opt_out(DatabaseProvider provider)
    {
        var (app, twilio, org, contactId) = await StartAsync(provider);
        await using var _ = app;
        await using var __ = twilio;
        var id = await QueueAsync(app, org, contactId);
        twilio.Misbehave(FakeTwilioFault.Unsubscribed);

        await DispatchAsync(app);
        var message = await MessageAsync(app, id);

        Assert.Equal(MessageStatus.Failed, message.Status);
        Assert.Equal(21610, message.ErrorCode);
        Assert.True(await OptedOutAsync(app, org, Voter));
    }

    [Theory, BothDatabases]
    public async Task Too_many_requests_is_retried_later_with_backoff_and_then_sent(DatabaseProvider provider)
    {
        var (app, twilio, org, contactId) = await StartAsync(provider);
        await using var _ = app;
        await using var __ = twilio;
        var id = await QueueAsync(app, org, contactId);
        twilio.Misbehave(FakeTwilioFault.TooManyRequests);

        await DispatchAsync(app);
        var refused = await MessageAsync(app, id);
        var tooSoon = await DispatchAsync(app);
        app.Clock.Advance(TimeSpan.FromSeconds(5));
        await DispatchAsync(app);

        Assert.Equal(MessageStatus.Queued, refused.Status);
        Assert.Equal(1, refused.Attempts);
        Assert.True(refused.NotBeforeUtc > app.Clock.GetUtcNow().UtcDateTime - TimeSpan.FromSeconds(5));
        Assert.Equal(0, tooSoon);
        Assert.Equal(MessageStatus.Submitted, (await MessageAsync(app, id)).Status);
        Assert.Single(twilio.Messages);
    }

    [Theory, BothDatabases]
    public async Task An_answer_lost_after_twilio_accepted_is_reconciled_from_twilio_and_never_resent(DatabaseProvider provider)
    {
        var (app, twilio, org, contactId) = await StartAsync(provider);
        await using var _ = app;
        await using var __ = twilio;
        var id = await QueueAsync(app, org, contactId);
        twilio.Misbehave(FakeTwilioFault.AcceptThenTimeOut);

        await DispatchAsync(app);
        var unknown = await MessageAsync(app, id);
        await DispatchAsync(app);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await ReconcileAsync(app);
        var reconciled = await MessageAsync(app, id);

        Assert.Equal(MessageStatus.Unknown, unknown.Status);
        Assert.Equal(MessageStatus.Submitted, reconciled.Status);
        Assert.Equal(Assert.Single(twilio.Messages).Sid, reconciled.ProviderMessageId);
        Assert.Single(twilio.Requests, r => r.Method == "POST");
    }

    [Theory, BothDatabases]
    public async Task A_hanging_twilio_times_out_to_an_unknown_outcome_and_the_dispatcher_moves_on(DatabaseProvider provider)
    {
        var (app, twilio, org, contactId) = await StartAsync(provider);
        await using var _ = app;
        await using var __ = twilio;
        var id = await QueueAsync(app, org, contactId);
        twilio.Misbehave(FakeTwilioFault.Hang);

        await DispatchAsync(app).WaitAsync(TimeSpan.FromSeconds(30), Ct);

        Assert.Equal(MessageStatus.Unknown, (await MessageAsync(app, id)).Status);
        Assert.Equal(0, await DispatchAsync(app));
    }

    [Theory, BothDatabases]
    public async Task The_settings_never_return_the_auth_token_and_the_record_does_not_hold_it(DatabaseProvider provider)
    {
        var (app, twilio, org, _) = await StartAsync(provider);
        await using var _ = app;
        await using var __ = twilio;

        var body = await org.Owner.Client.GetStringAsync(new Uri($"/api/v1/orgs/{org.Slug}/messaging", UriKind.Relative), Ct);
        var audit = await app.WithDbAsync(db => db.AuditEvents.IgnoreQueryFilters().Where(e => e.OrganizationId == org.Id).Select(e => e.Data).ToListAsync(Ct));
        var stored = (await SettingsAsync(app, org)).TwilioAuthTokenProtected!;

        Assert.DoesNotContain(twilio.AuthToken, body, StringComparison.Ordinal);
        Assert.Contains("\"authTokenSet\":true", body, StringComparison.Ordinal);
        Assert.All(audit, d => Assert.DoesNotContain(twilio.AuthToken, d, StringComparison.Ordinal));
        Assert.DoesNotContain(twilio.AuthToken, stored, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task Bad_settings_are_refused_with_every_problem_and_change_nothing(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();

        var refused = await PutMessagingAsync(org, new
        {
            provider = "twilio",
            twilio = new { accountSid = "AC123", numbers = new[] { "212-555" }, apiBaseUrl = "ftp://x" },
            limits = new { messagesPerSecond = 0 },
            texts = new { optOutConfirmation = "Unsubscribed. Donate at https://x.co" },
        });
        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        var fields = problem.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("field").GetString()).ToList();

        Assert.Equal(
            ["twilio.accountSid", "twilio.numbers[0]", "twilio.apiBaseUrl", "twilio.authToken", "limits.messagesPerSecond", "texts.optOutConfirmation"],
            fields);
        Assert.Equal(MessagingSettings.Simulator, (await SettingsAsync(app, org)).Provider);
    }
}
