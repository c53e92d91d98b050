using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Chorus.Features.Audit;
using Chorus.Features.Campaigns;
using Chorus.Features.Contacts;
using Chorus.Features.OptOuts;
using Chorus.Features.Organizations;
using Chorus.Features.Texting;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Chorus.IntegrationTests.Features.Messaging.MessagingKit;

namespace Chorus.IntegrationTests.Features.Texting;

public sealed class AssignmentAndSendTests
{
    private static async Task<(TestOrg Org, Guid CampaignId)> ActiveCampaignAsync(ChorusApp app, int contacts, int batchSize = 100, string zone = "America/New_York")
    {
        var org = await app.Seed.OrganizationAsync("Valley Voters");
        var campaignId = await CampaignAsync(app, org);
        await app.WithDbAsync(async db =>
        {
            var campaign = await db.Campaigns.IgnoreQueryFilters().FirstAsync(c => c.Id == campaignId, Ct);
            campaign.Status = CampaignStatus.Active;
            campaign.BatchSize = batchSize;
            campaign.InitialMessage = "Hi {firstName}, it's {texterFirstName} with {orgName}. Reply STOP to opt out";
            for (var i = 0; i < contacts; i++)
            {
                db.Contacts.Add(new Contact
                {
                    OrganizationId = org.Id,
                    CampaignId = campaignId,
                    PhoneE164 = $"+1212456{i:0000}",
                    FirstName = $"Voter{i}",
                    TimeZones = zone,
                    TimeZoneSource = "Explicit",
                    State = "NY",
                    CreatedUtc = ChorusApp.Start.UtcDateTime,
                });
            }

            return await db.SaveChangesAsync(Ct);
        });
        return (org, campaignId);
    }

    private static Uri Url(TestOrg org, string rest) => new($"/api/v1/orgs/{org.Slug}{rest}", UriKind.Relative);

    [Theory, BothDatabases]
    public async Task Fifty_texters_requesting_at_once_get_disjoint_batches(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var (org, campaignId) = await ActiveCampaignAsync(app, contacts: 300, batchSize: 10);
        var texters = new List<TestUser>();
        for (var i = 0; i < 50; i++)
        {
            texters.Add(await app.Seed.MemberAsync(org, OrgRole.Texter));
        }

        var responses = await Task.WhenAll(texters.Select(t => t.Client.PostAsync(Url(org, $"/campaigns/{campaignId}/assignments"), null, Ct)));
        var batches = new List<Assignments.BatchResponse>();
        foreach (var response in responses.Where(r => r.StatusCode == HttpStatusCode.OK))
        {
            batches.Add(await response.ReadAsync<Assignments.BatchResponse>(HttpStatusCode.OK));
        }

        var handedOut = batches.SelectMany(b => b.Contacts.Select(c => c.Id)).ToList();
        Assert.Equal(handedOut.Count, handedOut.Distinct().Count());
        Assert.Equal(300, handedOut.Count);
        // Only the last contacts may be split between requests racing for them (one takes 9 while another holds the
        // tenth); every batch before the pool runs dry is full.
        Assert.All(batches, b => Assert.InRange(b.Contacts.Count, 1, 10));
        Assert.InRange(batches.Count(b => b.Contacts.Count == 10), 25, 30);
        Assert.Equal(300, await app.Seed.CountAsync(db => db.Contacts.IgnoreQueryFilters().Where(c => c.AssignmentId != null)));
    }

    [Theory, BothDatabases]
    public async Task A_texter_sends_one_contact_its_rendered_message_and_twenty_concurrent_sends_make_one_message(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        // Five contacts, a batch of three: the progress counts the assignment's contacts, not the campaign's.
        var (org, campaignId) = await ActiveCampaignAsync(app, contacts: 5, batchSize: 3);
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var batch = await (await texter.Client.PostAsync(Url(org, $"/campaigns/{campaignId}/assignments"), null, Ct)).ReadAsync<Assignments.BatchResponse>(HttpStatusCode.OK);
        var next = await (await texter.Client.GetAsync(Url(org, $"/assignments/{batch.AssignmentId}/next"), Ct)).ReadAsync<SendInitialMessage.Next>(HttpStatusCode.OK);

        var sends = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            texter.Client.PostAsJsonAsync(Url(org, $"/assignments/{batch.AssignmentId}/contacts/{next.ContactId}/send"), new { }, Ct)));
        var messages = await app.WithDbAsync(db => db.Messages.IgnoreQueryFilters().Where(m => m.ContactId == next.ContactId).ToListAsync(Ct));
        var after = await (await texter.Client.GetAsync(Url(org, $"/assignments/{batch.AssignmentId}/next"), Ct)).ReadAsync<SendInitialMessage.Next>(HttpStatusCode.OK);

        Assert.StartsWith($"Hi {next.FirstName}, it's ", next.Text, StringComparison.Ordinal);
        Assert.EndsWith("with Valley Voters. Reply STOP to opt out", next.Text, StringComparison.Ordinal);
        Assert.True(next.CanSendNow);
        Assert.Single(sends, r => r.StatusCode == HttpStatusCode.Accepted);
        Assert.Equal(19, sends.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        var message = Assert.Single(messages);
        Assert.Equal(next.Text, message.Body);
        Assert.Equal(texter.Id, message.TexterUserId);
        Assert.NotEqual(next.ContactId, after.ContactId);
        Assert.Equal((0, 3, 3), (next.Sent, next.Remaining, next.Total));
        Assert.Equal((1, 2, 3), (after.Sent, after.Remaining, after.Total));
    }

    [Theory, BothDatabases]
    public async Task Forty_contacts_each_sent_twice_at_once_get_one_first_message_each_and_every_repeat_a_409(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var (org, campaignId) = await ActiveCampaignAsync(app, contacts: 40);
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var batch = await (await texter.Client.PostAsync(Url(org, $"/campaigns/{campaignId}/assignments"), null, Ct)).ReadAsync<Assignments.BatchResponse>(HttpStatusCode.OK);

        var sends = await Task.WhenAll(batch.Contacts.Concat(batch.Contacts).Select(c =>
            texter.Client.PostAsJsonAsync(Url(org, $"/assignments/{batch.AssignmentId}/contacts/{c.Id}/send"), new { }, Ct)));
        var messages = await app.WithDbAsync(db => db.Messages.IgnoreQueryFilters().Where(m => m.CampaignId == campaignId).ToListAsync(Ct));
        var messaged = await app.Seed.CountAsync(db => db.Contacts.IgnoreQueryFilters().Where(c => c.CampaignId == campaignId && c.ConversationStatus == ConversationStatus.Messaged));
        var recorded = await app.Seed.CountAsync(db => db.AuditEvents.IgnoreQueryFilters().Where(e => e.OrganizationId == org.Id && e.Action == "message.queued"));

        Assert.Equal(40, batch.Contacts.Count);
        // Anything but 202 or 409 is shown with its body (a full suite run once saw 38 409s, and said no more).
        Assert.Empty(await Task.WhenAll(sends.Where(r => r.StatusCode is not (HttpStatusCode.Accepted or HttpStatusCode.Conflict))
            .Select(async r => $"{(int)r.StatusCode} {await r.Content.ReadAsStringAsync(Ct)}")));
        Assert.Equal(40, sends.Count(r => r.StatusCode == HttpStatusCode.Accepted));
        Assert.Equal(40, sends.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        Assert.Equal(batch.Contacts.Select(c => c.Id).Order(), messages.Select(m => m.ContactId!.Value).Order());
        Assert.Equal(40, messaged);
        Assert.Equal(40, recorded);
    }

    [Theory, BothDatabases]
    public async Task Sends_queued_together_are_saved_together_and_each_gets_its_own_answer(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var (org, campaignId) = await ActiveCampaignAsync(app, contacts: 30);
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var batch = await (await texter.Client.PostAsync(Url(org, $"/campaigns/{campaignId}/assignments"), null, Ct)).ReadAsync<Assignments.BatchResponse>(HttpStatusCode.OK);
        var sends = app.Services.GetRequiredService<InitialSends>();
        var sizes = new ConcurrentBag<int>();
        using var listener = Histograms.Hear(app, InitialSends.BatchSizeInstrument, sizes);
        var actor = new AuditActor(texter.Id, "Texter");
        InitialSends.Send SendTo(Guid contactId, Guid assignmentId) =>
            new(org.Id, org.Slug, assignmentId, campaignId, contactId, "simulator", "Hi there", [], actor, app.Clock.GetUtcNow().UtcDateTime);

        // Queued in this order before any is saved: the first save takes one, the next takes what queued meanwhile. The
        // last two are a repeat of the first contact and a contact that is no longer in this assignment.
        var outcomes = await Task.WhenAll(batch.Contacts.Select(c => SendTo(c.Id, batch.AssignmentId))
            .Append(SendTo(batch.Contacts[0].Id, batch.AssignmentId))
            .Append(SendTo(batch.Contacts[1].Id, Guid.NewGuid()))
            .Select(sends.SaveAsync));
        var messages = await app.WithDbAsync(db => db.Messages.IgnoreQueryFilters().Where(m => m.CampaignId == campaignId).ToListAsync(Ct));

        Assert.All(outcomes[..30], o => Assert.True(o.Succeeded));
        Assert.Equal(FailureKind.Conflict, outcomes[30].Failure?.Kind);
        Assert.Equal(FailureKind.NotFound, outcomes[31].Failure?.Kind);
        Assert.Equal(outcomes[..30].Select(o => o.Value).Order(), messages.Select(m => m.Id).Order());
        Assert.Equal(batch.Contacts.Select(c => c.Id).Order(), messages.Select(m => m.ContactId!.Value).Order());
        Assert.Contains(sizes, size => size > 1);
        Assert.Equal(32, sizes.Sum()); // every Send answered by exactly one transaction
    }

    [Theory, BothDatabases]
    public async Task A_number_that_opted_out_after_its_send_was_checked_is_refused_by_the_save_and_not_texted(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var (org, campaignId) = await ActiveCampaignAsync(app, contacts: 2);
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var batch = await (await texter.Client.PostAsync(Url(org, $"/campaigns/{campaignId}/assignments"), null, Ct)).ReadAsync<Assignments.BatchResponse>(HttpStatusCode.OK);
        var (stopped, other) = (batch.Contacts[0], batch.Contacts[1]);
        // The request saw no opt-out; the voter's STOP commits before the Send's save.
        await app.WithDbAsync(db =>
        {
            db.OptOuts.Add(new OptOut { OrganizationId = org.Id, PhoneE164 = stopped.Phone, Source = "keyword", CreatedUtc = app.Clock.GetUtcNow().UtcDateTime });
            return db.SaveChangesAsync(Ct);
        });
        var sends = app.Services.GetRequiredService<InitialSends>();
        var actor = new AuditActor(texter.Id, "Texter");

        var outcomes = await Task.WhenAll(new[] { stopped, other }.Select(c => sends.SaveAsync(
            new InitialSends.Send(org.Id, org.Slug, batch.AssignmentId, campaignId, c.Id, "simulator", "Hi there", [], actor, app.Clock.GetUtcNow().UtcDateTime))));
        var texted = await app.WithDbAsync(db => db.Messages.IgnoreQueryFilters().Where(m => m.CampaignId == campaignId).Select(m => m.ContactId).ToListAsync(Ct));

        Assert.Equal(FailureKind.Unprocessable, outcomes[0].Failure?.Kind);
        Assert.Contains("opted out", outcomes[0].Failure?.Message, StringComparison.Ordinal);
        Assert.True(outcomes[1].Succeeded);
        Assert.Equal([other.Id], texted);
    }

    [Theory, BothDatabases]
    public async Task Send_refuses_another_texters_contact_an_opted_out_number_and_a_closed_window(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var (org, campaignId) = await ActiveCampaignAsync(app, contacts: 3);
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var other = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var batch = await (await texter.Client.PostAsync(Url(org, $"/campaigns/{campaignId}/assignments"), null, Ct)).ReadAsync<Assignments.BatchResponse>(HttpStatusCode.OK);
        var (first, second, third) = (batch.Contacts[0], batch.Contacts[1], batch.Contacts[2]);
        await app.WithDbAsync(async db =>
        {
            db.OptOuts.Add(new OptOut { OrganizationId = org.Id, PhoneE164 = second.Phone, Source = "manual", CreatedUtc = app.Clock.GetUtcNow().UtcDateTime });
            var honolulu = await db.Contacts.IgnoreQueryFilters().FirstAsync(c => c.Id == third.Id, Ct);
            db.Entry(honolulu).Property(c => c.TimeZones).CurrentValue = "Pacific/Honolulu";
            db.Entry(honolulu).Property(c => c.State).CurrentValue = "HI";
            return await db.SaveChangesAsync(Ct);
        });

        var byOther = await other.Client.PostAsJsonAsync(Url(org, $"/assignments/{batch.AssignmentId}/contacts/{first.Id}/send"), new { }, Ct);
        var optedOut = await texter.Client.PostAsJsonAsync(Url(org, $"/assignments/{batch.AssignmentId}/contacts/{second.Id}/send"), new { }, Ct);
        var night = await texter.Client.PostAsJsonAsync(Url(org, $"/assignments/{batch.AssignmentId}/contacts/{third.Id}/send"), new { }, Ct);
        var edited = await texter.Client.PostAsJsonAsync(Url(org, $"/assignments/{batch.AssignmentId}/contacts/{first.Id}/send"), new { text = "Vote for us!!!" }, Ct);

        await byOther.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await optedOut.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        var closed = await night.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("texting hours", closed.GetProperty("detail").GetString() ?? closed.ToString(), StringComparison.Ordinal);
        await edited.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(0, await app.Seed.CountAsync(db => db.Messages.IgnoreQueryFilters()));
    }

    [Theory, BothDatabases]
    public async Task The_next_contact_is_blocked_by_this_organizations_opt_outs_and_not_by_another_organizations(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var (org, campaignId) = await ActiveCampaignAsync(app, contacts: 2);
        var elsewhere = await app.Seed.OrganizationAsync("Another Campaign");
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var batch = await (await texter.Client.PostAsync(Url(org, $"/campaigns/{campaignId}/assignments"), null, Ct)).ReadAsync<Assignments.BatchResponse>(HttpStatusCode.OK);
        var (first, second) = (batch.Contacts[0], batch.Contacts[1]);
        await app.WithDbAsync(db =>
        {
            var now = app.Clock.GetUtcNow().UtcDateTime;
            db.OptOuts.Add(new OptOut { OrganizationId = elsewhere.Id, PhoneE164 = first.Phone, Source = "manual", CreatedUtc = now });
            db.OptOuts.Add(new OptOut { OrganizationId = org.Id, PhoneE164 = second.Phone, Source = "manual", CreatedUtc = now });
            return db.SaveChangesAsync(Ct);
        });

        var next = await (await texter.Client.GetAsync(Url(org, $"/assignments/{batch.AssignmentId}/next"), Ct)).ReadAsync<SendInitialMessage.Next>(HttpStatusCode.OK);
        var after = await (await texter.Client.GetAsync(Url(org, $"/assignments/{batch.AssignmentId}/next?after={first.Id}"), Ct)).ReadAsync<SendInitialMessage.Next>(HttpStatusCode.OK);

        Assert.Equal(first.Id, next.ContactId);
        Assert.True(next.CanSendNow, next.Reason);
        Assert.Equal(second.Id, after.ContactId);
        Assert.False(after.CanSendNow);
        Assert.Equal(SendInitialMessage.OptedOutReason, after.Reason);
    }

    [Theory, BothDatabases]
    public async Task Send_through_ones_own_assignment_refuses_a_contact_of_another_texters_assignment(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var (org, campaignId) = await ActiveCampaignAsync(app, contacts: 4, batchSize: 2);
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var other = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var mine = await (await texter.Client.PostAsync(Url(org, $"/campaigns/{campaignId}/assignments"), null, Ct)).ReadAsync<Assignments.BatchResponse>(HttpStatusCode.OK);
        var theirs = await (await other.Client.PostAsync(Url(org, $"/campaigns/{campaignId}/assignments"), null, Ct)).ReadAsync<Assignments.BatchResponse>(HttpStatusCode.OK);
        Assert.NotEmpty(theirs.Contacts);

        var response = await texter.Client.PostAsJsonAsync(Url(org, $"/assignments/{mine.AssignmentId}/contacts/{theirs.Contacts[0].Id}/send"), new { }, Ct);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, await app.Seed.CountAsync(db => db.Messages.IgnoreQueryFilters()));
    }

    [Theory, BothDatabases]
    public async Task Send_answers_404_for_a_contact_that_is_not_the_callers_whatever_state_the_campaign_is_in(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var (org, campaignId) = await ActiveCampaignAsync(app, contacts: 4, batchSize: 2);
        var elsewhere = await app.Seed.OrganizationAsync("Another Campaign");
        var foreign = await ContactAsync(app, elsewhere, await CampaignAsync(app, elsewhere), "+12124569999");
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var other = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var mine = await (await texter.Client.PostAsync(Url(org, $"/campaigns/{campaignId}/assignments"), null, Ct)).ReadAsync<Assignments.BatchResponse>(HttpStatusCode.OK);
        var theirs = await (await other.Client.PostAsync(Url(org, $"/campaigns/{campaignId}/assignments"), null, Ct)).ReadAsync<Assignments.BatchResponse>(HttpStatusCode.OK);
        Task<HttpResponseMessage> SendAsync(Guid contactId) =>
            texter.Client.PostAsJsonAsync(Url(org, $"/assignments/{mine.AssignmentId}/contacts/{contactId}/send"), new { }, Ct);
        Task ChangeCampaignAsync(Action<Campaign> change) => app.WithDbAsync(async db =>
        {
            change(await db.Campaigns.IgnoreQueryFilters().FirstAsync(c => c.Id == campaignId, Ct));
            return await db.SaveChangesAsync(Ct);
        });
        // Each state, asked for: the caller's own contact (409, the state), another texter's and another organization's.
        async Task<HttpStatusCode[]> AskAsync() =>
            [(await SendAsync(mine.Contacts[0].Id)).StatusCode, (await SendAsync(theirs.Contacts[0].Id)).StatusCode, (await SendAsync(foreign)).StatusCode];

        await ChangeCampaignAsync(c => c.TrainingText = "Be kind; never argue.");
        var untrained = await AskAsync();
        await ChangeCampaignAsync(c => c.Status = CampaignStatus.Paused);
        var paused = await AskAsync();
        await ChangeCampaignAsync(c => c.Status = CampaignStatus.Archived);
        var ended = await AskAsync();

        HttpStatusCode[] expected = [HttpStatusCode.Conflict, HttpStatusCode.NotFound, HttpStatusCode.NotFound];
        Assert.Equal(expected, untrained);
        Assert.Equal(expected, paused);
        Assert.Equal(expected, ended);
        Assert.Equal(0, await app.Seed.CountAsync(db => db.Messages.IgnoreQueryFilters()));
    }

    [Theory, BothDatabases]
    public async Task Next_answers_204_once_every_contact_of_the_assignment_has_its_first_text(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var (org, campaignId) = await ActiveCampaignAsync(app, contacts: 2);
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var batch = await (await texter.Client.PostAsync(Url(org, $"/campaigns/{campaignId}/assignments"), null, Ct)).ReadAsync<Assignments.BatchResponse>(HttpStatusCode.OK);
        var before = await texter.Client.GetAsync(Url(org, $"/assignments/{batch.AssignmentId}/next"), Ct);
        foreach (var contact in batch.Contacts)
        {
            await (await texter.Client.PostAsJsonAsync(Url(org, $"/assignments/{batch.AssignmentId}/contacts/{contact.Id}/send"), new { }, Ct))
                .ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        }

        var done = await texter.Client.GetAsync(Url(org, $"/assignments/{batch.AssignmentId}/next"), Ct);
        var doneAfter = await texter.Client.GetAsync(Url(org, $"/assignments/{batch.AssignmentId}/next?after={batch.Contacts[0].Id}"), Ct);

        await before.ShouldHaveStatusAsync(HttpStatusCode.OK);
        await done.ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        Assert.Empty(await done.Content.ReadAsByteArrayAsync(Ct));
        await doneAfter.ShouldHaveStatusAsync(HttpStatusCode.NoContent);
    }

    [Theory, BothDatabases]
    public async Task A_batch_holds_only_contacts_whose_window_is_open_and_says_when_the_rest_open(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var (org, campaignId) = await ActiveCampaignAsync(app, contacts: 4, zone: "Pacific/Honolulu");
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);

        var refused = await texter.Client.PostAsync(Url(org, $"/campaigns/{campaignId}/assignments"), null, Ct);
        var assignmentsAfterRefusal = await app.Seed.CountAsync(db => db.Assignments.IgnoreQueryFilters());
        app.Clock.Advance(TimeSpan.FromHours(4));
        var granted = await (await texter.Client.PostAsync(Url(org, $"/campaigns/{campaignId}/assignments"), null, Ct)).ReadAsync<Assignments.BatchResponse>(HttpStatusCode.OK);

        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("2026-11-03 19:00 UTC", problem.ToString(), StringComparison.Ordinal);
        Assert.Equal(0, assignmentsAfterRefusal);
        Assert.Equal(4, granted.Contacts.Count);
    }

    [Theory, BothDatabases]
    public async Task A_texter_with_waiting_replies_must_answer_them_first_when_the_campaign_says_so(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var (org, campaignId) = await ActiveCampaignAsync(app, contacts: 4, batchSize: 2);
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);
        await (await org.Owner.Client.PatchAsJsonAsync(Url(org, $"/campaigns/{campaignId}"), new { requireRepliesBeforeMore = true, maxContactsPerTexter = 3 }, Ct))
            .ShouldHaveStatusAsync(HttpStatusCode.OK);
        var batch = await (await texter.Client.PostAsync(Url(org, $"/campaigns/{campaignId}/assignments"), null, Ct)).ReadAsync<Assignments.BatchResponse>(HttpStatusCode.OK);
        await app.WithDbAsync(db => db.Contacts.IgnoreQueryFilters().Where(c => c.Id == batch.Contacts[0].Id)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ConversationStatus, ConversationStatus.NeedsResponse), Ct));

        var waiting = await texter.Client.PostAsync(Url(org, $"/campaigns/{campaignId}/assignments"), null, Ct);
        await app.WithDbAsync(db => db.Contacts.IgnoreQueryFilters().Where(c => c.Id == batch.Contacts[0].Id)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.ConversationStatus, ConversationStatus.Responded), Ct));
        var capped = await (await texter.Client.PostAsync(Url(org, $"/campaigns/{campaignId}/assignments"), null, Ct)).ReadAsync<Assignments.BatchResponse>(HttpStatusCode.OK);
        var full = await texter.Client.PostAsync(Url(org, $"/campaigns/{campaignId}/assignments"), null, Ct);
        var mine = await (await texter.Client.GetAsync(Url(org, "/assignments"), Ct)).ReadAsync<List<Assignments.Summary>>(HttpStatusCode.OK);

        await waiting.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Single(capped.Contacts);
        await full.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        var summary = Assert.Single(mine);
        Assert.Equal((2, 0, 1, 0), (summary.ToSend, summary.NeedsResponse, summary.Open, summary.Done));
    }

    [Theory, BothDatabases]
    public async Task A_batch_follows_the_campaigns_settings_and_is_refused_with_a_reason_while_admins_hand_out_contacts_or_the_campaign_is_paused(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var (org, campaignId) = await ActiveCampaignAsync(app, contacts: 10);
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var campaign = Url(org, $"/campaigns/{campaignId}");
        var request = Url(org, $"/campaigns/{campaignId}/assignments");

        await (await org.Owner.Client.PatchAsJsonAsync(campaign, new { batchSize = 3, dynamicAssignment = false }, Ct)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        var handedOut = await (await texter.Client.PostAsync(request, null, Ct)).ShouldBeProblemAsync(HttpStatusCode.Conflict);
        await (await org.Owner.Client.PatchAsJsonAsync(campaign, new { dynamicAssignment = true }, Ct)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        var batch = await (await texter.Client.PostAsync(request, null, Ct)).ReadAsync<Assignments.BatchResponse>(HttpStatusCode.OK);
        await app.WithDbAsync(db => db.Campaigns.IgnoreQueryFilters().Where(c => c.Id == campaignId)
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.Status, CampaignStatus.Paused), Ct));
        var paused = await (await texter.Client.PostAsync(request, null, Ct)).ShouldBeProblemAsync(HttpStatusCode.Conflict);

        Assert.Contains("ask them for an assignment", handedOut.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, batch.Contacts.Count);
        Assert.Contains("paused", paused.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(3, await app.WithDbAsync(db => db.Contacts.IgnoreQueryFilters().CountAsync(c => c.CampaignId == campaignId && c.AssignmentId != null, Ct)));
    }
}
