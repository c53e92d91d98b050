using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Chorus.Features.Campaigns;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Features.Contacts;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Chorus.IntegrationTests.Features.Campaigns.CampaignApi;

namespace Chorus.IntegrationTests.Features.Campaigns;

public sealed class CampaignLifecycleTests
{
    [Theory, BothDatabases]
    public async Task A_campaign_goes_from_draft_to_active_to_paused_and_back_and_is_archived(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var campaign = await CreateAsync(org);
        await (await PutScriptAsync(org, campaign.Id, ValidScript())).ShouldHaveStatusAsync(HttpStatusCode.OK);

        var launched = await (await PostAsync(org, campaign.Id, "launch")).ReadAsync<CampaignView>(HttpStatusCode.OK);
        var paused = await (await PostAsync(org, campaign.Id, "pause")).ReadAsync<CampaignView>(HttpStatusCode.OK);
        var resumed = await (await PostAsync(org, campaign.Id, "resume")).ReadAsync<CampaignView>(HttpStatusCode.OK);
        var archived = await (await PostAsync(org, campaign.Id, "archive")).ReadAsync<CampaignView>(HttpStatusCode.OK);

        Assert.Equal(CampaignStatus.Draft, campaign.Status);
        Assert.Equal(
            [CampaignStatus.Active, CampaignStatus.Paused, CampaignStatus.Active, CampaignStatus.Archived],
            [launched.Status, paused.Status, resumed.Status, archived.Status]);
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, launched.LaunchedUtc);
        var actions = await app.WithDbAsync(db => db.AuditEvents.IgnoreQueryFilters().Where(e => e.OrganizationId == org.Id).Select(e => e.Action).ToListAsync());
        Assert.Superset(new HashSet<string> { "campaign.created", "campaign.script_changed", "campaign.launched", "campaign.paused", "campaign.resumed", "campaign.archived" }, actions.ToHashSet());
    }

    [Theory, BothDatabases]
    public async Task Impossible_transitions_answer_409_and_change_nothing(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var campaign = await CreateAsync(org);

        var pause = await PostAsync(org, campaign.Id, "pause");
        var resume = await PostAsync(org, campaign.Id, "resume");
        await PostAsync(org, campaign.Id, "archive");
        var launchArchived = await PostAsync(org, campaign.Id, "launch");
        var editArchived = await org.Owner.Client.PatchAsJsonAsync(CampaignsUri(org, $"/{campaign.Id}"), new { title = "Again" }, TestContext.Current.CancellationToken);

        await pause.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await resume.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await launchArchived.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await editArchived.ShouldBeProblemAsync(HttpStatusCode.Conflict);
    }

    [Theory, BothDatabases]
    public async Task Launch_lists_every_problem_at_once_and_leaves_the_campaign_a_draft(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var campaign = await CreateAsync(org);
        await (await PutScriptAsync(org, campaign.Id, new { initialMessage = "Hi {firstName}, can we count on your vote?" })).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await app.WithDbAsync(db => db.Organizations.Where(o => o.Id == org.Id).ExecuteUpdateAsync(s => s.SetProperty(o => o.OptOutLanguage, "")));

        var response = await PostAsync(org, campaign.Id, "launch");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        var messages = problem.GetProperty("problems").EnumerateArray().Select(p => p.GetProperty("message").GetString()!).ToList();
        Assert.Contains(messages, m => m.Contains("name the sender", StringComparison.Ordinal));
        Assert.Contains(messages, m => m.Contains("opt-out language", StringComparison.Ordinal));
        Assert.Equal(CampaignStatus.Draft, await app.WithDbAsync(db => db.Campaigns.IgnoreQueryFilters().Where(c => c.Id == campaign.Id).Select(c => c.Status).SingleAsync()));
    }

    [Theory, BothDatabases]
    public async Task A_campaign_without_a_script_cannot_launch(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var campaign = await CreateAsync(org);

        var response = await PostAsync(org, campaign.Id, "launch");

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("no initial message", problem.GetProperty("problems")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task Texting_hours_are_changed_together_and_a_window_that_ends_before_it_starts_is_refused(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var campaign = await CreateAsync(org);

        var good = await (await org.Owner.Client.PatchAsJsonAsync(CampaignsUri(org, $"/{campaign.Id}"),
            new { textingHours = new { start = "10:00", end = "20:00", days = new[] { "Mon", "Tue", "Wed", "Thu", "Fri", "Sat" } } }, TestContext.Current.CancellationToken))
            .ReadAsync<CampaignView>(HttpStatusCode.OK);
        var bad = await org.Owner.Client.PatchAsJsonAsync(CampaignsUri(org, $"/{campaign.Id}"),
            new { textingHours = new { start = "21:00", end = "09:00", days = new[] { "Funday" } } }, TestContext.Current.CancellationToken);

        Assert.Equal(("10:00", "20:00"), (good.TextingHours.Start, good.TextingHours.End));
        Assert.Equal(["Mon", "Tue", "Wed", "Thu", "Fri", "Sat"], good.TextingHours.Days);
        var problem = await bad.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(2, problem.GetProperty("problems").GetArrayLength());
        var stored = await app.WithDbAsync(db => db.Campaigns.IgnoreQueryFilters().SingleAsync(c => c.Id == campaign.Id));
        Assert.Equal(new TimeOnly(10, 0), stored.TextingStart);
    }

    [Theory, BothDatabases]
    public async Task A_copy_is_a_draft_with_the_script_settings_and_canned_responses_and_its_own_step_ids(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var campaign = await CreateAsync(org, "Persuasion");
        await PutScriptAsync(org, campaign.Id, ValidScript());
        await org.Owner.Client.PostAsJsonAsync(CampaignsUri(org, $"/{campaign.Id}/canned-responses"), new { title = "Wrong number", text = "Sorry to bother you!" }, TestContext.Current.CancellationToken);
        await PostAsync(org, campaign.Id, "launch");

        var copy = await (await PostAsync(org, campaign.Id, "copy")).ReadAsync<CampaignView>(HttpStatusCode.Created);

        var original = await (await org.Owner.Client.GetAsync(CampaignsUri(org, $"/{campaign.Id}/script"), TestContext.Current.CancellationToken)).ReadAsync<SaveScript.View>(HttpStatusCode.OK);
        var copied = await (await org.Owner.Client.GetAsync(CampaignsUri(org, $"/{copy.Id}/script"), TestContext.Current.CancellationToken)).ReadAsync<SaveScript.View>(HttpStatusCode.OK);
        var responses = await (await org.Owner.Client.GetAsync(CampaignsUri(org, $"/{copy.Id}/canned-responses"), TestContext.Current.CancellationToken)).ReadAsync<List<CannedResponses.View>>(HttpStatusCode.OK);
        Assert.Equal(("Copy of Persuasion", CampaignStatus.Draft), (copy.Title, copy.Status));
        Assert.Equal(original.InitialMessage, copied.InitialMessage);
        Assert.Equal(original.Question!.Text, copied.Question!.Text);
        Assert.NotEqual(original.Question.Id, copied.Question.Id);
        Assert.Equal("Wrong number", Assert.Single(responses).Title);
    }

    [Theory, BothDatabases]
    public async Task Another_organizations_campaign_is_not_found_through_yours(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var mine = await app.Seed.OrganizationAsync();
        var theirs = await app.Seed.OrganizationAsync();
        var theirCampaign = await CreateAsync(theirs);

        var read = await mine.Owner.Client.GetAsync(CampaignsUri(mine, $"/{theirCampaign.Id}"), TestContext.Current.CancellationToken);
        var launch = await PostAsync(mine, theirCampaign.Id, "archive");
        var list = await (await mine.Owner.Client.GetAsync(CampaignsUri(mine), TestContext.Current.CancellationToken)).ReadAsync<List<ListCampaigns.Item>>(HttpStatusCode.OK);

        await read.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await launch.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.Empty(list);
    }

    [Theory, BothDatabases]
    public async Task The_list_filters_by_status(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var draft = await CreateAsync(org, "Draft one");
        var archived = await CreateAsync(org, "Old one");
        await PostAsync(org, archived.Id, "archive");

        var drafts = await (await org.Owner.Client.GetAsync(CampaignsUri(org, "?status=Draft"), TestContext.Current.CancellationToken)).ReadAsync<List<ListCampaigns.Item>>(HttpStatusCode.OK);

        Assert.Equal(draft.Id, Assert.Single(drafts).Id);
    }

    [Theory, BothDatabases]
    public async Task Organization_messaging_settings_are_validated_and_audited(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var orgUri = new Uri($"/api/v1/orgs/{org.Slug}", UriKind.Relative);

        var good = await org.Owner.Client.PatchAsJsonAsync(orgUri, new { optOutLanguage = "Text STOP to quit", pricePerSegment = 0.0083m, defaultTimeZone = "America/Chicago" }, TestContext.Current.CancellationToken);
        var bad = await org.Owner.Client.PatchAsJsonAsync(orgUri, new { defaultTimeZone = "Mars/Olympus", optOutLanguage = new string('x', 500) }, TestContext.Current.CancellationToken);

        var settings = await good.ReadAsync<JsonElement>(HttpStatusCode.OK);
        Assert.Equal("America/Chicago", settings.GetProperty("defaultTimeZone").GetString());
        Assert.True(bad.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.UnprocessableEntity);
        Assert.Equal(3, await app.Seed.CountAsync(db => db.AuditEvents.IgnoreQueryFilters().Where(e => e.OrganizationId == org.Id && e.Action == "organization.settings_changed")));
    }

    [Theory, BothDatabases]
    public async Task Local_numbers_are_read_as_the_organizations_place_and_only_the_us_or_a_territory_can_be_that_place(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var ct = TestContext.Current.CancellationToken;
        var org = await app.Seed.OrganizationAsync();
        var orgUri = new Uri($"/api/v1/orgs/{org.Slug}", UriKind.Relative);

        var canada = await org.Owner.Client.PatchAsJsonAsync(orgUri, new { defaultRegion = "CA" }, ct);
        var guam = await org.Owner.Client.PatchAsJsonAsync(orgUri, new { defaultRegion = "gu" }, ct);
        var campaignId = (await CreateAsync(org)).Id;
        var import = await ImportKit.ImportAsync(org, campaignId, "first,cell\nAna,555-1234\n");
        var contacts = await app.WithDbAsync(db => db.Contacts.IgnoreQueryFilters().Where(c => c.CampaignId == campaignId).Select(c => c.PhoneE164).ToListAsync(ct));

        await canada.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal("GU", (await guam.ReadAsync<JsonElement>(HttpStatusCode.OK)).GetProperty("defaultRegion").GetString());
        Assert.Equal(("completed", 1), (import.Status, import.Imported));
        Assert.Equal(["+16715551234"], contacts);
        Assert.Equal(1, await app.Seed.CountAsync(db => db.AuditEvents.IgnoreQueryFilters().Where(e => e.OrganizationId == org.Id && e.Action == "organization.settings_changed")));
    }
}
