using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Chorus.Features.Integrations;
using Chorus.Features.Integrations.Webhooks;
using Chorus.Features.Organizations;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Features.Texting;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Chorus.IntegrationTests.Features.Integrations.IntegrationKit;
using View = Chorus.Features.Integrations.Integrations.View;

namespace Chorus.IntegrationTests.Features.Integrations.Webhooks;

public sealed class WebhookTests
{
    private const string Secret = "whsec-test-0123456789-abcdefghijklmnopqrstuv";

    // The receivers run on http://127.0.0.1, which the server accepts only when told to (as in development).
    private static Task<ChorusApp> StartAsync(DatabaseProvider provider) =>
        ChorusApp.StartAsync(provider, services =>
        {
            services.Configure<WebhookOptions>(o => o.AllowLoopbackHttp = true);
            services.AddSingleton<IIntegrationHandler>(new ScriptedHandler());
        });

    private static Task<View> WebhookAsync(TestOrg org, WebhookReceiver receiver, string path, string[]? events = null, string? secret = Secret) =>
        CreateAsync(org, WebhookHandler.KindName, events is null ? new { url = receiver.Url(path) } : new { url = receiver.Url(path), events },
            secret is null ? null : new() { [WebhookHandler.SecretName] = secret });

    private static async Task OptInAsync(TestOrg org, string phone) =>
        await (await org.Owner.Client.DeleteAsync(Url(org, $"/opt-outs/{Uri.EscapeDataString(phone)}"), Ct)).ShouldHaveStatusAsync(HttpStatusCode.NoContent);

    private static async Task<WebhookSecrets.Rotated> RotateAsync(TestOrg org, Guid id) =>
        await (await org.Owner.Client.PostAsync(Url(org, $"/integrations/{id}/webhook/rotate-secret"), null, Ct)).ReadAsync<WebhookSecrets.Rotated>(HttpStatusCode.OK);

    private static async Task<View> GetAsync(TestOrg org, Guid id) =>
        await (await org.Owner.Client.GetAsync(Url(org, $"/integrations/{id}"), Ct)).ReadAsync<View>(HttpStatusCode.OK);

    private static JsonElement Json(ReceivedWebhook webhook) => JsonDocument.Parse(webhook.Body).RootElement;

    [Theory, BothDatabases]
    public async Task A_reply_a_survey_answer_and_an_escalation_are_posted_with_what_the_voter_said_and_the_question(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        await using var receiver = await WebhookReceiver.StartAsync(Secret, app.Clock);
        var org = await app.Seed.OrganizationAsync();
        var campaignId = await VolunteerKit.ActiveCampaignAsync(app, org, contacts: 1);
        var stepId = Guid.CreateVersion7();
        await app.WithDbAsync(async db =>
        {
            var campaign = await db.Campaigns.IgnoreQueryFilters().FirstAsync(c => c.Id == campaignId, Ct);
            campaign.QuestionJson = new Chorus.Features.Campaigns.ScriptQuestion(stepId, "Will you vote early?",
                [new Chorus.Features.Campaigns.ScriptAnswer("Yes", "Great, see you there!", null), new Chorus.Features.Campaigns.ScriptAnswer("No", "Thanks!", null)]).ToJson();
            return await db.SaveChangesAsync(Ct);
        });
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var batch = await VolunteerKit.BatchAsync(texter, org, campaignId);
        var contact = Assert.Single(batch.Contacts);
        await (await VolunteerKit.SendAsync(texter, org, batch.AssignmentId, contact.Id)).ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        await WebhookAsync(org, receiver, "/hook", [IntegrationEvent.MessageReceived, IntegrationEvent.SurveyAnswered, IntegrationEvent.Escalated]);

        await (await org.Owner.Client.PostAsJsonAsync(Url(org, "/simulator/inbound"), new { from = contact.Phone, body = "Yes! <b>Saturday</b> \"early\"" }, Ct))
            .ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        await (await texter.Client.PostAsJsonAsync(Url(org, $"/conversations/{contact.Id}/answers"), new { stepId, answer = "Yes" }, Ct)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await (await texter.Client.PostAsJsonAsync(Url(org, $"/conversations/{contact.Id}/escalate"), new { reason = "Needs a ride to the polls" }, Ct)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await RunWorkerAsync(app);

        var received = receiver.Received.Where(r => r.Path == "/hook").Select(Json).ToList();
        Assert.Equal(3, received.Count);
        var reply = received.Single(r => r.GetProperty("type").GetString() == IntegrationEvent.MessageReceived);
        Assert.Equal("Yes! <b>Saturday</b> \"early\"", reply.GetProperty("data").GetProperty("body").GetString());
        Assert.Equal(contact.Phone, reply.GetProperty("data").GetProperty("from").GetString());
        Assert.Equal(contact.Id, reply.GetProperty("contact").GetProperty("id").GetGuid());
        var answer = received.Single(r => r.GetProperty("type").GetString() == IntegrationEvent.SurveyAnswered).GetProperty("data");
        Assert.Equal((stepId, "Will you vote early?", "Yes"), (answer.GetProperty("stepId").GetGuid(), answer.GetProperty("question").GetString(), answer.GetProperty("answer").GetString()));
        var escalated = received.Single(r => r.GetProperty("type").GetString() == IntegrationEvent.Escalated);
        Assert.Equal("Needs a ride to the polls", escalated.GetProperty("data").GetProperty("reason").GetString());
        Assert.Equal(campaignId, escalated.GetProperty("contact").GetProperty("campaignId").GetGuid());
    }

    [Theory, BothDatabases]
    public async Task Each_event_the_webhook_subscribes_to_is_posted_signed_and_other_events_are_not(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        await using var receiver = await WebhookReceiver.StartAsync(Secret, app.Clock);
        var org = await app.Seed.OrganizationAsync();
        var campaignId = await VolunteerKit.ActiveCampaignAsync(app, org, contacts: 1);
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var batch = await VolunteerKit.BatchAsync(texter, org, campaignId);
        var contact = Assert.Single(batch.Contacts);
        await (await VolunteerKit.SendAsync(texter, org, batch.AssignmentId, contact.Id)).ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        var optOuts = await WebhookAsync(org, receiver, "/opt-outs", [IntegrationEvent.OptedOut]);
        var everything = await WebhookAsync(org, receiver, "/everything");

        await OptOutAsync(org, "+12125550101");
        await OptInAsync(org, "+12125550101");
        await OptOutAsync(org, "+12125550102");
        await (await texter.Client.PutAsJsonAsync(Url(org, $"/conversations/{contact.Id}/tags"), new[] { "Volunteer" }, Ct)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await RunWorkerAsync(app);

        // The opt-out subscription gets the two opt-outs (in whatever order) and nothing else.
        var toOptOuts = receiver.Received.Where(r => r.Path == "/opt-outs").ToList();
        Assert.Equal(2, toOptOuts.Count);
        Assert.All(toOptOuts, r => Assert.Equal(IntegrationEvent.OptedOut, Json(r).GetProperty("type").GetString()));
        Assert.Equal(["+12125550101", "+12125550102"], toOptOuts.Select(r => Json(r).GetProperty("phone").GetString()!).Order(StringComparer.Ordinal));

        // No subscription list means every event: opted out, opted in, opted out, tagged.
        var toEverything = receiver.Received.Where(r => r.Path == "/everything").ToList();
        Assert.Equal(
            [IntegrationEvent.OptedIn, IntegrationEvent.OptedOut, IntegrationEvent.OptedOut, IntegrationEvent.Tagged],
            toEverything.Select(r => Json(r).GetProperty("type").GetString()!).Order(StringComparer.Ordinal));
        var tagged = Json(toEverything.Single(r => Json(r).GetProperty("type").GetString() == IntegrationEvent.Tagged));
        Assert.Equal(contact.Id, tagged.GetProperty("contact").GetProperty("id").GetGuid());
        Assert.Equal(campaignId, tagged.GetProperty("contact").GetProperty("campaignId").GetGuid());
        Assert.Equal("Voter0", tagged.GetProperty("contact").GetProperty("firstName").GetString());
        Assert.Equal("+12124560000", tagged.GetProperty("contact").GetProperty("phone").GetString());
        Assert.Equal(["Volunteer"], tagged.GetProperty("data").GetProperty("added").EnumerateArray().Select(t => t.GetString()));
        var optedOut = Json(toOptOuts[0]);
        Assert.Equal(org.Slug, optedOut.GetProperty("organization").GetProperty("slug").GetString());
        Assert.Equal(JsonValueKind.Null, optedOut.GetProperty("contact").ValueKind);
        Assert.True(optedOut.GetProperty("occurredAt").GetDateTime() <= app.Clock.GetUtcNow().UtcDateTime);

        // Every request verifies the documented way, is fresh, and carries its delivery's idempotency key as its id.
        var all = receiver.Received;
        Assert.All(all, r => Assert.True(r.Verified && r.Fresh, $"{r.Path} {r.Signature}"));
        Assert.All(all, r => Assert.Equal("application/json", r.ContentType));
        // Ids are per event: each is new to its receiver, and an event both webhooks take has the same id at both.
        Assert.All(all.GroupBy(r => r.Path), g => Assert.Equal(g.Count(), g.Select(r => r.Id).Distinct().Count()));
        Assert.All(all.GroupBy(r => r.Path), g => Assert.Equal(g.Count(), g.Select(r => Json(r).GetProperty("id").GetString()).Distinct().Count()));
        Assert.Equal(4, all.Select(r => r.Id).Distinct().Count());
        var logged = (await DeliveriesAsync(org, optOuts.Id)).Concat(await DeliveriesAsync(org, everything.Id)).ToList();
        Assert.All(logged, d => Assert.Equal(DeliveryStatus.Succeeded, d.Status));
        Assert.Equal(all.Select(r => (r.Id, r.Body)).Order(), logged.Select(d => (Id: d.IdempotencyKey, Body: d.Payload)).Order());

        // A changed body, or another secret, does not verify.
        var sample = toOptOuts[0];
        Assert.False(WebhookReceiver.Verify(Secret, sample, sample.Body.Replace("+12125550", "+13135550", StringComparison.Ordinal)));
        Assert.False(WebhookReceiver.Verify(Secret + "x", sample));
        Assert.False(WebhookReceiver.Verify(Secret, (long.Parse(sample.Timestamp, System.Globalization.CultureInfo.InvariantCulture) + 1).ToString(System.Globalization.CultureInfo.InvariantCulture),
            System.Text.Encoding.UTF8.GetBytes(sample.Body), sample.Signature));
        Assert.True(WebhookReceiver.Verify(Secret, sample));
    }

    [Theory, BothDatabases]
    public async Task A_webhook_without_a_secret_sends_nothing_until_rotate_secret_makes_one_and_shows_it_once(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        await using var receiver = await WebhookReceiver.StartAsync("not yet known", app.Clock);
        var org = await app.Seed.OrganizationAsync();
        var webhook = await WebhookAsync(org, receiver, "/hook", secret: null);
        Assert.Empty(webhook.SecretsSet);

        await OptOutAsync(org, "+12125550111");
        await RunWorkerAsync(app);
        Assert.Empty(receiver.Received);
        var waiting = await GetAsync(org, webhook.Id);
        Assert.Equal((IntegrationHealth.Unauthorized, 1), (waiting.Health, waiting.Pending));
        Assert.Contains("rotate-secret", waiting.LastError, StringComparison.Ordinal);

        var response = await org.Owner.Client.PostAsync(Url(org, $"/integrations/{webhook.Id}/webhook/rotate-secret"), null, Ct);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        var rotated = await response.ReadAsync<WebhookSecrets.Rotated>(HttpStatusCode.OK);
        Assert.Equal(43, rotated.SigningSecret.Length);
        Assert.Equal([WebhookHandler.SecretName], (await GetAsync(org, webhook.Id)).SecretsSet);
        var listed = await (await org.Owner.Client.GetAsync(Url(org, "/integrations"), Ct)).Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain(rotated.SigningSecret, listed, StringComparison.Ordinal);
        var audit = await app.WithDbAsync(db => db.AuditEvents.IgnoreQueryFilters().Where(e => e.Action == "integration.secret_rotated").Select(e => e.Data).SingleAsync(Ct));
        Assert.DoesNotContain(rotated.SigningSecret, audit, StringComparison.Ordinal);

        // What waited goes at once, signed with the new secret.
        receiver.Secret = rotated.SigningSecret;
        await RunWorkerAsync(app);
        var first = Assert.Single(receiver.Received);
        Assert.True(first.Verified);
        Assert.Equal(DeliveryStatus.Succeeded, Assert.Single(await DeliveriesAsync(org, webhook.Id)).Status);
        Assert.Equal(IntegrationHealth.Ok, (await GetAsync(org, webhook.Id)).Health);

        // Rotating again replaces it: what is sent next verifies with the new secret only.
        var again = await RotateAsync(org, webhook.Id);
        Assert.NotEqual(rotated.SigningSecret, again.SigningSecret);
        receiver.Secret = again.SigningSecret;
        await OptOutAsync(org, "+12125550112");
        await RunWorkerAsync(app);
        var second = receiver.Received[1];
        Assert.True(second.Verified);
        Assert.False(WebhookReceiver.Verify(rotated.SigningSecret, second));
    }

    [Theory, BothDatabases]
    public async Task A_server_error_is_retried_after_the_backoff_with_the_same_webhook_id_and_body(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        await using var receiver = await WebhookReceiver.StartAsync(Secret, app.Clock);
        var org = await app.Seed.OrganizationAsync();
        var webhook = await WebhookAsync(org, receiver, "/hook");
        receiver.AnswerNext(500);

        await OptOutAsync(org, "+12125550121");
        await RunWorkerAsync(app);
        var waiting = Assert.Single(await DeliveriesAsync(org, webhook.Id));
        Assert.Equal((DeliveryStatus.Pending, 1), (waiting.Status, waiting.Attempts));
        Assert.StartsWith("500", waiting.Response, StringComparison.Ordinal);

        app.Clock.Advance(IntegrationDispatcher.Backoff(1));
        await RunWorkerAsync(app);

        var delivered = Assert.Single(await DeliveriesAsync(org, webhook.Id));
        Assert.Equal((DeliveryStatus.Succeeded, 2), (delivered.Status, delivered.Attempts));
        Assert.Equal(2, receiver.Received.Count);
        Assert.Single(receiver.Received.Select(r => r.Id).Distinct());
        Assert.Single(receiver.Received.Select(r => r.Body).Distinct());
        Assert.Equal(delivered.IdempotencyKey, receiver.Received[0].Id);

        // Each attempt is signed afresh: the retry's timestamp is the time it was sent, inside the receiver's window.
        Assert.NotEqual(receiver.Received[0].Timestamp, receiver.Received[1].Timestamp);
        Assert.All(receiver.Received, r => Assert.True(r.Verified && r.Fresh));
    }

    [Theory, BothDatabases]
    public async Task A_410_Gone_fails_the_item_and_switches_the_webhook_off_with_an_audit_entry(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        await using var receiver = await WebhookReceiver.StartAsync(Secret, app.Clock);
        var org = await app.Seed.OrganizationAsync();
        var webhook = await WebhookAsync(org, receiver, "/hook");
        receiver.AnswerNext(410);

        await OptOutAsync(org, "+12125550131");
        await OptOutAsync(org, "+12125550132");
        await RunWorkerAsync(app);

        // The first is refused for good; the webhook is off, so the second waits instead of being sent.
        Assert.Single(receiver.Received);
        var deliveries = await DeliveriesAsync(org, webhook.Id);
        var gone = Assert.Single(deliveries, d => d.Status == DeliveryStatus.Failed);
        Assert.Contains("410 Gone", gone.LastError, StringComparison.Ordinal);
        Assert.Single(deliveries, d => d.Status == DeliveryStatus.Pending);
        var view = await GetAsync(org, webhook.Id);
        Assert.False(view.Enabled);
        Assert.Contains("switched off", view.LastError, StringComparison.Ordinal);
        var disabled = await app.WithDbAsync(db => db.AuditEvents.IgnoreQueryFilters().Where(e => e.Action == "integration.disabled").SingleAsync(Ct));
        Assert.Equal(("system", $"integration:{webhook.Id}"), (disabled.Actor, disabled.Subject));

        app.Clock.Advance(TimeSpan.FromHours(1));
        await OptOutAsync(org, "+12125550133");
        await RunWorkerAsync(app);
        Assert.Single(receiver.Received);
    }

    [Theory, BothDatabases]
    public async Task Replaying_a_delivery_sends_it_again_with_the_same_webhook_id_and_body(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        await using var receiver = await WebhookReceiver.StartAsync(Secret, app.Clock);
        var org = await app.Seed.OrganizationAsync();
        var webhook = await WebhookAsync(org, receiver, "/hook");
        await OptOutAsync(org, "+12125550141");
        await RunWorkerAsync(app);
        var delivery = Assert.Single(await DeliveriesAsync(org, webhook.Id));

        app.Clock.Advance(TimeSpan.FromMinutes(10));
        await (await org.Owner.Client.PostAsync(Url(org, $"/integrations/{webhook.Id}/deliveries/{delivery.Id}/replay"), null, Ct)).ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        await RunWorkerAsync(app);

        Assert.Equal(2, receiver.Received.Count);
        Assert.Single(receiver.Received.Select(r => (r.Id, r.Body)).Distinct());
        Assert.All(receiver.Received, r => Assert.True(r.Verified && r.Fresh));
        Assert.Equal(DeliveryStatus.Succeeded, Assert.Single(await DeliveriesAsync(org, webhook.Id)).Status);
    }

    [Theory, BothDatabases]
    public async Task Unsafe_urls_unknown_events_and_short_secrets_are_refused_at_save_with_a_clear_message(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();

        async Task<JsonElement> RefusedAsync(object settings, Dictionary<string, string>? secrets = null) =>
            await (await org.Owner.Client.PostAsJsonAsync(Url(org, "/integrations"), new { kind = WebhookHandler.KindName, settings, secrets = secrets ?? [] }, Ct))
                .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        static string Error(JsonElement problem, string field) => problem.GetProperty("errors").GetProperty(field)[0].GetString()!;

        Assert.Contains("must use https://", Error(await RefusedAsync(new { url = "http://example.com/hooks" }), "settings.url"), StringComparison.Ordinal);
        Assert.Contains("not a web address", Error(await RefusedAsync(new { url = "javascript:alert(1)" }), "settings.url"), StringComparison.Ordinal);
        Assert.Contains("not a web address", Error(await RefusedAsync(new { url = "ftp://example.com/drop" }), "settings.url"), StringComparison.Ordinal);
        Assert.Contains("user name or password", Error(await RefusedAsync(new { url = "https://me:hunter2@example.com/hooks" }), "settings.url"), StringComparison.Ordinal);
        Assert.Contains("Say where to send events", Error(await RefusedAsync(new { }), "settings.url"), StringComparison.Ordinal);
        Assert.Contains("'message.sent' is not an event type",
            Error(await RefusedAsync(new { url = "https://example.com/hooks", events = new[] { "contact.opted_out", "message.sent" } }), "settings.events"), StringComparison.Ordinal);
        Assert.Contains("32 to 256 characters",
            Error(await RefusedAsync(new { url = "https://example.com/hooks" }, new() { [WebhookHandler.SecretName] = "too-short" }), $"secrets.{WebhookHandler.SecretName}"),
            StringComparison.Ordinal);
        Assert.Equal(0, await app.Seed.CountAsync(db => db.Integrations.IgnoreQueryFilters()));

        // A change to an unsafe address is refused too, and the webhook keeps its address.
        var webhook = await CreateAsync(org, WebhookHandler.KindName, new { url = "https://example.com/hooks" });
        var changed = await org.Owner.Client.PutAsJsonAsync(Url(org, $"/integrations/{webhook.Id}"), new { settings = new { url = "javascript:fetch('//evil')" } }, Ct);
        await changed.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("https://example.com/hooks", (await GetAsync(org, webhook.Id)).Settings.GetProperty("url").GetString());
    }

    [Theory, BothDatabases]
    public async Task The_connection_test_posts_a_signed_ping_and_says_why_when_it_is_refused(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        await using var receiver = await WebhookReceiver.StartAsync(Secret, app.Clock);
        var org = await app.Seed.OrganizationAsync();
        var webhook = await WebhookAsync(org, receiver, "/hook");

        var ok = await (await org.Owner.Client.PostAsync(Url(org, $"/integrations/{webhook.Id}/test"), null, Ct)).ReadAsync<Chorus.Features.Integrations.Integrations.TestResult>(HttpStatusCode.OK);
        Assert.True(ok.Ok);
        var ping = Assert.Single(receiver.Received);
        Assert.True(ping.Verified && ping.Fresh);
        Assert.Equal("ping", Json(ping).GetProperty("type").GetString());
        Assert.StartsWith("ping/", ping.Id, StringComparison.Ordinal);

        receiver.Secret = "the receiver expects another secret entirely";
        var refused = await (await org.Owner.Client.PostAsync(Url(org, $"/integrations/{webhook.Id}/test"), null, Ct)).ReadAsync<Chorus.Features.Integrations.Integrations.TestResult>(HttpStatusCode.OK);
        Assert.False(refused.Ok);
        Assert.Equal(IntegrationHealth.Unauthorized, refused.Health);
        Assert.Contains("401", refused.Message, StringComparison.Ordinal);
        Assert.True((await GetAsync(org, webhook.Id)).Enabled);
    }

    [Theory, BothDatabases]
    public async Task Another_organizations_webhook_is_not_found_and_only_webhooks_have_a_secret_to_rotate(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var other = await app.Seed.OrganizationAsync();
        var theirs = await CreateAsync(other, WebhookHandler.KindName, new { url = "https://example.com/theirs" }, new() { [WebhookHandler.SecretName] = Secret });
        var crm = await CreateAsync(org, ScriptedHandler.KindName, secrets: new() { ["apiKey"] = "k" });
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var ours = await CreateAsync(org, WebhookHandler.KindName, new { url = "https://example.com/ours" });

        await (await org.Owner.Client.PostAsync(Url(org, $"/integrations/{theirs.Id}/webhook/rotate-secret"), null, Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await org.Owner.Client.GetAsync(Url(org, $"/integrations/{theirs.Id}"), Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await org.Owner.Client.GetAsync(Url(org, $"/integrations/{theirs.Id}/deliveries"), Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await org.Owner.Client.PostAsync(Url(org, $"/integrations/{crm.Id}/webhook/rotate-secret"), null, Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(HttpStatusCode.Forbidden, (await texter.Client.PostAsync(Url(org, $"/integrations/{ours.Id}/webhook/rotate-secret"), null, Ct)).StatusCode);

        Assert.Equal(0, await app.Seed.CountAsync(db => db.AuditEvents.IgnoreQueryFilters().Where(e => e.Action == "integration.secret_rotated")));
        Assert.Equal([WebhookHandler.SecretName], (await GetAsync(other, theirs.Id)).SecretsSet);
    }
}
