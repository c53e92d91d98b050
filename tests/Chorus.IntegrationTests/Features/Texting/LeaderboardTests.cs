using System.Net;
using System.Net.Http.Json;
using Chorus.Features.Organizations;
using Chorus.Features.Texting;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Chorus.IntegrationTests.Features.Messaging.MessagingKit;
using static Chorus.IntegrationTests.Features.Texting.VolunteerKit;

namespace Chorus.IntegrationTests.Features.Texting;

public sealed class LeaderboardTests
{
    [Theory, BothDatabases]
    public async Task The_board_and_a_texters_progress_equal_the_hand_counted_sends_and_replies(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync("Valley Voters");
        var elsewhere = await app.Seed.OrganizationAsync("Hill Voters");
        var ana = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var ben = await app.Seed.MemberAsync(org, OrgRole.Texter);
        await NameAsync(app, ana, "Ana Maria Lopez");
        await NameAsync(app, ben, "Ben");
        var campaignId = await ActiveCampaignAsync(app, org, contacts: 5, batchSize: 3);
        var anas = await BatchAsync(ana, org, campaignId);
        var bens = await BatchAsync(ben, org, campaignId);
        foreach (var contact in anas.Contacts)
        {
            await (await SendAsync(ana, org, anas.AssignmentId, contact.Id)).ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        }

        await (await SendAsync(ben, org, bens.AssignmentId, bens.Contacts[0].Id)).ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        await DispatchAsync(app);
        var phone = anas.Contacts[0].Phone;
        (await PostWebhookAsync(app, $"/webhooks/simulator/{org.Slug}/inbound", Inbound("SMq1", phone, "+12025550100", "Where do I vote?"), await SimulatorTokenAsync(app, org))).EnsureSuccessStatusCode();
        await (await ana.Client.PostAsJsonAsync(Url(org, $"/conversations/{anas.Contacts[0].Id}/messages"), new { text = "PS 41." }, Ct)).ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        await (await org.Owner.Client.PostAsJsonAsync(Url(org, $"/campaigns/{campaignId}/test-send"), new { phone = "+12124569000" }, Ct)).ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        app.Clock.Advance(TimeSpan.FromDays(1));
        await (await SendAsync(ben, org, bens.AssignmentId, bens.Contacts[1].Id)).ShouldHaveStatusAsync(HttpStatusCode.Accepted);

        var board = await (await ben.Client.GetAsync(Url(org, $"/campaigns/{campaignId}/leaderboard"), Ct)).ReadAsync<Leaderboard.Board>(HttpStatusCode.OK);
        var anaProgress = await (await ana.Client.GetAsync(Url(org, "/texting/progress"), Ct)).ReadAsync<Leaderboard.Progress>(HttpStatusCode.OK);
        var benProgress = await (await ben.Client.GetAsync(Url(org, "/texting/progress"), Ct)).ReadAsync<Leaderboard.Progress>(HttpStatusCode.OK);
        var foreign = await elsewhere.Owner.Client.GetAsync(Url(elsewhere, $"/campaigns/{campaignId}/leaderboard"), Ct);

        Assert.Equal(
            [new Leaderboard.Entry(1, "Ana L.", 3, 1, false), new Leaderboard.Entry(2, "Ben", 2, 0, true)],
            board.Entries);
        Assert.Equal(new Leaderboard.Progress(SentToday: 0, SentTotal: 3, RepliesToday: 0, RepliesHandled: 1), anaProgress);
        Assert.Equal(new Leaderboard.Progress(SentToday: 1, SentTotal: 2, RepliesToday: 0, RepliesHandled: 0), benProgress);
        await foreign.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }
}
