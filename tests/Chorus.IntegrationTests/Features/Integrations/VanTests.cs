using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using Chorus.Features.Campaigns;
using Chorus.Features.Contacts.Uploads;
using Chorus.Features.Integrations;
using Chorus.Features.Integrations.Van;
using Chorus.Features.Organizations;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Features.Texting;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Chorus.IntegrationTests.Features.Integrations.IntegrationKit;
using IntegrationsApi = Chorus.Features.Integrations.Integrations;

namespace Chorus.IntegrationTests.Features.Integrations;

/// <summary>The NGP VAN integration against <see cref="FakeVan"/> over real HTTP (DOMAIN.md §5.1).</summary>
public sealed class VanTests
{
    private const long VanId = 100_001;

    [Theory, BothDatabases]
    public async Task A_survey_answer_becomes_a_canvass_response_with_the_mapped_ids_and_the_phone_id(DatabaseProvider provider)
    {
        await using var van = await FakeVan.StartAsync();
        await using var app = await StartAsync(provider);
        var scene = await SceneAsync(app, van);
        var integration = await CreateVanAsync(scene, van);

        await AnswerAsync(scene, scene.WithVanId, "Yes");
        await AnswerAsync(scene, scene.WithoutVanId, "Yes"); // no VANID: nothing to write back
        await RunWorkerAsync(app);

        var sent = Assert.Single(van.CanvassResponses);
        Assert.Equal(VanId, sent.VanId);
        var context = sent.Body["canvassContext"]!.AsObject();
        Assert.Equal(FakeVan.SmsTextContactTypeId, (int)context["contactTypeId"]!);
        Assert.Equal(FakeVan.ApiInputTypeId, (int)context["inputTypeId"]!);
        Assert.Equal(scene.PhoneIds[1], (int)context["phoneId"]!); // the person's second phone is the number texted
        Assert.Equal("2026-11-03T15:00:00Z", (string)context["dateCanvassed"]!);
        Assert.Null(sent.Body["resultCodeId"]);
        var response = Assert.Single(sent.Body["responses"]!.AsArray())!.AsObject();
        Assert.Equal(("SurveyResponse", FakeVan.SupportQuestionId, FakeVan.StrongSupportResponseId),
            ((string)response["type"]!, (int)response["surveyQuestionId"]!, (int)response["surveyResponseId"]!));
        Assert.All(van.Requests, r => Assert.Equal((van.ApplicationName, $"{van.ApiKey}|1"), (r.User, r.Password)));

        var delivery = Assert.Single(await DeliveriesAsync(scene.Org, integration.Id));
        Assert.Equal((DeliveryStatus.Succeeded, 1), (delivery.Status, delivery.Attempts));
        Assert.StartsWith("204 No Content", delivery.Response, StringComparison.Ordinal);
        Assert.Contains($"people/{VanId}/canvassResponses", delivery.Response, StringComparison.Ordinal);
        Assert.Contains("\"surveyResponseId\":5011", delivery.Payload, StringComparison.Ordinal);

        // Another answer reuses the lookups and the person's phones (cached), and writes one more response.
        var reads = van.Requests.Count(r => r.Method == "GET");
        await AnswerAsync(scene, scene.WithVanId, "No");
        await RunWorkerAsync(app);
        Assert.Equal(2, van.CanvassResponses.Count);
        Assert.Equal(FakeVan.OpposeResponseId, (int)van.CanvassResponses[1].Body["responses"]![0]!["surveyResponseId"]!);
        Assert.Equal(reads, van.Requests.Count(r => r.Method == "GET"));
    }

    [Theory, BothDatabases]
    public async Task An_opt_out_and_a_wrong_number_send_only_their_result_codes_and_a_mapped_tag_applies_its_activist_code(DatabaseProvider provider)
    {
        await using var van = await FakeVan.StartAsync();
        await using var app = await StartAsync(provider);
        var scene = await SceneAsync(app, van);
        var integration = await CreateVanAsync(scene, van);

        await OptOutAsync(scene.Org, scene.Phone);
        await RunWorkerAsync(app);
        var optOut = Assert.Single(van.CanvassResponses);
        Assert.Equal(FakeVan.DoNotTextResultCodeId, (int)optOut.Body["resultCodeId"]!);
        Assert.Null(optOut.Body["responses"]);
        Assert.Equal(scene.PhoneIds[1], (int)optOut.Body["canvassContext"]!["phoneId"]!);

        await (await scene.Texter.Client.PutAsJsonAsync(Url(scene.Org, $"/conversations/{scene.WithVanId}/tags"), new[] { "wrong NUMBER", "Volunteer", "Donor" }, Ct))
            .ShouldHaveStatusAsync(HttpStatusCode.OK);
        await RunWorkerAsync(app);

        var later = van.CanvassResponses.Skip(1).ToList();
        Assert.Equal(2, later.Count); // "Donor" maps to nothing in VAN
        var wrongNumber = Assert.Single(later, r => r.Body["resultCodeId"] is not null);
        Assert.Equal(FakeVan.WrongNumberResultCodeId, (int)wrongNumber.Body["resultCodeId"]!);
        Assert.Null(wrongNumber.Body["responses"]);
        var activist = Assert.Single(later, r => r.Body["responses"] is not null);
        Assert.Null(activist.Body["resultCodeId"]);
        var code = Assert.Single(activist.Body["responses"]!.AsArray())!.AsObject();
        Assert.Equal(("ActivistCode", "Apply", FakeVan.VolunteerActivistCodeId), ((string)code["type"]!, (string)code["action"]!, (int)code["activistCodeId"]!));
        Assert.All(await DeliveriesAsync(scene.Org, integration.Id), d => Assert.Equal(DeliveryStatus.Succeeded, d.Status));
    }

    [Theory, BothDatabases]
    public async Task Wrong_credentials_mark_the_integration_unauthorized_with_VANs_message_write_nothing_and_fixed_ones_deliver(DatabaseProvider provider)
    {
        await using var van = await FakeVan.StartAsync();
        await using var app = await StartAsync(provider);
        var scene = await SceneAsync(app, van);
        var integration = await CreateVanAsync(scene, van, apiKey: "not-the-key");

        var test = await (await scene.Org.Owner.Client.PostAsync(Url(scene.Org, $"/integrations/{integration.Id}/test"), null, Ct))
            .ReadAsync<IntegrationsApi.TestResult>(HttpStatusCode.OK);
        Assert.False(test.Ok);
        Assert.Equal(IntegrationHealth.Unauthorized, test.Health);
        Assert.Contains("Authorization has been denied for this request.", test.Message, StringComparison.Ordinal);

        await AnswerAsync(scene, scene.WithVanId, "Yes");
        await OptOutAsync(scene.Org, scene.Phone);
        await RunWorkerAsync(app);

        Assert.Empty(van.CanvassResponses);
        Assert.DoesNotContain(van.Requests, r => r.PathAndQuery.Contains("canvassResponses", StringComparison.Ordinal) && r.Method == "POST");
        var view = await (await scene.Org.Owner.Client.GetAsync(Url(scene.Org, $"/integrations/{integration.Id}"), Ct)).ReadAsync<IntegrationsApi.View>(HttpStatusCode.OK);
        Assert.Equal((IntegrationHealth.Unauthorized, 2, 0), (view.Health, view.Pending, view.Succeeded));
        Assert.Contains("VAN refused the credentials (401): Authorization has been denied for this request.", view.LastError, StringComparison.Ordinal);
        var lookups = await scene.Org.Owner.Client.GetAsync(Url(scene.Org, $"/integrations/{integration.Id}/van/lookups"), Ct);
        Assert.Contains("Authorization has been denied", (await lookups.ShouldBeProblemAsync(HttpStatusCode.Conflict)).GetProperty("detail").GetString(), StringComparison.Ordinal);

        await (await scene.Org.Owner.Client.PutAsJsonAsync(Url(scene.Org, $"/integrations/{integration.Id}"), new { secrets = new { apiKey = van.ApiKey } }, Ct))
            .ShouldHaveStatusAsync(HttpStatusCode.OK);
        await RunWorkerAsync(app);

        Assert.Equal(2, van.CanvassResponses.Count);
        Assert.All(await DeliveriesAsync(scene.Org, integration.Id), d => Assert.Equal(DeliveryStatus.Succeeded, d.Status));
        Assert.Equal(IntegrationHealth.Ok, (await (await scene.Org.Owner.Client.GetAsync(Url(scene.Org, $"/integrations/{integration.Id}"), Ct))
            .ReadAsync<IntegrationsApi.View>(HttpStatusCode.OK)).Health);
    }

    [Theory, BothDatabases]
    public async Task A_429_is_retried_after_a_backoff_and_the_response_is_recorded_once(DatabaseProvider provider)
    {
        await using var van = await FakeVan.StartAsync();
        await using var app = await StartAsync(provider);
        var scene = await SceneAsync(app, van);
        var integration = await CreateVanAsync(scene, van);
        van.Fail(429, pathContains: $"/people/{VanId}/canvassResponses");

        await AnswerAsync(scene, scene.WithVanId, "Yes");
        await RunWorkerAsync(app);

        Assert.Empty(van.CanvassResponses);
        var waiting = Assert.Single(await DeliveriesAsync(scene.Org, integration.Id));
        Assert.Equal((DeliveryStatus.Pending, 1), (waiting.Status, waiting.Attempts));
        Assert.StartsWith("429", waiting.Response, StringComparison.Ordinal);
        Assert.Contains("Rate limit exceeded.", waiting.LastError, StringComparison.Ordinal);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime + IntegrationDispatcher.Backoff(1), waiting.NextAttemptUtc);

        app.Clock.Advance(IntegrationDispatcher.Backoff(1));
        await RunWorkerAsync(app);
        await RunWorkerAsync(app);

        Assert.Single(van.CanvassResponses);
        var delivered = Assert.Single(await DeliveriesAsync(scene.Org, integration.Id));
        Assert.Equal((DeliveryStatus.Succeeded, 2), (delivered.Status, delivered.Attempts));
        Assert.StartsWith("204 No Content", delivered.Response, StringComparison.Ordinal);
        Assert.Equal(2, van.Requests.Count(r => r.Method == "POST" && r.PathAndQuery.EndsWith("/canvassResponses", StringComparison.Ordinal)));
    }

    [Theory, BothDatabases]
    public async Task A_delivered_response_is_never_sent_again_by_a_catch_up_and_an_unmapped_answer_fails_until_mapped_and_caught_up(DatabaseProvider provider)
    {
        await using var van = await FakeVan.StartAsync();
        await using var app = await StartAsync(provider);
        var scene = await SceneAsync(app, van);
        var integration = await CreateVanAsync(scene, van, responses: new Dictionary<string, int> { ["Yes"] = FakeVan.StrongSupportResponseId });

        await AnswerAsync(scene, scene.WithVanId, "Yes");
        await AnswerAsync(scene, scene.WithVanId, "No");
        await RunWorkerAsync(app);

        Assert.Single(van.CanvassResponses);
        var deliveries = await DeliveriesAsync(scene.Org, integration.Id);
        var unmapped = Assert.Single(deliveries, d => d.Status == DeliveryStatus.Failed);
        Assert.Contains("The answer 'No'", unmapped.LastError, StringComparison.Ordinal);
        Assert.Contains("has no VAN survey response", unmapped.LastError, StringComparison.Ordinal);

        // The admin maps "No" and catches up: only the missing item is made; the delivered one is not sent again.
        var settings = Settings(van, scene.StepId, new Dictionary<string, int> { ["Yes"] = FakeVan.StrongSupportResponseId, ["No"] = FakeVan.OpposeResponseId });
        await (await scene.Org.Owner.Client.PutAsJsonAsync(Url(scene.Org, $"/integrations/{integration.Id}"), new { settings }, Ct)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        var started = await (await scene.Org.Owner.Client.PostAsJsonAsync(Url(scene.Org, $"/integrations/{integration.Id}/catch-up"), new { since = ChorusApp.Start.AddHours(-1) }, Ct))
            .ReadAsync<IntegrationsApi.RunStarted>(HttpStatusCode.Accepted);
        await RunWorkerAsync(app);
        await RunWorkerAsync(app);

        var run = await (await scene.Org.Owner.Client.GetAsync(Url(scene.Org, $"/integrations/{integration.Id}/runs/{started.RunId}"), Ct))
            .ReadAsync<IntegrationsApi.RunView>(HttpStatusCode.OK);
        Assert.Equal((SyncRunStatus.Completed, 1L), (run.Status, run.Items));
        Assert.Equal([FakeVan.StrongSupportResponseId, FakeVan.OpposeResponseId], van.CanvassResponses.Select(r => (int)r.Body["responses"]![0]!["surveyResponseId"]!));

        // A second catch-up and more passes find nothing to send: what VAN has is not applied twice.
        await scene.Org.Owner.Client.PostAsJsonAsync(Url(scene.Org, $"/integrations/{integration.Id}/catch-up"), new { since = ChorusApp.Start.AddHours(-1) }, Ct);
        app.Clock.Advance(TimeSpan.FromDays(1));
        await RunWorkerAsync(app);
        Assert.Equal(2, van.CanvassResponses.Count);
        var all = await DeliveriesAsync(scene.Org, integration.Id);
        Assert.Equal(3, all.Count);

        // Sending it again is the admin's explicit choice: a replay.
        var first = all.Single(d => d.Status == DeliveryStatus.Succeeded && d.Payload.Contains($"\"surveyResponseId\":{FakeVan.StrongSupportResponseId}", StringComparison.Ordinal));
        await (await scene.Org.Owner.Client.PostAsync(Url(scene.Org, $"/integrations/{integration.Id}/deliveries/{first.Id}/replay"), null, Ct)).ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        await RunWorkerAsync(app);
        Assert.Equal(3, van.CanvassResponses.Count);
    }

    [Theory, BothDatabases]
    public async Task A_VANID_that_VAN_does_not_have_fails_with_a_clear_message_and_a_500_is_tried_again_later(DatabaseProvider provider)
    {
        await using var van = await FakeVan.StartAsync();
        await using var app = await StartAsync(provider);
        var scene = await SceneAsync(app, van);
        await app.WithDbAsync(db => db.Contacts.IgnoreQueryFilters().Where(c => c.Id == scene.WithoutVanId).ExecuteUpdateAsync(s => s.SetProperty(c => c.ExternalId, "999999"), Ct));
        var integration = await CreateVanAsync(scene, van);
        van.Fail(500, pathContains: $"/people/{VanId}");

        await AnswerAsync(scene, scene.WithoutVanId, "Yes");
        await AnswerAsync(scene, scene.WithVanId, "Yes");
        await RunWorkerAsync(app);

        Assert.Empty(van.CanvassResponses);
        var deliveries = await DeliveriesAsync(scene.Org, integration.Id);
        var unknown = Assert.Single(deliveries, d => d.Status == DeliveryStatus.Failed);
        Assert.StartsWith("VAN has no person with VANID 999999", unknown.LastError, StringComparison.Ordinal);
        var busy = Assert.Single(deliveries, d => d.Status == DeliveryStatus.Pending);
        Assert.StartsWith("VAN answered 500 (An unexpected error occurred. (INTERNAL_SERVER_ERROR))", busy.LastError, StringComparison.Ordinal);

        app.Clock.Advance(IntegrationDispatcher.Backoff(1));
        await RunWorkerAsync(app);
        Assert.Equal(VanId, Assert.Single(van.CanvassResponses).VanId);
    }

    [Theory, BothDatabases]
    public async Task A_saved_list_of_20000_people_is_exported_streamed_and_imported_into_the_campaign_with_VANIDs_as_external_ids(DatabaseProvider provider)
    {
        const int rows = 20_000;
        await using var van = await FakeVan.StartAsync();
        await using var app = await StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var campaignId = await Messaging.MessagingKit.CampaignAsync(app, org, "Ward 5");
        van.AddSavedList(77, "Ward 5 targets", rows);
        van.ExportPendingPolls = 2;
        var integration = await CreateAsync(org, VanHandler.KindName, new { mode = "MyVoters", baseUrl = van.BaseUrl },
            new() { ["applicationName"] = van.ApplicationName, ["apiKey"] = van.ApiKey });
        van.Mode = 0;

        var lists = await (await org.Owner.Client.GetAsync(Url(org, $"/integrations/{integration.Id}/van/saved-lists"), Ct)).ReadAsync<List<VanEndpoints.SavedList>>(HttpStatusCode.OK);
        Assert.Equal(new VanEndpoints.SavedList(77, "Ward 5 targets", null, rows), Assert.Single(lists));
        await (await org.Owner.Client.PostAsJsonAsync(Url(org, $"/integrations/{integration.Id}/van/imports"), new { savedListId = 0, campaignId }, Ct))
            .ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        var started = await (await org.Owner.Client.PostAsJsonAsync(Url(org, $"/integrations/{integration.Id}/van/imports"), new { savedListId = 77, campaignId }, Ct))
            .ReadAsync<IntegrationsApi.RunStarted>(HttpStatusCode.Accepted);

        await RunWorkerAsync(app);
        var run = await (await org.Owner.Client.GetAsync(Url(org, $"/integrations/{integration.Id}/runs/{started.RunId}"), Ct))
            .ReadAsync<IntegrationsApi.RunView>(HttpStatusCode.OK);
        Assert.Equal(SyncRunStatus.Completed, run.Status);
        Assert.Equal(VanListImport.Kind, run.Kind);
        var importId = Assert.IsType<Guid>(run.ResultId);
        Assert.Equal(3, van.Requests.Count(r => r.PathAndQuery.StartsWith("/v4/exportJobs/", StringComparison.Ordinal)));
        var download = Assert.Single(van.Requests, r => r.PathAndQuery.StartsWith("/downloads/", StringComparison.Ordinal));
        Assert.Null(download.User); // the file link gets no VAN credentials

        var scopes = app.Services.GetRequiredService<IServiceScopeFactory>();
        while (await ContactImportWorker.RunOnceAsync(scopes, Ct))
        {
        }

        var import = await app.WithDbAsync(db => db.ContactImports.IgnoreQueryFilters().SingleAsync(i => i.Id == importId, Ct));
        Assert.Equal((ImportStatus.Completed, (long)rows, 0L), (import.Status, import.Imported, import.Invalid));
        Assert.Equal(campaignId, import.CampaignId);
        Assert.Equal(rows, await app.Seed.CountAsync(db => db.Contacts.IgnoreQueryFilters().Where(c => c.CampaignId == campaignId)));
        var last = await app.WithDbAsync(db => db.Contacts.IgnoreQueryFilters().SingleAsync(c => c.CampaignId == campaignId && c.ExternalId == $"{100_000 + rows - 1}", Ct));
        Assert.Equal(($"+1{2124560000L + rows - 1}", $"Voter{rows - 1}", $"Last, {rows - 1}", "10001"), (last.PhoneE164, last.FirstName, last.LastName, last.Zip));
        Assert.Equal(0, await app.Seed.CountAsync(db => db.Contacts.IgnoreQueryFilters().Where(c => c.CampaignId == campaignId && c.ExternalId == "")));
    }

    [Theory, BothDatabases]
    public async Task Refused_credentials_fail_a_list_import_with_VANs_message_and_store_nothing(DatabaseProvider provider)
    {
        await using var van = await FakeVan.StartAsync();
        await using var app = await StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var campaignId = await Messaging.MessagingKit.CampaignAsync(app, org);
        van.AddSavedList(78, "Small", 10);
        var integration = await CreateAsync(org, VanHandler.KindName, new { mode = "MyCampaign", baseUrl = van.BaseUrl },
            new() { ["applicationName"] = van.ApplicationName, ["apiKey"] = "wrong" });

        var started = await (await org.Owner.Client.PostAsJsonAsync(Url(org, $"/integrations/{integration.Id}/van/imports"), new { savedListId = 78, campaignId }, Ct))
            .ReadAsync<IntegrationsApi.RunStarted>(HttpStatusCode.Accepted);
        await RunWorkerAsync(app);

        var run = await (await org.Owner.Client.GetAsync(Url(org, $"/integrations/{integration.Id}/runs/{started.RunId}"), Ct))
            .ReadAsync<IntegrationsApi.RunView>(HttpStatusCode.OK);
        Assert.Equal(SyncRunStatus.Failed, run.Status);
        Assert.Contains("Authorization has been denied for this request.", run.Summary, StringComparison.Ordinal);
        Assert.Null(run.ResultId);
        Assert.Equal(0, await app.Seed.CountAsync(db => db.ContactImports.IgnoreQueryFilters()));
        var view = await (await org.Owner.Client.GetAsync(Url(org, $"/integrations/{integration.Id}"), Ct)).ReadAsync<IntegrationsApi.View>(HttpStatusCode.OK);
        Assert.Equal(IntegrationHealth.Unauthorized, view.Health);
    }

    [Theory, BothDatabases]
    public async Task The_lookups_resolve_the_names_and_point_out_mapped_ids_VAN_does_not_have(DatabaseProvider provider)
    {
        await using var van = await FakeVan.StartAsync();
        await using var app = await StartAsync(provider);
        var scene = await SceneAsync(app, van);
        var integration = await CreateVanAsync(scene, van, activistCodes: new Dictionary<string, int> { ["Volunteer"] = FakeVan.VolunteerActivistCodeId, ["Host"] = 999 });

        var lookups = await (await scene.Org.Owner.Client.GetAsync(Url(scene.Org, $"/integrations/{integration.Id}/van/lookups"), Ct))
            .ReadAsync<VanEndpoints.LookupsView>(HttpStatusCode.OK);

        Assert.Equal(new VanEndpoints.ResolvedIds(FakeVan.SmsTextContactTypeId, FakeVan.ApiInputTypeId, FakeVan.DoNotTextResultCodeId, FakeVan.WrongNumberResultCodeId), lookups.Resolved);
        var question = Assert.Single(lookups.SurveyQuestions);
        Assert.Equal((FakeVan.SupportQuestionId, "Candidate Support"), (question.Id, question.Name));
        Assert.Equal([FakeVan.StrongSupportResponseId, FakeVan.OpposeResponseId], question.Responses.Select(r => r.Id));
        Assert.Equal(new VanNamed(FakeVan.VolunteerActivistCodeId, "Volunteer"), Assert.Single(lookups.ActivistCodes));
        Assert.Equal("The tag 'Host' maps to activist code 999, which is not among VAN's active activist codes.", Assert.Single(lookups.Problems));

        // Names that VAN does not have are reported, not guessed.
        var renamed = Settings(van, scene.StepId, null, extra: ("doNotTextResultCode", "Do Not Txt"));
        await (await scene.Org.Owner.Client.PutAsJsonAsync(Url(scene.Org, $"/integrations/{integration.Id}"), new { settings = renamed }, Ct)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        var after = await (await scene.Org.Owner.Client.GetAsync(Url(scene.Org, $"/integrations/{integration.Id}/van/lookups"), Ct))
            .ReadAsync<VanEndpoints.LookupsView>(HttpStatusCode.OK);
        Assert.Null(after.Resolved.DoNotTextResultCodeId);
        Assert.Contains("VAN has no result code named 'Do Not Txt'; set settings.doNotTextResultCode to one of its names.", after.Problems);
    }

    [Theory, BothDatabases]
    public async Task Bad_settings_are_refused_with_their_fields_and_another_organizations_VAN_integration_is_not_found(DatabaseProvider provider)
    {
        await using var van = await FakeVan.StartAsync();
        await using var app = await StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var other = await app.Seed.OrganizationAsync();

        var bad = await org.Owner.Client.PostAsJsonAsync(Url(org, "/integrations"), new
        {
            kind = "van",
            settings = new { mode = "Voters", baseUrl = "ftp://x", surveyQuestions = new Dictionary<string, object> { ["not-a-guid"] = new { surveyQuestionId = 1 } } },
            secrets = new { apiKey = "abc|1" },
        }, Ct);
        var errors = (await bad.ShouldBeProblemAsync(HttpStatusCode.BadRequest)).GetProperty("errors");
        foreach (var field in new[] { "settings.mode", "settings.baseUrl", "settings.surveyQuestions.not-a-guid", "secrets.applicationName", "secrets.apiKey" })
        {
            Assert.True(errors.TryGetProperty(field, out _), $"no error for {field}: {errors}");
        }

        Assert.Equal(0, await app.Seed.CountAsync(db => db.Integrations.IgnoreQueryFilters()));

        var theirs = await CreateAsync(other, VanHandler.KindName, new { mode = "MyCampaign", baseUrl = van.BaseUrl },
            new() { ["applicationName"] = van.ApplicationName, ["apiKey"] = van.ApiKey });
        var theirCampaign = await Messaging.MessagingKit.CampaignAsync(app, other);
        var ours = await CreateAsync(org, VanHandler.KindName, new { mode = "MyCampaign", baseUrl = van.BaseUrl },
            new() { ["applicationName"] = van.ApplicationName, ["apiKey"] = van.ApiKey });
        await (await org.Owner.Client.GetAsync(Url(org, $"/integrations/{theirs.Id}/van/lookups"), Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await org.Owner.Client.GetAsync(Url(org, $"/integrations/{theirs.Id}/van/saved-lists"), Ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await org.Owner.Client.PostAsJsonAsync(Url(org, $"/integrations/{theirs.Id}/van/imports"), new { savedListId = 1, campaignId = theirCampaign }, Ct))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await org.Owner.Client.PostAsJsonAsync(Url(org, $"/integrations/{ours.Id}/van/imports"), new { savedListId = 1, campaignId = theirCampaign }, Ct))
            .ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, await app.Seed.CountAsync(db => db.SyncRuns.IgnoreQueryFilters()));
        Assert.Empty(van.Requests);

        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);
        Assert.Equal(HttpStatusCode.Forbidden, (await texter.Client.GetAsync(Url(org, $"/integrations/{ours.Id}/van/saved-lists"), Ct)).StatusCode);
    }

    [Fact]
    public async Task The_fake_refuses_a_canvass_response_with_both_a_result_code_and_responses_in_VANs_error_shape()
    {
        await using var van = await FakeVan.StartAsync();
        van.AddPerson(VanId, "2124560001");
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, $"{van.BaseUrl}people/{VanId}/canvassResponses")
        {
            Content = JsonContent.Create(new JsonObject
            {
                ["canvassContext"] = new JsonObject { ["contactTypeId"] = FakeVan.SmsTextContactTypeId, ["inputTypeId"] = FakeVan.ApiInputTypeId, ["dateCanvassed"] = "2026-11-03T15:00:00Z" },
                ["resultCodeId"] = FakeVan.DoNotTextResultCodeId,
                ["responses"] = new JsonArray(new JsonObject { ["type"] = "SurveyResponse", ["surveyQuestionId"] = FakeVan.SupportQuestionId, ["surveyResponseId"] = FakeVan.OpposeResponseId }),
            }),
        };
        request.Headers.Authorization = new("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes($"{van.ApplicationName}:{van.ApiKey}|1")));

        using var response = await http.SendAsync(request, Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(Ct);
        Assert.Equal("If responses are specified, resultCodeId must be null. (INVALID_PARAMETER)", VanAnswer.ErrorText(body));
        Assert.Empty(van.CanvassResponses);
    }

    private sealed record Scene(ChorusApp App, TestOrg Org, TestUser Texter, Guid CampaignId, Guid StepId, Guid WithVanId, Guid WithoutVanId, string Phone, List<int> PhoneIds);

    private static Task<ChorusApp> StartAsync(DatabaseProvider provider) =>
        ChorusApp.StartAsync(provider, services =>
        {
            services.Configure<VanOptions>(o => o.ExportPollInterval = TimeSpan.FromMilliseconds(5));
            services.Configure<Chorus.Features.Contacts.ContactsOptions>(o => o.RunImportWorker = false); // the test runs the importer itself
        });

    /// <summary>An active campaign with a survey question; two contacts texted, the first with VANID 100001 (whose second VAN phone is the number texted).</summary>
    private static async Task<Scene> SceneAsync(ChorusApp app, FakeVan van)
    {
        var org = await app.Seed.OrganizationAsync();
        var campaignId = await VolunteerKit.ActiveCampaignAsync(app, org, contacts: 2);
        var stepId = Guid.CreateVersion7();
        var question = new ScriptQuestion(stepId, "Will you support Ana?", [new ScriptAnswer("Yes", "Great!", null), new ScriptAnswer("No", "Thanks anyway.", null)]);
        await app.WithDbAsync(async db =>
        {
            var campaign = await db.Campaigns.IgnoreQueryFilters().FirstAsync(c => c.Id == campaignId, Ct);
            campaign.QuestionJson = question.ToJson();
            await db.SaveChangesAsync(Ct);
            return await db.Contacts.IgnoreQueryFilters().Where(c => c.CampaignId == campaignId && c.PhoneE164 == "+12124560000")
                .ExecuteUpdateAsync(s => s.SetProperty(c => c.ExternalId, VanId.ToString(System.Globalization.CultureInfo.InvariantCulture)), Ct);
        });
        var phoneIds = van.AddPerson(VanId, "7185550100", "2124560000");
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var batch = await VolunteerKit.BatchAsync(texter, org, campaignId);
        foreach (var contact in batch.Contacts)
        {
            await (await VolunteerKit.SendAsync(texter, org, batch.AssignmentId, contact.Id)).ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        }

        var ids = await app.WithDbAsync(db => db.Contacts.IgnoreQueryFilters().Where(c => c.CampaignId == campaignId).OrderBy(c => c.PhoneE164).Select(c => c.Id).ToListAsync(Ct));
        return new Scene(app, org, texter, campaignId, stepId, ids[0], ids[1], "+12124560000", phoneIds);
    }

    private static Dictionary<string, object?> Settings(FakeVan van, Guid stepId, Dictionary<string, int>? responses, Dictionary<string, int>? activistCodes = null, (string Name, string Value)? extra = null)
    {
        var settings = new Dictionary<string, object?>
        {
            ["mode"] = "MyCampaign",
            ["baseUrl"] = van.BaseUrl,
            ["surveyQuestions"] = new Dictionary<string, object>
            {
                [stepId.ToString()] = new
                {
                    surveyQuestionId = FakeVan.SupportQuestionId,
                    responses = responses ?? new Dictionary<string, int> { ["Yes"] = FakeVan.StrongSupportResponseId, ["No"] = FakeVan.OpposeResponseId },
                },
            },
            ["activistCodes"] = activistCodes ?? new Dictionary<string, int> { ["Volunteer"] = FakeVan.VolunteerActivistCodeId },
        };
        if (extra is { } e)
        {
            settings[e.Name] = e.Value;
        }

        return settings;
    }

    private static Task<IntegrationsApi.View> CreateVanAsync(
        Scene scene, FakeVan van, string? apiKey = null, Dictionary<string, int>? responses = null, Dictionary<string, int>? activistCodes = null) =>
        CreateAsync(scene.Org, VanHandler.KindName, Settings(van, scene.StepId, responses, activistCodes),
            new() { ["applicationName"] = van.ApplicationName, ["apiKey"] = apiKey ?? van.ApiKey });

    private static async Task AnswerAsync(Scene scene, Guid contactId, string answer) =>
        await (await scene.Texter.Client.PostAsJsonAsync(Url(scene.Org, $"/conversations/{contactId}/answers"), new { stepId = scene.StepId, answer }, Ct))
            .ShouldHaveStatusAsync(HttpStatusCode.OK);
}
