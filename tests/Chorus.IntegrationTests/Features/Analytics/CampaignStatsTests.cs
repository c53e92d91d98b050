using System.Net;
using System.Net.Http.Json;
using Chorus.Features.Analytics;
using Chorus.Features.Analytics.Counters;
using Chorus.Features.Campaigns;
using Chorus.Features.Contacts;
using Chorus.Features.Messaging;
using Chorus.Features.Organizations;
using Chorus.Features.Texting;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Chorus.IntegrationTests.Features.Messaging.MessagingKit;

namespace Chorus.IntegrationTests.Features.Analytics;

public sealed class CampaignStatsTests
{
    private static Uri Url(TestOrg org, string rest) => new($"/api/v1/orgs/{org.Slug}{rest}", UriKind.Relative);

    private static readonly Guid QuestionId = Guid.Parse("0195f0a0-0000-7000-8000-000000000001");

    /// <summary>
    /// Seven contacts, two texters (A: c0, c1, c5; B: c2, c3, c4): three delivered, one undelivered (30003), one failed
    /// (30007), one still queued; c0 and c1 replied and were answered after 2 and 10 minutes; c4 said STOP and got the
    /// confirmation; c6 was opted out elsewhere and never texted here.
    /// </summary>
    private static async Task<(Guid CampaignId, Guid TexterA, Guid TexterB)> SeedScenarioAsync(ChorusApp app, TestOrg org)
    {
        var a = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var b = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var start = ChorusApp.Start.UtcDateTime;
        var campaignId = await CampaignAsync(app, org);
        await app.WithDbAsync(async db =>
        {
            var campaign = await db.Campaigns.IgnoreQueryFilters().FirstAsync(c => c.Id == campaignId, Ct);
            campaign.Status = CampaignStatus.Active;
            campaign.QuestionJson = new ScriptQuestion(QuestionId, "Will you vote early?", [new ScriptAnswer("Yes", "", null), new ScriptAnswer("No", "", null), new ScriptAnswer("Maybe", "", null)]).ToJson();
            var contacts = Enumerable.Range(0, 7).Select(i => new Contact
            {
                OrganizationId = org.Id,
                CampaignId = campaignId,
                PhoneE164 = $"+1212555{i:0000}",
                TimeZones = "America/New_York",
                TimeZoneSource = "Explicit",
                CreatedUtc = start,
            }).ToList();
            db.Contacts.AddRange(contacts);

            void Out(int c, Guid? texter, MessageKind kind, MessageStatus status, int minute, int segments = 1, int? error = null, string? carrier = null) =>
                db.Messages.Add(new Message
                {
                    OrganizationId = org.Id,
                    CampaignId = campaignId,
                    ContactId = contacts[c].Id,
                    Direction = MessageDirection.Outbound,
                    Kind = kind,
                    Phone = contacts[c].PhoneE164,
                    Body = "Hi",
                    Segments = segments,
                    Provider = "simulator",
                    Status = status,
                    ErrorCode = error,
                    Carrier = carrier,
                    TexterUserId = texter,
                    CreatedUtc = start.AddMinutes(minute),
                    UpdatedUtc = start.AddMinutes(minute),
                    NotBeforeUtc = start,
                });
            // An answered message carries its wait, as the reply endpoint sets it (the real flow is tested below).
            void In(int c, Guid texter, int minute, string body = "Sure", int? answeredAfterMinutes = null) =>
                db.Messages.Add(new Message
                {
                    OrganizationId = org.Id,
                    CampaignId = campaignId,
                    ContactId = contacts[c].Id,
                    Direction = MessageDirection.Inbound,
                    Kind = MessageKind.Incoming,
                    Phone = contacts[c].PhoneE164,
                    Body = body,
                    Segments = 1,
                    Provider = "simulator",
                    Status = MessageStatus.Received,
                    TexterUserId = texter,
                    CreatedUtc = start.AddMinutes(minute),
                    UpdatedUtc = start.AddMinutes(minute),
                    NotBeforeUtc = start,
                    ResponseSeconds = answeredAfterMinutes * 60,
                });

            Out(0, a.Id, MessageKind.Initial, MessageStatus.Delivered, 0, carrier: "Verizon");
            In(0, a.Id, 10, answeredAfterMinutes: 2);
            Out(0, a.Id, MessageKind.Reply, MessageStatus.Delivered, 12, segments: 2);
            Out(1, a.Id, MessageKind.Initial, MessageStatus.Delivered, 1, carrier: "AT&T");
            In(1, a.Id, 20, answeredAfterMinutes: 10);
            Out(1, a.Id, MessageKind.Reply, MessageStatus.Delivered, 30);
            Out(2, b.Id, MessageKind.Initial, MessageStatus.Undelivered, 2, error: 30003, carrier: "Verizon");
            Out(3, b.Id, MessageKind.Initial, MessageStatus.Failed, 3, error: 30007);
            Out(4, b.Id, MessageKind.Initial, MessageStatus.Delivered, 4, carrier: "Verizon");
            In(4, b.Id, 5, "STOP");
            Out(4, null, MessageKind.OptOutConfirmation, MessageStatus.Delivered, 5);
            Out(5, a.Id, MessageKind.Initial, MessageStatus.Queued, 6);

            foreach (var (c, status, inbound, tags) in new[]
            {
                (0, ConversationStatus.Responded, (int?)10, "[\"volunteer\",\"yard-sign\"]"), (1, ConversationStatus.Responded, 20, "[\"volunteer\"]"),
                (2, ConversationStatus.Messaged, null, "[]"), (3, ConversationStatus.Messaged, null, "[]"), (4, ConversationStatus.OptedOut, 5, "[]"),
                (5, ConversationStatus.Messaged, null, "[]"),
            })
            {
                contacts[c].ConversationStatus = status;
                contacts[c].LastMessageUtc = start.AddMinutes(30);
                contacts[c].LastInboundUtc = inbound is { } m ? start.AddMinutes(m) : null;
                contacts[c].Tags = tags;
            }

            contacts[6].ConversationStatus = ConversationStatus.OptedOut;
            foreach (var (c, answer) in new[] { (0, "Yes"), (1, "Yes"), (4, "No") })
            {
                db.SurveyResponses.Add(new SurveyResponse { OrganizationId = org.Id, CampaignId = campaignId, ContactId = contacts[c].Id, StepId = QuestionId, Answer = answer, RecordedUtc = start });
            }

            return await db.SaveChangesAsync(Ct);
        });
        return (campaignId, a.Id, b.Id);
    }

    [Theory, BothDatabases]
    public async Task Stats_equal_the_hand_computed_numbers(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var (campaignId, texterA, texterB) = await SeedScenarioAsync(app, org);
        (await org.Owner.Client.PutAsJsonAsync(Url(org, "/stats/prices"), new { outboundPerSegment = 0.01m, inboundPerSegment = 0.005m }, Ct)).EnsureSuccessStatusCode();
        app.Clock.Advance(TimeSpan.FromMinutes(40));
        var supervisor = await app.Seed.MemberAsync(org, OrgRole.Supervisor);

        var stats = await (await supervisor.Client.GetAsync(Url(org, $"/campaigns/{campaignId}/stats"), Ct)).ReadAsync<CampaignStats.Response>(HttpStatusCode.OK);

        Assert.Equal((7, 5, 3, 1, 1, 1), (stats.Contacts, stats.Sent, stats.Delivered, stats.Undelivered, stats.Failed, stats.Pending));
        Assert.Equal((3, 1), (stats.Replied, stats.OptedOut));
        Assert.Equal(((double?)0.6, (double?)0.6, (double?)0.2), (stats.DeliveryRate, stats.ResponseRate, stats.OptOutRate));

        // Billable out: initials 0, 1, 2 (undelivered is charged), 4; replies 2 + 1; the opt-out confirmation. In: three.
        Assert.Equal((8L, 3L, 11L), (stats.SegmentsOut, stats.SegmentsIn, stats.Segments));
        Assert.Equal(0.095m, stats.EstimatedCost);
        Assert.Equal([new CampaignStats.ErrorCodeCount(30003, 1), new CampaignStats.ErrorCodeCount(30007, 1)], stats.ErrorCodes);
        Assert.Equal([new CampaignStats.CarrierCount("Verizon", 3, 2), new CampaignStats.CarrierCount("AT&T", 1, 1)], stats.Carriers);
        var survey = Assert.Single(stats.SurveyAnswers);
        Assert.Equal((QuestionId, "Will you vote early?"), (survey.StepId, survey.Question));
        Assert.Equal([new CampaignStats.AnswerCount("Yes", 2), new CampaignStats.AnswerCount("No", 1), new CampaignStats.AnswerCount("Maybe", 0)], survey.Answers);
        Assert.Equal([new CampaignStats.TagCount("volunteer", 2), new CampaignStats.TagCount("yard-sign", 1)], stats.Tags);
        Assert.Equal([(texterB, 3, 0, (double?)null), (texterA, 2, 2, 360.0)], stats.Texters.Select(t => (t.TexterId, t.Sent, t.RepliesHandled, t.MedianResponseSeconds)));
        Assert.Equal(CampaignStats.SeriesHours, stats.Hourly.Count);
        Assert.Equal(new CampaignStats.HourPoint(ChorusApp.Start.UtcDateTime, 5, 3, 3), stats.Hourly[^1]);
        Assert.All(stats.Hourly.SkipLast(1), h => Assert.Equal((0, 0, 0), (h.Sent, h.Delivered, h.Replies)));
    }

    [Theory, BothDatabases]
    public async Task The_overview_and_the_cost_report_agree_with_the_campaigns_stats(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var (campaignId, _, _) = await SeedScenarioAsync(app, org);
        var empty = await CampaignAsync(app, org, "Empty");

        var overview = await (await org.Owner.Client.GetAsync(Url(org, "/stats"), Ct)).ReadAsync<OrganizationStats.Response>(HttpStatusCode.OK);
        var costs = await (await org.Owner.Client.GetAsync(Url(org, "/stats/costs"), Ct)).ReadAsync<CostReport.Response>(HttpStatusCode.OK);

        var row = Assert.Single(overview.Campaigns, c => c.CampaignId == campaignId);
        Assert.Equal((7, 5, 3, 3, 1, 11L), (row.Contacts, row.Sent, row.Delivered, row.Replied, row.OptedOut, row.Segments));
        Assert.Equal(((double?)0.6, (double?)0.6, (double?)0.2), (row.DeliveryRate, row.ResponseRate, row.OptOutRate));
        Assert.Equal((0, (double?)null), (overview.Campaigns.Single(c => c.CampaignId == empty).Sent, overview.Campaigns.Single(c => c.CampaignId == empty).ResponseRate));
        Assert.Equal((7, 5, 11L), (overview.Totals.Contacts, overview.Totals.Sent, overview.Totals.Segments));

        // Default prices: $0.0079 out (the organization's setting), $0.0083 in (Twilio's US list price).
        Assert.Equal(new SegmentPrices.Response(0.0079m, AnalyticsSettings.DefaultInboundPricePerSegment), costs.Prices);
        var month = Assert.Single(costs.Rows);
        Assert.Equal((campaignId, "GOTV", 2026, 11, 8L, 3L), (month.CampaignId, month.Campaign, month.Year, month.Month, month.SegmentsOut, month.SegmentsIn));
        Assert.Equal((0.0632m, 0.0249m, 0.0881m), (month.CostOut, month.CostIn, month.Cost));
        Assert.Equal(0.0881m, row.EstimatedCost);
    }

    [Theory, BothDatabases]
    public async Task Stats_follow_a_real_send_its_status_callbacks_and_a_reply(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var campaignId = await CampaignAsync(app, org);
        await app.WithDbAsync(async db =>
        {
            (await db.Campaigns.IgnoreQueryFilters().FirstAsync(c => c.Id == campaignId, Ct)).Status = CampaignStatus.Active;
            return await db.SaveChangesAsync(Ct);
        });
        await ContactAsync(app, org, campaignId, "+12124560001");
        await ContactAsync(app, org, campaignId, "+12124560002");
        var batch = await (await texter.Client.PostAsync(Url(org, $"/campaigns/{campaignId}/assignments"), null, Ct)).ReadAsync<Assignments.BatchResponse>(HttpStatusCode.OK);
        foreach (var contact in batch.Contacts)
        {
            await (await texter.Client.PostAsJsonAsync(Url(org, $"/assignments/{batch.AssignmentId}/contacts/{contact.Id}/send"), new { }, Ct)).ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        }

        var queued = await (await org.Owner.Client.GetAsync(Url(org, $"/campaigns/{campaignId}/stats"), Ct)).ReadAsync<CampaignStats.Response>(HttpStatusCode.OK);
        await DispatchAsync(app);
        var messages = (await MessagesAsync(app, org.Id)).Where(m => m.Kind == MessageKind.Initial).OrderBy(m => m.Phone).ToList();
        var token = await SimulatorTokenAsync(app, org);
        (await PostWebhookAsync(app, $"/webhooks/simulator/{org.Slug}/status", Status(messages[0].ProviderMessageId!, "delivered"), token)).EnsureSuccessStatusCode();
        (await PostWebhookAsync(app, $"/webhooks/simulator/{org.Slug}/status", Status(messages[1].ProviderMessageId!, "undelivered", 30005), token)).EnsureSuccessStatusCode();
        app.Clock.Advance(TimeSpan.FromMinutes(3));
        (await PostWebhookAsync(app, $"/webhooks/simulator/{org.Slug}/inbound", Inbound("SMreply1", "+12124560001", messages[0].OurNumber!, "Yes!"), token)).EnsureSuccessStatusCode();

        var stats = await (await org.Owner.Client.GetAsync(Url(org, $"/campaigns/{campaignId}/stats"), Ct)).ReadAsync<CampaignStats.Response>(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromSeconds(90));
        var replied = batch.Contacts.Single(c => c.Phone == "+12124560001");
        await (await texter.Client.PostAsJsonAsync(Url(org, $"/conversations/{replied.Id}/messages"), new { text = "Thank you!" }, Ct)).ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        await DispatchAsync(app);
        var answered = await (await org.Owner.Client.GetAsync(Url(org, $"/campaigns/{campaignId}/stats"), Ct)).ReadAsync<CampaignStats.Response>(HttpStatusCode.OK);
        var (counted, recounted) = await app.WithDbAsync(async db =>
            ((await CampaignCounters.ReadAsync(db, [campaignId], Ct))[campaignId], await CampaignCounters.CountFromRowsAsync(db, campaignId, Ct)));

        Assert.Equal((2, 0, 2), (queued.Contacts, queued.Sent, queued.Pending));
        Assert.Equal((2, 1, 1, 0, 0), (stats.Sent, stats.Delivered, stats.Undelivered, stats.Failed, stats.Pending));
        Assert.Equal((1, (double?)0.5, (double?)0.5), (stats.Replied, stats.DeliveryRate, stats.ResponseRate));
        Assert.Equal([new CampaignStats.ErrorCodeCount(30005, 1)], stats.ErrorCodes);
        var row = Assert.Single(stats.Texters);
        Assert.Equal((texter.Id, 2, 0, (double?)null), (row.TexterId, row.Sent, row.RepliesHandled, row.MedianResponseSeconds));
        Assert.Equal((2, 1), (stats.Hourly.Sum(h => h.Sent), stats.Hourly.Sum(h => h.Replies)));
        var after = Assert.Single(answered.Texters);
        Assert.Equal((2, 1, (double?)90.0), (after.Sent, after.RepliesHandled, after.MedianResponseSeconds));
        Assert.Equal(recounted.Where(c => c.Value != new CampaignCounters.Value(0, 0)).OrderBy(c => c.Key, StringComparer.Ordinal),
            counted.Where(c => c.Value != new CampaignCounters.Value(0, 0)).OrderBy(c => c.Key, StringComparer.Ordinal));
    }

    [Theory, BothDatabases]
    public async Task An_empty_campaign_has_zeros_and_no_rates(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var campaignId = await CampaignAsync(app, org);

        var stats = await (await org.Owner.Client.GetAsync(Url(org, $"/campaigns/{campaignId}/stats"), Ct)).ReadAsync<CampaignStats.Response>(HttpStatusCode.OK);

        Assert.Equal((0, 0, 0, 0, 0L, 0m), (stats.Contacts, stats.Sent, stats.Replied, stats.OptedOut, stats.Segments, stats.EstimatedCost));
        Assert.Equal(((double?)null, (double?)null, (double?)null), (stats.DeliveryRate, stats.ResponseRate, stats.OptOutRate));
        Assert.Empty(stats.Texters);
        Assert.Empty(stats.SurveyAnswers);
        Assert.All(stats.Hourly, h => Assert.Equal(0, h.Sent));
    }

    [Theory, BothDatabases]
    public async Task Another_organizations_campaign_and_an_unknown_one_are_not_found_and_texters_are_refused(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var other = await app.Seed.OrganizationAsync();
        var theirs = await CampaignAsync(app, other);
        var ours = await CampaignAsync(app, org);
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);
        await app.WithDbAsync(async db =>
        {
            db.Assignments.Add(new Assignment { OrganizationId = org.Id, CampaignId = ours, TexterUserId = texter.Id, CreatedUtc = app.Clock.GetUtcNow().UtcDateTime });
            return await db.SaveChangesAsync(Ct);
        });

        var foreign = await org.Owner.Client.GetAsync(Url(org, $"/campaigns/{theirs}/stats"), Ct);
        var unknown = await org.Owner.Client.GetAsync(Url(org, $"/campaigns/{Guid.NewGuid()}/stats"), Ct);
        var asTexter = await texter.Client.GetAsync(Url(org, $"/campaigns/{ours}/stats"), Ct);
        var overviewAsTexter = await texter.Client.GetAsync(Url(org, "/stats"), Ct);
        var outsider = await other.Owner.Client.GetAsync(Url(org, $"/campaigns/{ours}/stats"), Ct);

        await foreign.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await unknown.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await asTexter.ShouldHaveStatusAsync(HttpStatusCode.Forbidden);
        await overviewAsTexter.ShouldHaveStatusAsync(HttpStatusCode.Forbidden);
        await outsider.ShouldHaveStatusAsync(HttpStatusCode.NotFound);
    }

    [Theory, BothDatabases]
    public async Task Prices_are_changed_by_admins_only_within_bounds_and_on_the_record(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var supervisor = await app.Seed.MemberAsync(org, OrgRole.Supervisor);

        var refused = await supervisor.Client.PutAsJsonAsync(Url(org, "/stats/prices"), new { inboundPerSegment = 0.001m }, Ct);
        var invalid = await org.Owner.Client.PutAsJsonAsync(Url(org, "/stats/prices"), new { outboundPerSegment = 0.02m, inboundPerSegment = 5m }, Ct);
        var unchanged = await (await supervisor.Client.GetAsync(Url(org, "/stats/prices"), Ct)).ReadAsync<SegmentPrices.Response>(HttpStatusCode.OK);
        var changed = await (await org.Owner.Client.PutAsJsonAsync(Url(org, "/stats/prices"), new { outboundPerSegment = 0.02m, inboundPerSegment = 0.001m }, Ct))
            .ReadAsync<SegmentPrices.Response>(HttpStatusCode.OK);
        var audit = await app.WithDbAsync(db => db.AuditEvents.IgnoreQueryFilters().Where(e => e.OrganizationId == org.Id && e.Action != "organization.created")
            .OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync(Ct));

        await refused.ShouldHaveStatusAsync(HttpStatusCode.Forbidden);
        await invalid.ShouldHaveStatusAsync(HttpStatusCode.BadRequest);
        Assert.Equal(new SegmentPrices.Response(0.0079m, 0.0083m), unchanged);
        Assert.Equal(new SegmentPrices.Response(0.02m, 0.001m), changed);
        Assert.Equal(["analytics.prices_changed", "organization.settings_changed"], audit.Where(a => a != "membership.added"));
    }
}
