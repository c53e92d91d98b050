using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Chorus.Features.Analytics;
using Chorus.Features.Analytics.Counters;
using Chorus.Features.Campaigns;
using Chorus.Features.Contacts;
using Chorus.Features.Contacts.Uploads;
using Chorus.Features.Messaging;
using Chorus.Features.Organizations;
using Chorus.Features.Texting;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Chorus.IntegrationTests.Features.Messaging.MessagingKit;

namespace Chorus.IntegrationTests.Features.Analytics;

/// <summary>
/// The campaign counters the statistics read (Features/Analytics/Counters) must always equal a count of the rows they
/// stand for, whatever path changed the rows: upload, send, dispatch, callbacks, replies, opt-outs, tags, answers,
/// compaction, retried saves, and campaigns that existed before the counters.
/// </summary>
public sealed class CampaignCounterTests
{
    private static readonly Guid QuestionId = Guid.Parse("0195f0a0-0000-7000-8000-0000000000c1");

    private static Uri Url(TestOrg org, string rest) => new($"/api/v1/orgs/{org.Slug}{rest}", UriKind.Relative);

    private static async Task<Guid> ActiveCampaignAsync(ChorusApp app, TestOrg org)
    {
        var campaignId = await CampaignAsync(app, org);
        await app.WithDbAsync(async db =>
        {
            var campaign = await db.Campaigns.IgnoreQueryFilters().FirstAsync(c => c.Id == campaignId, Ct);
            campaign.Status = CampaignStatus.Active;
            campaign.BatchSize = 6;
            campaign.QuestionJson = new ScriptQuestion(QuestionId, "Will you vote early?", [new ScriptAnswer("Yes", "", null), new ScriptAnswer("No", "", null)]).ToJson();
            return await db.SaveChangesAsync(Ct);
        });
        return campaignId;
    }

    private static async Task ImportAsync(TestOrg org, Guid campaignId, int contacts)
    {
        var csv = new StringBuilder("first_name,cell\n");
        for (var i = 0; i < contacts; i++)
        {
            csv.Append(CultureInfo.InvariantCulture, $"Voter{i},212456{i:D4}\n");
        }

        csv.Append("Again,2124560000\nNobody,not a phone\n");
        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(Encoding.UTF8.GetBytes(csv.ToString()));
        file.Headers.ContentType = new MediaTypeHeaderValue("text/csv");
        form.Add(file, "file", "voters.csv");
        var started = await (await org.Owner.Client.PostAsync(Url(org, $"/campaigns/{campaignId}/imports"), form, Ct)).ReadAsync<StartContactImport.Response>(HttpStatusCode.Accepted);
        for (var attempt = 0; attempt < 1_200; attempt++)
        {
            var import = await (await org.Owner.Client.GetAsync(Url(org, $"/imports/{started.Id}"), Ct)).ReadAsync<GetContactImport.Response>(HttpStatusCode.OK);
            if (import.Status is "completed" or "failed")
            {
                Assert.Equal(("completed", contacts, 1, 1), (import.Status, import.Imported, import.Duplicates, import.Invalid));
                return;
            }

            await Task.Delay(50, Ct);
        }

        Assert.Fail("The import did not finish.");
    }

    internal static async Task AssertCountersEqualRowsAsync(ChorusApp app, Guid campaignId)
    {
        var (counted, recounted) = await app.WithDbAsync(async db =>
            ((await CampaignCounters.ReadAsync(db, [campaignId], Ct))[campaignId], await CampaignCounters.CountFromRowsAsync(db, campaignId, Ct)));
        static List<KeyValuePair<string, CampaignCounters.Value>> NonZero(Dictionary<string, CampaignCounters.Value> counters) =>
            [.. counters.Where(c => c.Value != new CampaignCounters.Value(0, 0)).OrderBy(c => c.Key, StringComparer.Ordinal)];
        Assert.Equal(NonZero(recounted), NonZero(counted));
    }

    [Theory, BothDatabases]
    public async Task Counters_equal_a_count_of_the_rows_after_uploads_sends_callbacks_replies_opt_outs_tags_answers_and_compaction(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var campaignId = await ActiveCampaignAsync(app, org);
        await ImportAsync(org, campaignId, 12);
        var texters = new[] { await app.Seed.MemberAsync(org, OrgRole.Texter), await app.Seed.MemberAsync(org, OrgRole.Texter) };
        var mine = new Dictionary<Guid, TestUser>();
        foreach (var texter in texters)
        {
            var batch = await (await texter.Client.PostAsync(Url(org, $"/campaigns/{campaignId}/assignments"), null, Ct)).ReadAsync<Assignments.BatchResponse>(HttpStatusCode.OK);
            foreach (var contact in batch.Contacts)
            {
                await (await texter.Client.PostAsJsonAsync(Url(org, $"/assignments/{batch.AssignmentId}/contacts/{contact.Id}/send"), new { }, Ct)).ShouldHaveStatusAsync(HttpStatusCode.Accepted);
                mine[contact.Id] = texter;
            }
        }

        await DispatchAsync(app);
        var token = await SimulatorTokenAsync(app, org);
        var initial = (await MessagesAsync(app, org.Id)).Where(m => m.Kind == MessageKind.Initial).OrderBy(m => m.Phone, StringComparer.Ordinal).ToList();
        for (var i = 0; i < initial.Count; i++)
        {
            var status = i % 4 == 3 ? Status(initial[i].ProviderMessageId!, "undelivered", 30003) : Status(initial[i].ProviderMessageId!, i % 4 == 2 ? "sent" : "delivered");
            (await PostWebhookAsync(app, $"/webhooks/simulator/{org.Slug}/status", status, token)).EnsureSuccessStatusCode();
        }

        app.Clock.Advance(TimeSpan.FromMinutes(2));
        for (var i = 0; i < 6; i++)
        {
            var body = i == 3 ? "STOP" : "Yes, count me in";
            (await PostWebhookAsync(app, $"/webhooks/simulator/{org.Slug}/inbound", Inbound($"SMin{i}", initial[i].Phone, initial[i].OurNumber!, body), token)).EnsureSuccessStatusCode();
        }

        await app.WithDbAsync(async db =>
        {
            await CampaignCounters.CompactAsync(db, campaignId, Ct);
            return 0;
        });
        app.Clock.Advance(TimeSpan.FromSeconds(45));
        foreach (var i in new[] { 0, 1, 2 })
        {
            var contactId = initial[i].ContactId!.Value;
            var texter = mine[contactId];
            await (await texter.Client.PostAsJsonAsync(Url(org, $"/conversations/{contactId}/messages"), new { text = "Thank you!" }, Ct)).ShouldHaveStatusAsync(HttpStatusCode.Accepted);
            await (await texter.Client.PostAsJsonAsync(Url(org, $"/conversations/{contactId}/answers"), new { stepId = QuestionId, answer = i == 2 ? "No" : "Yes" }, Ct)).ShouldHaveStatusAsync(HttpStatusCode.OK);
            await (await texter.Client.PutAsJsonAsync(Url(org, $"/conversations/{contactId}/tags"), new[] { "volunteer", i == 0 ? "donor" : "yard-sign" }, Ct)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        }

        var changed = initial[1].ContactId!.Value;
        await (await mine[changed].Client.PostAsJsonAsync(Url(org, $"/conversations/{changed}/answers"), new { stepId = QuestionId, answer = "No" }, Ct)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await (await mine[changed].Client.PutAsJsonAsync(Url(org, $"/conversations/{changed}/tags"), new[] { "volunteer" }, Ct)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await DispatchAsync(app);
        var stats = await (await org.Owner.Client.GetAsync(Url(org, $"/campaigns/{campaignId}/stats"), Ct)).ReadAsync<CampaignStats.Response>(HttpStatusCode.OK);

        await AssertCountersEqualRowsAsync(app, campaignId);
        Assert.Equal((12, 12, 6, 3, 0, 6, 1), (stats.Contacts, stats.Sent, stats.Delivered, stats.Undelivered, stats.Failed, stats.Replied, stats.OptedOut));
        Assert.Equal([new CampaignStats.AnswerCount("Yes", 1), new CampaignStats.AnswerCount("No", 2)], Assert.Single(stats.SurveyAnswers).Answers);
        Assert.Equal([new CampaignStats.TagCount("volunteer", 3), new CampaignStats.TagCount("donor", 1), new CampaignStats.TagCount("yard-sign", 1)], stats.Tags);
        Assert.Equal(3, stats.Texters.Sum(t => t.RepliesHandled));
        Assert.All(stats.Texters.Where(t => t.RepliesHandled > 0), t => Assert.Equal(45.0, t.MedianResponseSeconds));
    }

    [Theory, BothDatabases]
    public async Task A_campaign_from_before_the_counters_is_counted_from_its_rows_on_first_read(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var campaignId = await ActiveCampaignAsync(app, org);
        var contactId = await ContactAsync(app, org, campaignId, "+12124560001");
        await ContactAsync(app, org, campaignId, "+12124560002");
        await QueueAsync(app, org, contactId);
        var before = await (await org.Owner.Client.GetAsync(Url(org, $"/campaigns/{campaignId}/stats"), Ct)).ReadAsync<CampaignStats.Response>(HttpStatusCode.OK);
        await app.WithDbAsync(db => db.CampaignCounters.Where(c => c.CampaignId == campaignId).ExecuteDeleteAsync(Ct));

        var overview = await (await org.Owner.Client.GetAsync(Url(org, "/stats"), Ct)).ReadAsync<OrganizationStats.Response>(HttpStatusCode.OK);
        var after = await (await org.Owner.Client.GetAsync(Url(org, $"/campaigns/{campaignId}/stats"), Ct)).ReadAsync<CampaignStats.Response>(HttpStatusCode.OK);

        Assert.Equal((2, 1), (before.Contacts, before.Pending));
        Assert.Equal((before.Contacts, before.Pending, before.Segments), (after.Contacts, after.Pending, after.Segments));
        Assert.Equal(2, Assert.Single(overview.Campaigns).Contacts);
        Assert.Equal(1, await app.WithDbAsync(db => db.CampaignCounters.CountAsync(c => c.CampaignId == campaignId && c.Key == CounterKeys.Complete, Ct)));
        await AssertCountersEqualRowsAsync(app, campaignId);
    }

    [Theory, BothDatabases]
    public async Task Compaction_leaves_one_row_per_key_with_the_same_sums_and_drops_keys_that_sum_to_nothing(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var campaignId = await ActiveCampaignAsync(app, org);
        for (var i = 0; i < 5; i++)
        {
            await QueueAsync(app, org, await ContactAsync(app, org, campaignId, $"+1212456000{i}"));
        }

        await DispatchAsync(app);
        var before = await app.WithDbAsync(db => db.CampaignCounters.CountAsync(c => c.CampaignId == campaignId, Ct));

        var compacted = await CounterCompactor.RunOnceAsync(app.Services.GetRequiredService<IServiceScopeFactory>(), threshold: 1, Ct);
        var rows = await app.WithDbAsync(db => db.CampaignCounters.Where(c => c.CampaignId == campaignId).ToListAsync(Ct));

        Assert.True(compacted >= 1);
        Assert.True(rows.Count < before, $"{rows.Count} rows after compaction, {before} before");
        Assert.Equal(rows.Count, rows.Select(r => r.Key).Distinct().Count());
        Assert.DoesNotContain(rows, r => r.Count == 0 && r.Segments == 0);
        Assert.DoesNotContain(MessageStatus.Queued, rows.Where(r => r.Key.StartsWith(CounterKeys.MessagePrefix, StringComparison.Ordinal)).Select(r => CounterKeys.ParseMessage(r.Key).Status));
        await AssertCountersEqualRowsAsync(app, campaignId);
    }

    [Fact]
    public async Task Two_compactions_of_one_campaign_at_once_count_every_row_once()
    {
        await using var app = await ChorusApp.StartAsync(DatabaseProvider.Postgres);
        var org = await app.Seed.OrganizationAsync();
        var campaignId = await ActiveCampaignAsync(app, org);
        await app.WithDbAsync(async db =>
        {
            for (var i = 0; i < 2_000; i++)
            {
                CampaignCounters.Add(db, campaignId, i % 2 == 0 ? CounterKeys.Contacts : CounterKeys.Replied, 1);
            }

            return await db.SaveChangesAsync(Ct);
        });

        await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => app.WithDbAsync(async db =>
        {
            await CampaignCounters.CompactAsync(db, campaignId, Ct);
            return 0;
        })));

        var rows = await app.WithDbAsync(db => db.CampaignCounters.Where(c => c.CampaignId == campaignId).ToDictionaryAsync(c => c.Key, c => c.Count, Ct));
        Assert.Equal(new Dictionary<string, long> { [CounterKeys.Complete] = 1, [CounterKeys.Contacts] = 1_000, [CounterKeys.Replied] = 1_000 }, rows);
    }

    [Theory, BothDatabases]
    public async Task A_save_that_fails_and_is_retried_counts_its_changes_once(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var campaignId = await ActiveCampaignAsync(app, org);
        await ContactAsync(app, org, campaignId, "+12124560001");

        await app.WithDbAsync(async db =>
        {
            Contact New(string phone) => new()
            {
                OrganizationId = org.Id,
                CampaignId = campaignId,
                PhoneE164 = phone,
                FirstName = "Ana",
                TimeZones = "America/New_York",
                TimeZoneSource = "Explicit",
                CreatedUtc = ChorusApp.Start.UtcDateTime,
            };
            var duplicate = New("+12124560001");
            db.Contacts.AddRange(New("+12124560002"), duplicate);
            await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync(Ct));
            db.Entry(duplicate).State = EntityState.Detached;
            return await db.SaveChangesAsync(Ct);
        });

        var stats = await (await org.Owner.Client.GetAsync(Url(org, $"/campaigns/{campaignId}/stats"), Ct)).ReadAsync<CampaignStats.Response>(HttpStatusCode.OK);
        Assert.Equal(2, stats.Contacts);
        await AssertCountersEqualRowsAsync(app, campaignId);
    }
}
