using System.Net;
using System.Net.Http.Json;
using Chorus.Features.Campaigns;
using Chorus.Features.Organizations;
using Chorus.Features.Texting;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Chorus.IntegrationTests.Features.Messaging.MessagingKit;
using static Chorus.IntegrationTests.Features.Texting.VolunteerKit;

namespace Chorus.IntegrationTests.Features.Texting;

public sealed class TrainingTextTests
{
    [Theory, BothDatabases]
    public async Task Admins_set_the_training_text_and_a_copy_keeps_it_but_texters_cannot_and_it_is_bounded(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync("Valley Voters");
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var campaignId = await CampaignAsync(app, org);

        var saved = await (await org.Owner.Client.PatchAsJsonAsync(Url(org, $"/campaigns/{campaignId}"), new { trainingText = "  Be kind. Never argue.  " }, Ct))
            .ReadAsync<CampaignView>(HttpStatusCode.OK);
        var tooLong = await org.Owner.Client.PatchAsJsonAsync(Url(org, $"/campaigns/{campaignId}"), new { trainingText = new string('x', Campaign.MaxTrainingTextLength + 1) }, Ct);
        var byTexter = await texter.Client.PatchAsJsonAsync(Url(org, $"/campaigns/{campaignId}"), new { trainingText = "Anything goes" }, Ct);
        (await org.Owner.Client.PostAsync(Url(org, $"/campaigns/{campaignId}/copy"), null, Ct)).EnsureSuccessStatusCode();
        var texts = await app.WithDbAsync(db => db.Campaigns.IgnoreQueryFilters().Where(c => c.OrganizationId == org.Id).Select(c => c.TrainingText).ToListAsync(Ct));

        Assert.Equal("Be kind. Never argue.", saved.TrainingText);
        await tooLong.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await byTexter.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(["Be kind. Never argue.", "Be kind. Never argue."], texts);
    }

    [Theory, BothDatabases]
    public async Task The_first_send_waits_for_the_texter_to_acknowledge_the_training_text(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync("Valley Voters");
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var other = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var campaignId = await ActiveCampaignAsync(app, org, contacts: 2, trainingText: "Be kind. Never argue.");
        var batch = await BatchAsync(texter, org, campaignId);

        var before = await (await texter.Client.GetAsync(Url(org, $"/assignments/{batch.AssignmentId}/training"), Ct)).ReadAsync<TrainingText.State>(HttpStatusCode.OK);
        var refused = await SendAsync(texter, org, batch.AssignmentId, batch.Contacts[0].Id);
        var othersAck = await other.Client.PostAsync(Url(org, $"/assignments/{batch.AssignmentId}/training/acknowledge"), null, Ct);
        var ack = await (await texter.Client.PostAsync(Url(org, $"/assignments/{batch.AssignmentId}/training/acknowledge"), null, Ct)).ReadAsync<TrainingText.State>(HttpStatusCode.OK);
        var sent = await SendAsync(texter, org, batch.AssignmentId, batch.Contacts[0].Id);
        var after = await (await texter.Client.GetAsync(Url(org, $"/assignments/{batch.AssignmentId}/training"), Ct)).ReadAsync<TrainingText.State>(HttpStatusCode.OK);

        Assert.Equal(("Be kind. Never argue.", true, (DateTime?)null), (before.Text, before.Required, before.AcknowledgedAt));
        var problem = await refused.ShouldBeProblemAsync(HttpStatusCode.Conflict);
        Assert.Contains("training text", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        await othersAck.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.NotNull(ack.AcknowledgedAt);
        await sent.ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        Assert.False(after.Required);
        Assert.Contains("training.acknowledged", await AuditActionsAsync(app, org));
    }

    [Theory, BothDatabases]
    public async Task A_campaign_without_training_text_sends_at_once(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync("Valley Voters");
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var campaignId = await ActiveCampaignAsync(app, org, contacts: 1);
        var batch = await BatchAsync(texter, org, campaignId);

        var state = await (await texter.Client.GetAsync(Url(org, $"/assignments/{batch.AssignmentId}/training"), Ct)).ReadAsync<TrainingText.State>(HttpStatusCode.OK);
        var sent = await SendAsync(texter, org, batch.AssignmentId, batch.Contacts[0].Id);

        Assert.False(state.Required);
        await sent.ShouldHaveStatusAsync(HttpStatusCode.Accepted);
    }
}
