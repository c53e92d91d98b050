using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Chorus.Features.Campaigns;
using Chorus.Features.Contacts;
using Chorus.Features.Messaging;
using Chorus.Features.Organizations;
using Chorus.Features.Texting;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Chorus.IntegrationTests.Features.Messaging.MessagingKit;

namespace Chorus.IntegrationTests.Features.Texting;

public sealed class ConversationTests
{
    private static Uri Url(TestOrg org, string rest) => new($"/api/v1/orgs/{org.Slug}{rest}", UriKind.Relative);

    /// <summary>An active campaign with a survey; the texter has sent each of <paramref name="count"/> contacts their first text.</summary>
    private static async Task<(ChorusApp App, TestOrg Org, TestUser Texter, Guid CampaignId, List<Guid> Contacts)> TextedAsync(DatabaseProvider provider, int count = 2)
    {
        var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync("Valley Voters");
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var campaignId = await CampaignAsync(app, org);
        await app.WithDbAsync(async db =>
        {
            var campaign = await db.Campaigns.IgnoreQueryFilters().FirstAsync(c => c.Id == campaignId, Ct);
            campaign.Status = CampaignStatus.Active;
            campaign.QuestionJson = new ScriptQuestion(Guid.NewGuid(), "Will you vote early?",
                [new ScriptAnswer("Yes", "Great, {firstName}! Polls open at 7.", null), new ScriptAnswer("No", "", null)]).ToJson();
            for (var i = 0; i < count; i++)
            {
                db.Contacts.Add(new Contact
                {
                    OrganizationId = org.Id,
                    CampaignId = campaignId,
                    PhoneE164 = $"+1212456{i:0000}",
                    FirstName = $"Voter{i}",
                    TimeZones = "America/New_York",
                    TimeZoneSource = "Explicit",
                    State = "NY",
                    CreatedUtc = ChorusApp.Start.UtcDateTime,
                });
            }

            return await db.SaveChangesAsync(Ct);
        });
        var batch = await (await texter.Client.PostAsync(Url(org, $"/campaigns/{campaignId}/assignments"), null, Ct)).ReadAsync<Assignments.BatchResponse>(HttpStatusCode.OK);
        foreach (var contact in batch.Contacts)
        {
            await (await texter.Client.PostAsJsonAsync(Url(org, $"/assignments/{batch.AssignmentId}/contacts/{contact.Id}/send"), new { }, Ct)).ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        }

        await DispatchAsync(app);
        return (app, org, texter, campaignId, [.. batch.Contacts.Select(c => c.Id)]);
    }

    private static async Task VoterRepliesAsync(ChorusApp app, TestOrg org, string phone, string body, string sid) =>
        (await PostWebhookAsync(app, $"/webhooks/simulator/{org.Slug}/inbound", Inbound(sid, phone, "+12025550100", body), await SimulatorTokenAsync(app, org))).EnsureSuccessStatusCode();

    [Theory, BothDatabases]
    public async Task A_reply_puts_the_conversation_first_in_the_texters_inbox_and_only_theirs(DatabaseProvider provider)
    {
        var (app, org, texter, _, contacts) = await TextedAsync(provider);
        await using var _ = app;
        var other = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var replier = await app.WithDbAsync(db => db.Contacts.IgnoreQueryFilters().FirstAsync(c => c.Id == contacts[1], Ct));
        app.Clock.Advance(TimeSpan.FromMinutes(5));
        await VoterRepliesAsync(app, org, replier.PhoneE164, "<img src=x onerror=alert(1)> who is this", "SMr1");

        var inbox = await (await texter.Client.GetAsync(Url(org, "/conversations"), Ct)).ReadAsync<Conversations.Page>(HttpStatusCode.OK);
        var needs = await (await texter.Client.GetAsync(Url(org, "/conversations?status=needs-response"), Ct)).ReadAsync<Conversations.Page>(HttpStatusCode.OK);
        var thread = await (await texter.Client.GetAsync(Url(org, $"/conversations/{replier.Id}"), Ct)).ReadAsync<Conversations.Thread>(HttpStatusCode.OK);
        var othersInbox = await (await other.Client.GetAsync(Url(org, "/conversations"), Ct)).ReadAsync<Conversations.Page>(HttpStatusCode.OK);
        var othersView = await other.Client.GetAsync(Url(org, $"/conversations/{replier.Id}"), Ct);
        var supervisorView = await org.Owner.Client.GetAsync(Url(org, $"/conversations/{replier.Id}"), Ct);

        Assert.Equal([contacts[1], contacts[0]], inbox.Items.Select(i => i.ContactId));
        Assert.Equal(ConversationStatus.NeedsResponse, Assert.Single(needs.Items).Status);
        Assert.Equal(["Initial", "Incoming"], thread.Messages.Select(m => m.Kind.ToString()));
        Assert.Equal("<img src=x onerror=alert(1)> who is this", thread.Messages[1].Body);
        Assert.Empty(othersInbox.Items);
        await othersView.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await supervisorView.ShouldHaveStatusAsync(HttpStatusCode.OK);
    }

    [Theory, BothDatabases]
    public async Task A_conversation_gives_its_tags_and_the_status_word_the_list_finds_it_by_at_the_top(DatabaseProvider provider)
    {
        var (app, org, texter, _, contacts) = await TextedAsync(provider, count: 4);
        await using var _ = app;
        var phone = await app.WithDbAsync(db => db.Contacts.IgnoreQueryFilters().Where(c => c.Id == contacts[0]).Select(c => c.PhoneE164).FirstAsync(Ct));
        await VoterRepliesAsync(app, org, phone, "Who is this?", "SMtop");
        await (await texter.Client.PutAsJsonAsync(Url(org, $"/conversations/{contacts[0]}/tags"), new[] { "volunteer" }, Ct)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await (await texter.Client.PostAsync(Url(org, $"/conversations/{contacts[2]}/close"), null, Ct)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await (await texter.Client.PostAsJsonAsync(Url(org, $"/conversations/{contacts[3]}/opt-out"), new { }, Ct)).ShouldHaveStatusAsync(HttpStatusCode.OK);

        var threads = new List<JsonElement>();
        foreach (var contact in contacts)
        {
            threads.Add(await (await texter.Client.GetAsync(Url(org, $"/conversations/{contact}"), Ct)).ReadAsync<JsonElement>(HttpStatusCode.OK));
        }

        var found = new List<bool>();
        foreach (var (thread, contact) in threads.Zip(contacts))
        {
            var listed = await (await texter.Client.GetAsync(Url(org, $"/conversations?status={thread.GetProperty("status").GetString()}"), Ct))
                .ReadAsync<Conversations.Page>(HttpStatusCode.OK);
            found.Add(listed.Items.Any(i => i.ContactId == contact));
        }

        Assert.Equal(["needs-response", "open", "closed", "opted-out"], threads.Select(t => t.GetProperty("status").GetString()));
        Assert.All(found, Assert.True);
        Assert.Equal(["volunteer"], threads[0].GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Empty(threads[1].GetProperty("tags").EnumerateArray());
        // The nested contact keeps what it had, for clients that read it there.
        Assert.Equal("NeedsResponse", threads[0].GetProperty("contact").GetProperty("status").GetString());
        Assert.Equal(["volunteer"], threads[0].GetProperty("contact").GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
    }

    [Theory, BothDatabases]
    public async Task At_night_a_texter_may_answer_a_voter_who_wrote_within_the_hour_but_no_one_else(DatabaseProvider provider)
    {
        var (app, org, texter, _, contacts) = await TextedAsync(provider);
        await using var _ = app;
        var phones = await app.WithDbAsync(db => db.Contacts.IgnoreQueryFilters().Where(c => contacts.Contains(c.Id)).ToDictionaryAsync(c => c.Id, c => c.PhoneE164, Ct));
        app.Clock.Advance(TimeSpan.FromHours(10)); // 01:00 in New York
        await VoterRepliesAsync(app, org, phones[contacts[0]], "Sorry, late. Yes I'll vote", "SMlate");
        await VoterRepliesAsync(app, org, phones[contacts[1]], "ok", "SMearlier");
        app.Clock.Advance(TimeSpan.FromMinutes(90));
        await VoterRepliesAsync(app, org, phones[contacts[0]], "Where do I vote?", "SMlate2");

        var recent = await texter.Client.PostAsJsonAsync(Url(org, $"/conversations/{contacts[0]}/messages"), new { text = "PS 41, open 6am-9pm." }, Ct);
        var stale = await texter.Client.PostAsJsonAsync(Url(org, $"/conversations/{contacts[1]}/messages"), new { text = "Thanks!" }, Ct);
        var empty = await texter.Client.PostAsJsonAsync(Url(org, $"/conversations/{contacts[0]}/messages"), new { text = "  " }, Ct);

        await recent.ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        await stale.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        await empty.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Theory, BothDatabases]
    public async Task A_reply_that_is_empty_or_over_the_providers_length_limit_is_refused_and_nothing_is_queued(DatabaseProvider provider)
    {
        var (app, org, texter, _, contacts) = await TextedAsync(provider, count: 1);
        await using var _ = app;
        var longest = new string('a', Campaign.MaxMessageLength);
        string[] texts = ["", "   ", longest + "a", longest];

        var responses = new List<HttpResponseMessage>();
        foreach (var text in texts)
        {
            responses.Add(await texter.Client.PostAsJsonAsync(Url(org, $"/conversations/{contacts[0]}/messages"), new { text }, Ct));
        }

        var replies = await app.WithDbAsync(db => db.Messages.IgnoreQueryFilters().Where(m => m.ContactId == contacts[0] && m.Kind == MessageKind.Reply)
            .Select(m => m.Body).ToListAsync(Ct));

        Assert.Equal([HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.BadRequest, HttpStatusCode.Accepted], responses.Select(r => r.StatusCode));
        foreach (var refused in responses[..3])
        {
            var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
            Assert.Contains(problem.GetProperty("errors").EnumerateObject(), e => e.Name.Equals("text", StringComparison.OrdinalIgnoreCase));
        }

        Assert.Equal([longest], replies);
    }

    [Theory, BothDatabases]
    public async Task A_voter_whose_number_was_reported_unable_to_receive_texts_can_be_answered_once_they_text_in(DatabaseProvider provider)
    {
        var (app, org, texter, _, contacts) = await TextedAsync(provider);
        await using var _ = app;
        var first = await app.WithDbAsync(db => db.Messages.IgnoreQueryFilters().FirstAsync(m => m.ContactId == contacts[0], Ct));
        (await PostWebhookAsync(app, $"/webhooks/simulator/{org.Slug}/status", Status(first.ProviderMessageId!, "undelivered", 30006), await SimulatorTokenAsync(app, org)))
            .EnsureSuccessStatusCode();
        var marked = await (await texter.Client.GetAsync(Url(org, $"/conversations/{contacts[0]}"), Ct)).ReadAsync<Conversations.Thread>(HttpStatusCode.OK);
        var refused = await texter.Client.PostAsJsonAsync(Url(org, $"/conversations/{contacts[0]}/messages"), new { text = "Hello?" }, Ct);

        await VoterRepliesAsync(app, org, first.Phone, "Got your text late, yes I'll vote", "SMlandline");
        var answered = await texter.Client.PostAsJsonAsync(Url(org, $"/conversations/{contacts[0]}/messages"), new { text = "Thank you!" }, Ct);
        var reply = await answered.ReadAsync<Conversations.MessageQueued>(HttpStatusCode.Accepted);
        await DispatchAsync(app);
        var thread = await (await texter.Client.GetAsync(Url(org, $"/conversations/{contacts[0]}"), Ct)).ReadAsync<Conversations.Thread>(HttpStatusCode.OK);
        var audited = await app.WithDbAsync(db => db.AuditEvents.IgnoreQueryFilters().CountAsync(e => e.Action == "contact.number_reachable" && e.Subject == $"contact:{contacts[0]}", Ct));

        Assert.True(marked.Contact.BadNumber);
        await refused.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.False(thread.Contact.BadNumber);
        Assert.NotEqual(MessageStatus.Canceled, (await MessageAsync(app, reply.MessageId)).Status);
        Assert.Equal(1, audited);
    }

    [Theory, BothDatabases]
    public async Task A_survey_answer_is_recorded_once_and_returns_the_scripts_follow_up_for_this_contact(DatabaseProvider provider)
    {
        var (app, org, texter, campaignId, contacts) = await TextedAsync(provider);
        await using var _ = app;
        var stepId = await app.WithDbAsync(async db => ScriptQuestion.FromJson((await db.Campaigns.IgnoreQueryFilters().FirstAsync(c => c.Id == campaignId, Ct)).QuestionJson)!.Id);
        var name = await app.WithDbAsync(db => db.Contacts.IgnoreQueryFilters().Where(c => c.Id == contacts[0]).Select(c => c.FirstName).FirstAsync(Ct));

        var first = await (await texter.Client.PostAsJsonAsync(Url(org, $"/conversations/{contacts[0]}/answers"), new { stepId, answer = "no" }, Ct))
            .ReadAsync<Conversations.AnswerResponse>(HttpStatusCode.OK);
        var changed = await (await texter.Client.PostAsJsonAsync(Url(org, $"/conversations/{contacts[0]}/answers"), new { stepId, answer = "Yes" }, Ct))
            .ReadAsync<Conversations.AnswerResponse>(HttpStatusCode.OK);
        var unknownAnswer = await texter.Client.PostAsJsonAsync(Url(org, $"/conversations/{contacts[0]}/answers"), new { stepId, answer = "Maybe" }, Ct);
        var unknownStep = await texter.Client.PostAsJsonAsync(Url(org, $"/conversations/{contacts[0]}/answers"), new { stepId = Guid.NewGuid(), answer = "Yes" }, Ct);
        var stored = await app.WithDbAsync(db => db.SurveyResponses.IgnoreQueryFilters().Where(r => r.ContactId == contacts[0]).Select(r => r.Answer).ToListAsync(Ct));

        Assert.Equal("No", first.Answer.Value);
        Assert.Null(first.FollowUp);
        Assert.Equal($"Great, {name}! Polls open at 7.", changed.FollowUp);
        await unknownAnswer.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await unknownStep.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(["Yes"], stored);
    }

    [Theory, BothDatabases]
    public async Task Tags_escalation_and_closing_are_recorded_and_filterable(DatabaseProvider provider)
    {
        var (app, org, texter, _, contacts) = await TextedAsync(provider);
        await using var _ = app;

        await (await texter.Client.PutAsJsonAsync(Url(org, $"/conversations/{contacts[0]}/tags"), new[] { "volunteer", "spanish" }, Ct)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await (await texter.Client.PostAsJsonAsync(Url(org, $"/conversations/{contacts[1]}/escalate"), new { reason = "Asks about absentee ballots" }, Ct)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        var tagged = await (await org.Owner.Client.GetAsync(Url(org, "/conversations?tag=spanish"), Ct)).ReadAsync<Conversations.Page>(HttpStatusCode.OK);
        var escalated = await (await org.Owner.Client.GetAsync(Url(org, "/conversations?escalated=true"), Ct)).ReadAsync<Conversations.Page>(HttpStatusCode.OK);
        await (await texter.Client.PostAsync(Url(org, $"/conversations/{contacts[0]}/close"), null, Ct)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        var closed = await (await texter.Client.GetAsync(Url(org, "/conversations?status=closed"), Ct)).ReadAsync<Conversations.Page>(HttpStatusCode.OK);
        var badStatus = await texter.Client.GetAsync(Url(org, "/conversations?status=sleeping"), Ct);

        Assert.Equal(contacts[0], Assert.Single(tagged.Items).ContactId);
        Assert.Equal(contacts[1], Assert.Single(escalated.Items).ContactId);
        Assert.Equal(contacts[0], Assert.Single(closed.Items).ContactId);
        await badStatus.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Theory, BothDatabases]
    public async Task A_supervisor_reassigns_everything_matching_a_filter_round_robin_and_the_new_texters_take_over(DatabaseProvider provider)
    {
        var (app, org, texter, campaignId, contacts) = await TextedAsync(provider, count: 4);
        await using var _ = app;
        var ana = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var ben = await app.Seed.MemberAsync(org, OrgRole.Texter);

        var byTexter = await texter.Client.PostAsJsonAsync(Url(org, "/conversations/reassign"), new { filter = new { campaignId }, texterIds = new[] { ana.Id } }, Ct);
        var result = await (await org.Owner.Client.PostAsJsonAsync(Url(org, "/conversations/reassign"), new { filter = new { campaignId, texterId = texter.Id }, texterIds = new[] { ana.Id, ben.Id } }, Ct))
            .ReadAsync<Reassign.Response>(HttpStatusCode.OK);
        var anas = await (await ana.Client.GetAsync(Url(org, "/conversations"), Ct)).ReadAsync<Conversations.Page>(HttpStatusCode.OK);
        var bens = await (await ben.Client.GetAsync(Url(org, "/conversations"), Ct)).ReadAsync<Conversations.Page>(HttpStatusCode.OK);
        var formerView = await texter.Client.GetAsync(Url(org, $"/conversations/{contacts[0]}"), Ct);
        var reply = await ana.Client.PostAsJsonAsync(Url(org, $"/conversations/{anas.Items[0].ContactId}/messages"), new { text = "Hi, Ana here, taking over." }, Ct);

        await byTexter.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(4, result.Reassigned);
        Assert.Equal(2, anas.Total);
        Assert.Equal(2, bens.Total);
        Assert.Empty(anas.Items.Select(i => i.ContactId).Intersect(bens.Items.Select(i => i.ContactId)));
        await formerView.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await reply.ShouldHaveStatusAsync(HttpStatusCode.Accepted);
    }

    [Theory, BothDatabases]
    public async Task A_texter_opts_a_voter_out_by_hand_with_one_confirmation_and_nothing_more_can_be_sent(DatabaseProvider provider)
    {
        var (app, org, texter, _, contacts) = await TextedAsync(provider);
        await using var _ = app;

        await (await texter.Client.PostAsJsonAsync(Url(org, $"/conversations/{contacts[0]}/opt-out"), new { reason = "Said 'please leave me be'" }, Ct)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await (await texter.Client.PostAsJsonAsync(Url(org, $"/conversations/{contacts[0]}/opt-out"), new { }, Ct)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        var reply = await texter.Client.PostAsJsonAsync(Url(org, $"/conversations/{contacts[0]}/messages"), new { text = "Are you sure?" }, Ct);
        var thread = await (await texter.Client.GetAsync(Url(org, $"/conversations/{contacts[0]}"), Ct)).ReadAsync<Conversations.Thread>(HttpStatusCode.OK);

        await reply.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.True(thread.OptedOut);
        Assert.Equal(ConversationStatus.OptedOut, thread.Contact.Status);
        Assert.Single(thread.Messages, m => m.Kind == MessageKind.OptOutConfirmation);
    }
}
