using System.Net;
using System.Net.Http.Json;
using Chorus.Features.Messaging.Events;
using Chorus.Features.Organizations;
using Chorus.Features.Texting;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Chorus.IntegrationTests.Features.Messaging.MessagingKit;
using static Chorus.IntegrationTests.Features.Texting.VolunteerKit;

namespace Chorus.IntegrationTests.Features.Texting;

public sealed class HelpChatTests
{
    [Theory, BothDatabases]
    public async Task A_texters_question_reaches_supervisors_live_and_the_answer_reaches_only_that_texter(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync("Valley Voters");
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var other = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var supervisor = await app.Seed.MemberAsync(org, OrgRole.Supervisor);
        await NameAsync(app, supervisor, "Sam Staff");
        var campaignId = await ActiveCampaignAsync(app, org, contacts: 0);
        await ListeningAsync(app);
        using var subscription = app.Services.GetRequiredService<IMessageEvents>().Subscribe(org.Id);

        var asked = await (await texter.Client.PostAsJsonAsync(Url(org, $"/campaigns/{campaignId}/help"), new { text = "What if they ask about <b>absentee</b> ballots?" }, Ct))
            .ReadAsync<HelpChat.ThreadView>(HttpStatusCode.OK);
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        wait.CancelAfter(TimeSpan.FromSeconds(10));
        var pushed = await subscription.Reader.ReadAsync(wait.Token);
        var inbox = await (await supervisor.Client.GetAsync(Url(org, "/help?open=true"), Ct)).ReadAsync<List<HelpChat.ThreadSummary>>(HttpStatusCode.OK);
        await (await supervisor.Client.PostAsJsonAsync(Url(org, $"/help/{asked.Id}/messages"), new { text = "Point them to vote.example.org." }, Ct)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        var seen = await (await texter.Client.GetAsync(Url(org, $"/campaigns/{campaignId}/help"), Ct)).ReadAsync<HelpChat.ThreadView>(HttpStatusCode.OK);
        var othersOwn = await other.Client.GetAsync(Url(org, $"/campaigns/{campaignId}/help"), Ct);
        var othersLook = await other.Client.GetAsync(Url(org, $"/help/{asked.Id}"), Ct);
        var othersPost = await other.Client.PostAsJsonAsync(Url(org, $"/help/{asked.Id}/messages"), new { text = "me too" }, Ct);
        var texterList = await texter.Client.GetAsync(Url(org, "/help"), Ct);
        var resolved = await (await supervisor.Client.PostAsync(Url(org, $"/help/{asked.Id}/resolve"), null, Ct)).ReadAsync<HelpChat.ThreadView>(HttpStatusCode.OK);
        var open = await (await supervisor.Client.GetAsync(Url(org, "/help?open=true"), Ct)).ReadAsync<List<HelpChat.ThreadSummary>>(HttpStatusCode.OK);

        Assert.Equal((HelpChat.EventKind, texter.Id), (pushed.Kind, pushed.TexterUserId));
        var listed = Assert.Single(inbox);
        Assert.Equal((asked.Id, true, "What if they ask about <b>absentee</b> ballots?"), (listed.Id, listed.AwaitingAnswer, listed.LastMessage));
        Assert.Equal([(false, "What if they ask about <b>absentee</b> ballots?"), (true, "Point them to vote.example.org.")], seen.Messages.Select(m => (m.FromStaff, m.Body)));
        Assert.Equal("Sam Staff", seen.Messages[1].Author);
        Assert.False(seen.AwaitingAnswer);
        await othersOwn.ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        await othersLook.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await othersPost.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await texterList.ShouldHaveStatusAsync(HttpStatusCode.Forbidden);
        Assert.True(resolved.Resolved);
        Assert.Empty(open);
        Assert.Equal(["help.opened", "help.asked", "help.answered", "help.resolved"], (await AuditActionsAsync(app, org)).Where(a => a.StartsWith("help.", StringComparison.Ordinal)));
    }

    [Theory, BothDatabases]
    public async Task Unanswered_threads_come_first_and_another_organization_sees_none_of_them(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync("Valley Voters");
        var elsewhere = await app.Seed.OrganizationAsync("Hill Voters");
        var answered = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var waiting = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var campaignId = await ActiveCampaignAsync(app, org, contacts: 0);
        var first = await (await answered.Client.PostAsJsonAsync(Url(org, $"/campaigns/{campaignId}/help"), new { text = "First question" }, Ct)).ReadAsync<HelpChat.ThreadView>(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        var second = await (await waiting.Client.PostAsJsonAsync(Url(org, $"/campaigns/{campaignId}/help"), new { text = "Second question" }, Ct)).ReadAsync<HelpChat.ThreadView>(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await (await org.Owner.Client.PostAsJsonAsync(Url(org, $"/help/{first.Id}/messages"), new { text = "Answer" }, Ct)).ShouldHaveStatusAsync(HttpStatusCode.OK);

        var list = await (await org.Owner.Client.GetAsync(Url(org, "/help"), Ct)).ReadAsync<List<HelpChat.ThreadSummary>>(HttpStatusCode.OK);
        var foreignList = await (await elsewhere.Owner.Client.GetAsync(Url(elsewhere, "/help"), Ct)).ReadAsync<List<HelpChat.ThreadSummary>>(HttpStatusCode.OK);
        var foreignThread = await elsewhere.Owner.Client.GetAsync(Url(elsewhere, $"/help/{first.Id}"), Ct);
        var foreignAnswer = await elsewhere.Owner.Client.PostAsJsonAsync(Url(elsewhere, $"/help/{first.Id}/messages"), new { text = "Hi" }, Ct);
        var foreignCampaign = await elsewhere.Owner.Client.PostAsJsonAsync(Url(elsewhere, $"/campaigns/{campaignId}/help"), new { text = "Hi" }, Ct);
        var empty = await waiting.Client.PostAsJsonAsync(Url(org, $"/campaigns/{campaignId}/help"), new { text = "   " }, Ct);

        Assert.Equal([second.Id, first.Id], list.Select(t => t.Id));
        Assert.Equal([true, false], list.Select(t => t.AwaitingAnswer));
        Assert.Empty(foreignList);
        await foreignThread.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await foreignAnswer.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await foreignCampaign.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await empty.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }
}
