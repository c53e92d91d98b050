using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Chorus.Features.Contacts;
using Chorus.Features.Contacts.Uploads;
using Chorus.Features.Integrations;
using Chorus.Features.Integrations.ActionNetwork;
using Chorus.Features.Organizations;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Features.Texting;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Chorus.IntegrationTests.Features.Integrations.IntegrationKit;
using RunView = Chorus.Features.Integrations.Integrations.RunView;
using View = Chorus.Features.Integrations.Integrations.View;

namespace Chorus.IntegrationTests.Features.Integrations;

public sealed class ActionNetworkTests
{
    private static readonly JsonSerializerOptions WebJson = new(JsonSerializerDefaults.Web);

    private static Task<ChorusApp> StartAsync(DatabaseProvider provider) =>
        ChorusApp.StartAsync(provider, services =>
        {
            services.Configure<ActionNetworkOptions>(o =>
            {
                o.MinRequestInterval = TimeSpan.Zero;
                o.ImportRetryDelay = TimeSpan.Zero;
            });
            services.Configure<ContactsOptions>(o => o.RunImportWorker = false);
        });

    private static Task<View> ConnectAsync(TestOrg org, FakeActionNetwork an, string? key = null, object? settings = null) =>
        CreateAsync(org, ActionNetworkHandler.KindName, settings ?? new { baseUrl = an.BaseUrl }, new() { ["apiKey"] = key ?? an.ApiKey });

    private static async Task<RunView> RunAsync(TestOrg org, Guid integrationId, Guid runId) =>
        await (await org.Owner.Client.GetAsync(Url(org, $"/integrations/{integrationId}/runs/{runId}"), Ct)).ReadAsync<RunView>(HttpStatusCode.OK);

    private static async Task<View> ViewAsync(TestOrg org, Guid integrationId) =>
        await (await org.Owner.Client.GetAsync(Url(org, $"/integrations/{integrationId}"), Ct)).ReadAsync<View>(HttpStatusCode.OK);

    [Theory, BothDatabases]
    public async Task Importing_a_tag_across_three_pages_lands_its_people_in_the_campaign_with_their_action_network_ids(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        await using var an = await FakeActionNetwork.StartAsync();
        an.PageSize = 100;
        var org = await app.Seed.OrganizationAsync();
        var campaignId = await Messaging.MessagingKit.CampaignAsync(app, org);

        // 250 tagged people over three pages: 230 with a phone, 15 without one, 5 whose phone is unsubscribed in Action Network.
        var people = new List<FakeAnPerson>();
        for (var i = 0; i < 250; i++)
        {
            people.Add(i switch
            {
                < 230 => an.AddPerson($"Voter{i}", "Rivera", $"1212456{i:0000}", postalCode: "10001"),
                < 245 => an.AddPerson($"NoPhone{i}", "Ng", phone: null),
                _ => an.AddPerson($"Unsub{i}", "Oh", $"1212457{i:0000}", phoneStatus: "unsubscribed"),
            });
        }

        var tagId = an.AddTag("2026 volunteers", people);
        an.AddTag("Donors", people.Take(3));
        var integration = await ConnectAsync(org, an);

        var tags = await (await org.Owner.Client.GetAsync(Url(org, $"/integrations/{integration.Id}/action-network/tags"), Ct))
            .ReadAsync<List<ActionNetworkModule.Collection>>(HttpStatusCode.OK);
        Assert.Equal(["2026 volunteers", "Donors"], tags.Select(t => t.Name));
        Assert.Equal(tagId, tags[0].Id);

        var started = await (await org.Owner.Client.PostAsJsonAsync(Url(org, $"/integrations/{integration.Id}/action-network/imports"), new { tagId, campaignId }, Ct))
            .ReadAsync<Chorus.Features.Integrations.Integrations.RunStarted>(HttpStatusCode.Accepted);
        await RunWorkerAsync(app);

        var run = await RunAsync(org, integration.Id, started.RunId);
        Assert.Equal(SyncRunStatus.Completed, run.Status);
        Assert.Equal((250L, 245L), (run.Items, run.Succeeded));
        Assert.Contains("5 left out because their phone is unsubscribed", run.Summary, StringComparison.Ordinal);
        Assert.Equal(3, an.Requests.Count(r => r.Path.EndsWith("/taggings", StringComparison.Ordinal)));
        Assert.All(an.Requests, r => Assert.Equal(an.ApiKey, r.Token));
        var importId = Assert.IsType<Guid>(run.ResultId);

        var scopes = app.Services.GetRequiredService<IServiceScopeFactory>();
        Assert.True(await ContactImportWorker.RunOnceAsync(scopes, Ct));
        var import = await app.WithDbAsync(db => db.ContactImports.IgnoreQueryFilters().SingleAsync(i => i.Id == importId, Ct));
        Assert.Equal((ImportStatus.Completed, 230L, 15L, campaignId), (import.Status, import.Imported, import.Invalid, import.CampaignId));

        var contacts = await app.WithDbAsync(db => db.Contacts.IgnoreQueryFilters().Where(c => c.CampaignId == campaignId).ToListAsync(Ct));
        Assert.Equal(230, contacts.Count);
        var expected = people.Take(230).ToDictionary(p => p.Id);
        Assert.All(contacts, c =>
        {
            var person = expected[c.ExternalId];
            Assert.Equal(("+" + person.Phone, person.GivenName, "Rivera", "10001"), (c.PhoneE164, c.FirstName, c.LastName, c.Zip));
        });
    }

    [Theory, BothDatabases]
    public async Task Importing_a_list_follows_its_pages_and_phoneless_people_are_rejected_by_the_importer(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        await using var an = await FakeActionNetwork.StartAsync();
        an.PageSize = 2;
        var org = await app.Seed.OrganizationAsync();
        var campaignId = await Messaging.MessagingKit.CampaignAsync(app, org);
        var listId = an.AddList([an.AddPerson("Ana", "Rivera", "12124560101"), an.AddPerson("Ben", null, null), an.AddPerson("Cy", "Oh", "12124560102", phoneStatus: null)]);
        var integration = await ConnectAsync(org, an);

        var lists = await (await org.Owner.Client.GetAsync(Url(org, $"/integrations/{integration.Id}/action-network/lists"), Ct))
            .ReadAsync<List<ActionNetworkModule.Collection>>(HttpStatusCode.OK);
        Assert.Equal(listId, Assert.Single(lists).Id);
        var started = await (await org.Owner.Client.PostAsJsonAsync(Url(org, $"/integrations/{integration.Id}/action-network/imports"), new { listId, campaignId }, Ct))
            .ReadAsync<Chorus.Features.Integrations.Integrations.RunStarted>(HttpStatusCode.Accepted);
        await RunWorkerAsync(app);
        var run = await RunAsync(org, integration.Id, started.RunId);
        Assert.Equal((SyncRunStatus.Completed, 3L), (run.Status, run.Items));
        Assert.Equal(2, an.Requests.Count(r => r.Path.EndsWith("/items", StringComparison.Ordinal)));

        Assert.True(await ContactImportWorker.RunOnceAsync(app.Services.GetRequiredService<IServiceScopeFactory>(), Ct));
        var import = await app.WithDbAsync(db => db.ContactImports.IgnoreQueryFilters().SingleAsync(i => i.Id == run.ResultId, Ct));
        Assert.Equal((2L, 1L), (import.Imported, import.Invalid));
        Assert.Equal(["Ana", "Cy"], await app.WithDbAsync(db => db.Contacts.IgnoreQueryFilters().Where(c => c.CampaignId == campaignId).OrderBy(c => c.FirstName).Select(c => c.FirstName).ToListAsync(Ct)));
    }

    [Theory, BothDatabases]
    public async Task A_tag_that_does_not_exist_in_action_network_fails_with_a_clear_message_and_creates_nobody(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        await using var an = await FakeActionNetwork.StartAsync();
        var org = await app.Seed.OrganizationAsync();
        var campaignId = await VolunteerKit.ActiveCampaignAsync(app, org, contacts: 1);
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var batch = await VolunteerKit.BatchAsync(texter, org, campaignId);
        var contact = Assert.Single(batch.Contacts);
        await (await VolunteerKit.SendAsync(texter, org, batch.AssignmentId, contact.Id)).ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        var integration = await ConnectAsync(org, an);

        await (await texter.Client.PutAsJsonAsync(Url(org, $"/conversations/{contact.Id}/tags"), new[] { "Ghost" }, Ct)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await RunWorkerAsync(app);

        var failed = Assert.Single(await DeliveriesAsync(org, integration.Id));
        Assert.Equal(DeliveryStatus.Failed, failed.Status);
        Assert.Contains("Action Network has no tag named 'Ghost'", failed.LastError, StringComparison.Ordinal);
        Assert.Empty(an.Signups);
        Assert.Empty(an.PostedTaggings);
    }

    [Theory, BothDatabases]
    public async Task A_tag_added_in_Chorus_is_posted_once_as_a_tagging_of_the_person_with_that_id(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        await using var an = await FakeActionNetwork.StartAsync();
        var org = await app.Seed.OrganizationAsync();
        var campaignId = await VolunteerKit.ActiveCampaignAsync(app, org, contacts: 1);
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var batch = await VolunteerKit.BatchAsync(texter, org, campaignId);
        var contact = Assert.Single(batch.Contacts);
        await (await VolunteerKit.SendAsync(texter, org, batch.AssignmentId, contact.Id)).ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        var person = an.AddPerson("Voter0", null, "12124560000");
        await app.WithDbAsync(db => db.Contacts.IgnoreQueryFilters().Where(c => c.Id == contact.Id).ExecuteUpdateAsync(u => u.SetProperty(c => c.ExternalId, person.Id), Ct));
        var prospects = an.AddTag("Volunteer prospect");
        var integration = await ConnectAsync(org, an, settings: new { baseUrl = an.BaseUrl, tags = new Dictionary<string, string?> { ["Volunteer"] = "Volunteer prospect", ["Internal"] = null } });

        await (await texter.Client.PutAsJsonAsync(Url(org, $"/conversations/{contact.Id}/tags"), new[] { "Volunteer", "Internal" }, Ct)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await RunWorkerAsync(app);
        app.Clock.Advance(TimeSpan.FromHours(1));
        await RunWorkerAsync(app);

        Assert.Equal([(prospects, person.Id)], an.PostedTaggings);
        Assert.Empty(an.Signups); // the contact's external id is the person: no lookup by phone
        var delivery = Assert.Single(await DeliveriesAsync(org, integration.Id));
        Assert.Equal((DeliveryStatus.Succeeded, 1), (delivery.Status, delivery.Attempts));
        Assert.Contains(person.Id, delivery.Response, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task An_opt_out_marks_the_phone_unsubscribed_through_the_signup_helper_and_a_start_changes_nothing_by_default(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        await using var an = await FakeActionNetwork.StartAsync();
        var org = await app.Seed.OrganizationAsync();
        var campaignId = await Messaging.MessagingKit.CampaignAsync(app, org);
        await Messaging.MessagingKit.ContactAsync(app, org, campaignId, "+12124560042");
        var person = an.AddPerson("Ana", "Rivera", "12124560042");
        var integration = await ConnectAsync(org, an);

        await OptOutAsync(org, "+12124560042");
        await RunWorkerAsync(app);
        await (await org.Owner.Client.DeleteAsync(Url(org, "/opt-outs/+12124560042"), Ct)).ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        await RunWorkerAsync(app);

        var signup = Assert.Single(an.Signups);
        var phone = Assert.Single(signup["person"]!["phone_numbers"]!.AsArray())!;
        Assert.Equal(("12124560042", "unsubscribed", "Mobile"), (phone["number"]!.GetValue<string>(), phone["status"]!.GetValue<string>(), phone["number_type"]!.GetValue<string>()));
        Assert.Equal("Ana", signup["person"]!["given_name"]!.GetValue<string>());
        Assert.Null(signup["person"]!["email_addresses"]);
        Assert.Equal("unsubscribed", an.Person(person.Id)!.PhoneStatus);
        var delivery = Assert.Single(await DeliveriesAsync(org, integration.Id));
        Assert.Equal((IntegrationEvent.OptedOut, DeliveryStatus.Succeeded), (delivery.EventKind, delivery.Status));
    }

    [Theory, BothDatabases]
    public async Task A_wrong_key_marks_the_integration_unauthorized_with_action_networks_message_and_the_right_one_delivers(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        await using var an = await FakeActionNetwork.StartAsync();
        var org = await app.Seed.OrganizationAsync();
        var campaignId = await Messaging.MessagingKit.CampaignAsync(app, org);
        var tagId = an.AddTag("Volunteers", [an.AddPerson("Ana", "Rivera", "12124560007")]);
        var integration = await ConnectAsync(org, an, key: "wrong-key");

        var test = await (await org.Owner.Client.PostAsync(Url(org, $"/integrations/{integration.Id}/test"), null, Ct))
            .ReadAsync<Chorus.Features.Integrations.Integrations.TestResult>(HttpStatusCode.OK);
        Assert.False(test.Ok);
        Assert.Equal(IntegrationHealth.Unauthorized, test.Health);
        Assert.Contains(FakeActionNetwork.InvalidKeyMessage, test.Message, StringComparison.Ordinal);

        // An import with the wrong key fails and imports nobody.
        var started = await (await org.Owner.Client.PostAsJsonAsync(Url(org, $"/integrations/{integration.Id}/action-network/imports"), new { tagId, campaignId }, Ct))
            .ReadAsync<Chorus.Features.Integrations.Integrations.RunStarted>(HttpStatusCode.Accepted);
        await OptOutAsync(org, "+12124560008");
        await RunWorkerAsync(app);

        var failedRun = await RunAsync(org, integration.Id, started.RunId);
        Assert.Equal(SyncRunStatus.Failed, failedRun.Status);
        Assert.Contains(FakeActionNetwork.InvalidKeyMessage, failedRun.Summary, StringComparison.Ordinal);
        Assert.Null(failedRun.ResultId);
        Assert.Equal(0, await app.Seed.CountAsync(db => db.ContactImports.IgnoreQueryFilters()));
        var refused = await ViewAsync(org, integration.Id);
        Assert.Equal((IntegrationHealth.Unauthorized, 1, 0), (refused.Health, refused.Pending, refused.Succeeded));
        Assert.Contains(FakeActionNetwork.InvalidKeyMessage, refused.LastError, StringComparison.Ordinal);
        Assert.Empty(an.Signups);

        await (await org.Owner.Client.PutAsJsonAsync(Url(org, $"/integrations/{integration.Id}"), new { secrets = new { apiKey = an.ApiKey } }, Ct)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await RunWorkerAsync(app);

        Assert.Single(an.Signups);
        var fixedView = await ViewAsync(org, integration.Id);
        Assert.Equal((IntegrationHealth.Ok, 0, 1), (fixedView.Health, fixedView.Pending, fixedView.Succeeded));
    }

    [Theory, BothDatabases]
    public async Task A_server_error_is_retried_later_and_the_tagging_is_delivered_once(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        await using var an = await FakeActionNetwork.StartAsync();
        var org = await app.Seed.OrganizationAsync();
        var campaignId = await VolunteerKit.ActiveCampaignAsync(app, org, contacts: 1);
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var batch = await VolunteerKit.BatchAsync(texter, org, campaignId);
        var contact = Assert.Single(batch.Contacts);
        await (await VolunteerKit.SendAsync(texter, org, batch.AssignmentId, contact.Id)).ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        var donors = an.AddTag("Donor");
        var integration = await ConnectAsync(org, an);

        await (await texter.Client.PutAsJsonAsync(Url(org, $"/conversations/{contact.Id}/tags"), new[] { "Donor" }, Ct)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        an.FailNext(HttpStatusCode.InternalServerError, times: 2); // the client's one quick retry gets the second
        await RunWorkerAsync(app);

        var waiting = Assert.Single(await DeliveriesAsync(org, integration.Id));
        Assert.Equal((DeliveryStatus.Pending, 1), (waiting.Status, waiting.Attempts));
        Assert.StartsWith("500", waiting.Response, StringComparison.Ordinal);
        Assert.Equal(IntegrationHealth.Failing, (await ViewAsync(org, integration.Id)).Health);
        Assert.Empty(an.PostedTaggings);

        app.Clock.Advance(IntegrationDispatcher.Backoff(1));
        await RunWorkerAsync(app);
        app.Clock.Advance(TimeSpan.FromHours(1));
        await RunWorkerAsync(app);

        // The contact had no Action Network id: the signup helper found the person by phone (no status sent), then the tagging.
        var delivered = Assert.Single(await DeliveriesAsync(org, integration.Id));
        Assert.Equal((DeliveryStatus.Succeeded, 2), (delivered.Status, delivered.Attempts));
        var signup = Assert.Single(an.Signups);
        Assert.Null(signup["person"]!["phone_numbers"]![0]!["status"]);
        var tagging = Assert.Single(an.PostedTaggings);
        Assert.Equal(donors, tagging.TagId);
        Assert.Equal("12124560000", an.Person(tagging.PersonId)!.Phone);
    }

    [Theory, BothDatabases]
    public async Task Another_organizations_integration_answers_404_and_bad_import_requests_are_refused(DatabaseProvider provider)
    {
        await using var app = await StartAsync(provider);
        await using var an = await FakeActionNetwork.StartAsync();
        var org = await app.Seed.OrganizationAsync();
        var other = await app.Seed.OrganizationAsync();
        var campaignId = await Messaging.MessagingKit.CampaignAsync(app, org);
        var otherCampaignId = await Messaging.MessagingKit.CampaignAsync(app, other);
        var tagId = an.AddTag("Volunteers");
        var integration = await ConnectAsync(org, an);

        var foreignTags = await other.Owner.Client.GetAsync(Url(other, $"/integrations/{integration.Id}/action-network/tags"), Ct);
        await foreignTags.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        var foreignImport = await other.Owner.Client.PostAsJsonAsync(Url(other, $"/integrations/{integration.Id}/action-network/imports"), new { tagId, campaignId = otherCampaignId }, Ct);
        await foreignImport.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        var intoForeignCampaign = await org.Owner.Client.PostAsJsonAsync(Url(org, $"/integrations/{integration.Id}/action-network/imports"), new { tagId, campaignId = otherCampaignId }, Ct);
        await intoForeignCampaign.ShouldBeProblemAsync(HttpStatusCode.NotFound);

        var both = await org.Owner.Client.PostAsJsonAsync(Url(org, $"/integrations/{integration.Id}/action-network/imports"), new { tagId, listId = "x", campaignId }, Ct);
        Assert.Contains("either tagId or listId", (await both.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("detail").GetString(), StringComparison.Ordinal);
        var badId = await org.Owner.Client.PostAsJsonAsync(Url(org, $"/integrations/{integration.Id}/action-network/imports"), new { tagId = "../people", campaignId }, Ct);
        await badId.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var byTexter = await texter.Client.PostAsJsonAsync(Url(org, $"/integrations/{integration.Id}/action-network/imports"), new { tagId, campaignId }, Ct);
        Assert.Equal(HttpStatusCode.Forbidden, byTexter.StatusCode);

        Assert.Equal(0, await app.Seed.CountAsync(db => db.SyncRuns.IgnoreQueryFilters()));
        Assert.Empty(an.Requests);

        var badSettings = await org.Owner.Client.PostAsJsonAsync(Url(org, "/integrations"),
            new { kind = ActionNetworkHandler.KindName, settings = new { baseUrl = "not a url", surveyAnswers = "sometimes" }, secrets = new { } }, Ct);
        var errors = (await badSettings.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        Assert.True(errors.TryGetProperty("settings.baseUrl", out _));
        Assert.True(errors.TryGetProperty("settings.surveyAnswers", out _));
        Assert.True(errors.TryGetProperty("secrets.apiKey", out _));
    }

    [Fact]
    public async Task Survey_answers_and_tags_become_action_network_tags_as_the_settings_say()
    {
        var handler = new ActionNetworkHandler(null!, TimeProvider.System);
        var contact = new EventContact(Guid.NewGuid(), Guid.NewGuid(), "+12124560001", "Ana", "Rivera", "10001", "action_network:3b1e6f2a-2b5f-4a5e-9c3e-1f2d3c4b5a69",
            new Dictionary<string, string>(), null);
        async Task<List<ActionNetworkHandler.Push>> PlanAsync(object settings, string kind, object data)
        {
            var context = new IntegrationContext(new Integration { Kind = ActionNetworkHandler.KindName, Name = "AN" }, JsonSerializer.SerializeToElement(settings), new Dictionary<string, string>());
            var e = new IntegrationEvent(Guid.NewGuid(), kind, 1, ChorusApp.Start.UtcDateTime, "texter", contact.CampaignId, contact.Phone, contact, JsonSerializer.SerializeToElement(data));
            return [.. (await handler.PlanAsync(context, e, null!, Ct)).Select(d => JsonSerializer.Deserialize<ActionNetworkHandler.Push>(d.Payload, WebJson)!)];
        }

        var answer = new { stepId = Guid.NewGuid(), question = "Can you volunteer?", answer = "Yes" };
        var mapped = new { answerTags = new Dictionary<string, Dictionary<string, string>> { ["Can you volunteer?"] = new() { ["Yes"] = "Volunteer prospect" } } };
        Assert.Equal("Volunteer prospect", Assert.Single(await PlanAsync(mapped, IntegrationEvent.SurveyAnswered, answer)).Tag);
        Assert.Empty(await PlanAsync(new { }, IntegrationEvent.SurveyAnswered, answer)); // default "mapped", nothing mapped
        var all = Assert.Single(await PlanAsync(new { surveyAnswers = "all" }, IntegrationEvent.SurveyAnswered, answer));
        Assert.Equal(("Can you volunteer?: Yes", "3b1e6f2a-2b5f-4a5e-9c3e-1f2d3c4b5a69"), (all.Tag, all.PersonId));
        Assert.Empty(await PlanAsync(new { surveyAnswers = "none", answerTags = mapped.answerTags }, IntegrationEvent.SurveyAnswered, answer));

        var tagged = new { added = new[] { "Volunteer", "Internal", "Donor" }, tags = new[] { "Volunteer", "Internal", "Donor" } };
        Assert.Equal(["Volunteer prospect", "Donor"],
            (await PlanAsync(new { tags = new Dictionary<string, string?> { ["volunteer"] = "Volunteer prospect", ["Internal"] = null } }, IntegrationEvent.Tagged, tagged)).Select(p => p.Tag));
        Assert.Equal(["Volunteer prospect"],
            (await PlanAsync(new { onlyMappedTags = true, tags = new Dictionary<string, string?> { ["Volunteer"] = "Volunteer prospect" } }, IntegrationEvent.Tagged, tagged)).Select(p => p.Tag));

        Assert.Empty(await PlanAsync(new { }, IntegrationEvent.OptedIn, new { source = "keyword" }));
        Assert.Equal("subscribed", Assert.Single(await PlanAsync(new { optIns = "subscribe" }, IntegrationEvent.OptedIn, new { source = "keyword" })).Status);
        Assert.Empty(await PlanAsync(new { }, IntegrationEvent.MessageReceived, new { body = "hi" }));
    }
}
