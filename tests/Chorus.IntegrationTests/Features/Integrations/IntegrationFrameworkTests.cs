using System.Net;
using System.Net.Http.Json;
using Chorus.Features.Integrations;
using Chorus.Features.Organizations;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Features.Texting;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Chorus.IntegrationTests.Features.Integrations.IntegrationKit;
using View = Chorus.Features.Integrations.Integrations.View;

namespace Chorus.IntegrationTests.Features.Integrations;

public sealed class IntegrationFrameworkTests
{
    private readonly ScriptedHandler _crm = new();

    private Task<ChorusApp> StartAsync(DatabaseProvider provider) =>
        ChorusApp.StartAsync(provider, services => services.AddSingleton<IIntegrationHandler>(_crm));

    [Theory, BothDatabases]
    public async Task An_integration_keeps_its_credentials_encrypted_and_never_returns_them(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();

        var created = await CreateAsync(org, ScriptedHandler.KindName, new { listId = "42" }, new() { ["apiKey"] = "sk_live_secret_value" }, "Our CRM");

        Assert.Equal(["apiKey"], created.SecretsSet);
        Assert.Equal("42", created.Settings.GetProperty("listId").GetString());
        var listed = await (await org.Owner.Client.GetAsync(Url(org, "/integrations"), Ct)).Content.ReadAsStringAsync(Ct);
        Assert.DoesNotContain("sk_live_secret_value", listed, StringComparison.Ordinal);
        var stored = await app.WithDbAsync(db => db.Integrations.IgnoreQueryFilters().Select(i => i.SecretsProtected).SingleAsync(Ct));
        Assert.DoesNotContain("sk_live_secret_value", stored!, StringComparison.Ordinal);
        var audit = await app.WithDbAsync(db => db.AuditEvents.IgnoreQueryFilters().Where(e => e.Action == "integration.created").Select(e => e.Data).SingleAsync(Ct));
        Assert.DoesNotContain("sk_live_secret_value", audit, StringComparison.Ordinal);

        // A change that leaves the secret out keeps it; an empty one removes it (and the kind then refuses the change).
        var renamed = await (await org.Owner.Client.PutAsJsonAsync(Url(org, $"/integrations/{created.Id}"), new { name = "CRM" }, Ct)).ReadAsync<View>(HttpStatusCode.OK);
        Assert.Equal(["apiKey"], renamed.SecretsSet);
        var cleared = await org.Owner.Client.PutAsJsonAsync(Url(org, $"/integrations/{created.Id}"), new { secrets = new Dictionary<string, string> { ["apiKey"] = "" } }, Ct);
        Assert.Contains("API key", (await cleared.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task An_unknown_kind_or_missing_credentials_get_a_clear_error_and_nothing_is_stored(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();

        var unknown = await org.Owner.Client.PostAsJsonAsync(Url(org, "/integrations"), new { kind = "salesforce" }, Ct);
        var detail = (await unknown.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("detail").GetString();
        Assert.Contains("There is no 'salesforce' integration", detail, StringComparison.Ordinal);
        Assert.Contains(ScriptedHandler.KindName, detail, StringComparison.Ordinal);

        var keyless = await org.Owner.Client.PostAsJsonAsync(Url(org, "/integrations"), new { kind = ScriptedHandler.KindName, settings = new { listId = 7 } }, Ct);
        var problem = await keyless.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.GetProperty("errors").TryGetProperty("secrets.apiKey", out _));
        Assert.True(problem.GetProperty("errors").TryGetProperty("settings.listId", out _));
        Assert.Equal(0, await app.Seed.CountAsync(db => db.Integrations.IgnoreQueryFilters()));
    }

    [Theory, BothDatabases]
    public async Task Events_after_an_integration_is_created_are_delivered_once_and_earlier_ones_are_not(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        await OptOutAsync(org, "+12124560001");
        var integration = await CreateAsync(org, ScriptedHandler.KindName, secrets: new() { ["apiKey"] = "k" });
        await OptOutAsync(org, "+12124560002");

        await RunWorkerAsync(app);
        await RunWorkerAsync(app);

        var attempt = Assert.Single(_crm.Attempts);
        Assert.Contains("+12124560002", attempt.Payload, StringComparison.Ordinal);
        Assert.Contains(IntegrationEvent.OptedOut, attempt.Payload, StringComparison.Ordinal);
        Assert.Equal("k", attempt.ApiKey);
        var delivery = Assert.Single(await DeliveriesAsync(org, integration.Id));
        Assert.Equal(DeliveryStatus.Succeeded, delivery.Status);
        Assert.Equal(1, delivery.Attempts);
        Assert.Equal("200 {\"ok\":true}", delivery.Response);
        Assert.Equal(attempt.Key, delivery.IdempotencyKey);
    }

    [Theory, BothDatabases]
    public async Task A_transient_failure_is_retried_after_a_backoff_and_then_delivered(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var integration = await CreateAsync(org, ScriptedHandler.KindName, secrets: new() { ["apiKey"] = "k" });
        _crm.Script.Enqueue(DeliveryResult.Transient("The service answered 503; it will be tried again.", "503 busy"));
        await OptOutAsync(org, "+12124560003");

        await RunWorkerAsync(app);
        var waiting = Assert.Single(await DeliveriesAsync(org, integration.Id));
        Assert.Equal(DeliveryStatus.Pending, waiting.Status);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime + IntegrationDispatcher.Backoff(1), waiting.NextAttemptUtc);
        Assert.Equal("503 busy", waiting.Response);
        var health = await (await org.Owner.Client.GetAsync(Url(org, $"/integrations/{integration.Id}"), Ct)).ReadAsync<View>(HttpStatusCode.OK);
        Assert.Equal(IntegrationHealth.Failing, health.Health);
        Assert.Equal(1, health.Pending);

        await RunWorkerAsync(app); // not due yet
        Assert.Single(_crm.Attempts);
        app.Clock.Advance(IntegrationDispatcher.Backoff(1));
        await RunWorkerAsync(app);

        var delivered = Assert.Single(await DeliveriesAsync(org, integration.Id));
        Assert.Equal((DeliveryStatus.Succeeded, 2), (delivered.Status, delivered.Attempts));
        Assert.Equal(2, _crm.Attempts.Count);
        Assert.Single(_crm.Attempts.Select(a => a.Key).Distinct());
        Assert.Equal(IntegrationHealth.Ok, (await (await org.Owner.Client.GetAsync(Url(org, $"/integrations/{integration.Id}"), Ct)).ReadAsync<View>(HttpStatusCode.OK)).Health);
    }

    [Fact]
    public async Task Every_kinds_example_settings_pass_its_own_checks()
    {
        await using var app = await ChorusApp.StartAsync(DatabaseProvider.Sqlite);
        var handlers = app.Services.GetServices<IIntegrationHandler>().ToList();

        Assert.Contains(handlers, h => h.Kind == "webhook");
        Assert.Contains(handlers, h => h.Kind == "action-network");
        foreach (var handler in handlers)
        {
            using var template = System.Text.Json.JsonDocument.Parse(handler.SettingsTemplate);
            var secrets = handler.SecretNames.ToDictionary(n => n, _ => "an-example-credential-of-forty-characters", StringComparer.Ordinal);
            Assert.True(handler.Validate(template.RootElement, secrets) is [], $"{handler.Kind}: {string.Join(" ", handler.Validate(template.RootElement, secrets).Select(p => p.Message))}");
        }
    }

    [Fact]
    public void Backoff_doubles_from_thirty_seconds_up_to_six_hours_and_honours_a_longer_retry_after()
    {
        Assert.Equal(TimeSpan.FromSeconds(30), IntegrationDispatcher.Backoff(1));
        Assert.Equal(TimeSpan.FromMinutes(1), IntegrationDispatcher.Backoff(2));
        Assert.Equal(TimeSpan.FromMinutes(4), IntegrationDispatcher.Backoff(4));
        Assert.Equal(TimeSpan.FromHours(6), IntegrationDispatcher.Backoff(30));
        Assert.Equal(TimeSpan.FromMinutes(10), IntegrationDispatcher.Backoff(1, TimeSpan.FromMinutes(10)));
        Assert.Equal(TimeSpan.FromMinutes(1), IntegrationDispatcher.Backoff(2, TimeSpan.FromSeconds(5)));
    }

    [Theory, BothDatabases]
    public async Task Refused_credentials_mark_the_integration_unauthorized_and_new_ones_let_the_waiting_items_through(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var integration = await CreateAsync(org, ScriptedHandler.KindName, secrets: new() { ["apiKey"] = "bad" });
        var test = await (await org.Owner.Client.PostAsync(Url(org, $"/integrations/{integration.Id}/test"), null, Ct))
            .ReadAsync<Chorus.Features.Integrations.Integrations.TestResult>(HttpStatusCode.OK);
        Assert.False(test.Ok);
        Assert.Equal(IntegrationHealth.Unauthorized, test.Health);
        Assert.Contains("401 Invalid API key", test.Message, StringComparison.Ordinal);

        _crm.Script.Enqueue(DeliveryResult.Unauthorized("The service refused the credentials (401): Invalid API key"));
        await OptOutAsync(org, "+12124560004");
        await OptOutAsync(org, "+12124560005");
        await RunWorkerAsync(app);

        // The first refusal stops the pass: the second item is not sent with credentials known to be bad.
        Assert.Single(_crm.Attempts);
        var view = await (await org.Owner.Client.GetAsync(Url(org, $"/integrations/{integration.Id}"), Ct)).ReadAsync<View>(HttpStatusCode.OK);
        Assert.Equal((IntegrationHealth.Unauthorized, 2, 0), (view.Health, view.Pending, view.Succeeded));
        Assert.Contains("Invalid API key", view.LastError, StringComparison.Ordinal);

        await (await org.Owner.Client.PutAsJsonAsync(Url(org, $"/integrations/{integration.Id}"), new { secrets = new { apiKey = "good" } }, Ct)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await RunWorkerAsync(app);

        Assert.All(await DeliveriesAsync(org, integration.Id), d => Assert.Equal(DeliveryStatus.Succeeded, d.Status));
        Assert.Equal(["bad", "good", "good"], _crm.Attempts.Select(a => a.ApiKey));
    }

    [Theory, BothDatabases]
    public async Task A_refused_item_fails_for_good_and_a_replay_delivers_it_with_the_same_idempotency_key(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var integration = await CreateAsync(org, ScriptedHandler.KindName, secrets: new() { ["apiKey"] = "k" });
        _crm.Script.Enqueue(DeliveryResult.Permanent("The service refused the item (422): unknown person", "422 unknown person"));
        await OptOutAsync(org, "+12124560006");
        await RunWorkerAsync(app);
        var failed = Assert.Single(await DeliveriesAsync(org, integration.Id));
        Assert.Equal(DeliveryStatus.Failed, failed.Status);
        app.Clock.Advance(TimeSpan.FromDays(1));
        await RunWorkerAsync(app);
        Assert.Single(_crm.Attempts);

        var replayed = await (await org.Owner.Client.PostAsync(Url(org, $"/integrations/{integration.Id}/deliveries/{failed.Id}/replay"), null, Ct))
            .ReadAsync<Chorus.Features.Integrations.Integrations.DeliveryView>(HttpStatusCode.Accepted);
        Assert.Equal(DeliveryStatus.Pending, replayed.Status);
        await RunWorkerAsync(app);

        Assert.Equal(DeliveryStatus.Succeeded, Assert.Single(await DeliveriesAsync(org, integration.Id)).Status);
        Assert.Equal(2, _crm.Attempts.Count);
        Assert.Single(_crm.Attempts.Select(a => a.Key).Distinct());
        Assert.Contains("integration.replayed", await VolunteerKit.AuditActionsAsync(app, org));
    }

    [Theory, BothDatabases]
    public async Task Two_workers_at_once_plan_and_deliver_each_item_once(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var integration = await CreateAsync(org, ScriptedHandler.KindName, secrets: new() { ["apiKey"] = "k" });
        for (var i = 0; i < 20; i++)
        {
            await OptOutAsync(org, $"+1212456{i + 100:0000}");
        }

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(() => RunWorkerAsync(app), Ct)));
        await RunWorkerAsync(app);

        var deliveries = await DeliveriesAsync(org, integration.Id);
        Assert.Equal(20, deliveries.Count);
        Assert.All(deliveries, d => Assert.Equal(DeliveryStatus.Succeeded, d.Status));
        Assert.Equal(20, _crm.Attempts.Count);
        Assert.Equal(20, _crm.Attempts.Select(a => a.Key).Distinct().Count());
    }

    [Theory, BothDatabases]
    public async Task A_catch_up_makes_only_the_items_that_are_missing(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        await OptOutAsync(org, "+12124560010");
        await OptOutAsync(org, "+12124560011");
        var integration = await CreateAsync(org, ScriptedHandler.KindName, secrets: new() { ["apiKey"] = "k" });
        await OptOutAsync(org, "+12124560012");
        await RunWorkerAsync(app);
        Assert.Single(_crm.Attempts);

        var tooLate = await org.Owner.Client.PostAsJsonAsync(Url(org, $"/integrations/{integration.Id}/catch-up"), new { since = ChorusApp.Start.AddDays(2) }, Ct);
        await tooLate.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var started = await (await org.Owner.Client.PostAsJsonAsync(Url(org, $"/integrations/{integration.Id}/catch-up"), new { since = ChorusApp.Start.AddHours(-1) }, Ct))
            .ReadAsync<Chorus.Features.Integrations.Integrations.RunStarted>(HttpStatusCode.Accepted);
        await RunWorkerAsync(app);

        var run = await (await org.Owner.Client.GetAsync(Url(org, $"/integrations/{integration.Id}/runs/{started.RunId}"), Ct))
            .ReadAsync<Chorus.Features.Integrations.Integrations.RunView>(HttpStatusCode.OK);
        Assert.Equal((SyncRunStatus.Completed, 2L), (run.Status, run.Items));
        Assert.Equal(3, _crm.Attempts.Count);
        Assert.Equal(3, _crm.Attempts.Select(a => a.Key).Distinct().Count());

        // A second catch-up over the same time finds nothing missing.
        await org.Owner.Client.PostAsJsonAsync(Url(org, $"/integrations/{integration.Id}/catch-up"), new { since = ChorusApp.Start.AddHours(-1) }, Ct);
        await RunWorkerAsync(app);
        Assert.Equal(3, _crm.Attempts.Count);
        Assert.Equal(3, (await DeliveriesAsync(org, integration.Id)).Count);
    }

    [Theory, BothDatabases]
    public async Task Tags_added_and_escalations_become_items_that_carry_their_contact(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var campaignId = await VolunteerKit.ActiveCampaignAsync(app, org, contacts: 1);
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var batch = await VolunteerKit.BatchAsync(texter, org, campaignId);
        var contact = Assert.Single(batch.Contacts);
        await (await VolunteerKit.SendAsync(texter, org, batch.AssignmentId, contact.Id)).ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        var integration = await CreateAsync(org, ScriptedHandler.KindName, secrets: new() { ["apiKey"] = "k" });

        await (await texter.Client.PutAsJsonAsync(Url(org, $"/conversations/{contact.Id}/tags"), new[] { "Volunteer" }, Ct)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await (await texter.Client.PutAsJsonAsync(Url(org, $"/conversations/{contact.Id}/tags"), new[] { "Volunteer", "Donor" }, Ct)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await (await texter.Client.PutAsJsonAsync(Url(org, $"/conversations/{contact.Id}/tags"), new[] { "Donor" }, Ct)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await (await texter.Client.PostAsJsonAsync(Url(org, $"/conversations/{contact.Id}/escalate"), new { reason = "Asks about polling places" }, Ct)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await RunWorkerAsync(app);

        var deliveries = await DeliveriesAsync(org, integration.Id);
        // One item per tag added (none for the removal), one for the escalation; the order they go out in is not promised.
        Assert.Equal(
            [(IntegrationEvent.Tagged, "tag:Donor"), (IntegrationEvent.Tagged, "tag:Volunteer"), (IntegrationEvent.Escalated, "push")],
            deliveries.Select(d => (d.EventKind, Key: d.IdempotencyKey[(d.IdempotencyKey.IndexOf('/', StringComparison.Ordinal) + 1)..]))
                .OrderBy(d => d.EventKind, StringComparer.Ordinal).ThenBy(d => d.Key, StringComparer.Ordinal));
        Assert.All(deliveries, d => Assert.Contains(contact.Id.ToString(), d.Payload, StringComparison.Ordinal));
        Assert.Contains("Asks about polling places", deliveries.Single(d => d.EventKind == IntegrationEvent.Escalated).Payload, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task Another_organizations_integration_is_not_found_and_texters_may_not_manage_integrations(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var other = await app.Seed.OrganizationAsync();
        var theirs = await CreateAsync(other, ScriptedHandler.KindName, secrets: new() { ["apiKey"] = "k" });

        await (await org.Owner.Client.GetAsync(Url(org, $"/integrations/{theirs.Id}"), Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await org.Owner.Client.GetAsync(Url(org, $"/integrations/{theirs.Id}/deliveries"), Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await org.Owner.Client.PostAsync(Url(org, $"/integrations/{theirs.Id}/test"), null, Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await org.Owner.Client.DeleteAsync(Url(org, $"/integrations/{theirs.Id}"), Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty(await (await org.Owner.Client.GetAsync(Url(org, "/integrations"), Ct)).ReadAsync<List<View>>(HttpStatusCode.OK));

        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);
        Assert.Equal(HttpStatusCode.Forbidden, (await texter.Client.GetAsync(Url(org, "/integrations"), Ct)).StatusCode);

        // Removing stops it and forgets the credentials; the log stays.
        await (await other.Owner.Client.DeleteAsync(Url(other, $"/integrations/{theirs.Id}"), Ct)).ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        Assert.Null(await app.WithDbAsync(db => db.Integrations.IgnoreQueryFilters().Where(i => i.Id == theirs.Id).Select(i => i.SecretsProtected).SingleAsync(Ct)));
        await (await other.Owner.Client.GetAsync(Url(other, $"/integrations/{theirs.Id}"), Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }
}
