using System.Net;
using System.Net.Http.Json;
using Chorus.Features.Messaging;
using Chorus.Features.Organizations;
using Chorus.Features.Texting;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Chorus.IntegrationTests.Features.Messaging.MessagingKit;
using static Chorus.IntegrationTests.Features.Texting.VolunteerKit;

namespace Chorus.IntegrationTests.Features.Texting;

public sealed class TestSendTests
{
    [Theory, BothDatabases]
    public async Task A_test_goes_through_the_pipeline_once_and_is_not_the_contacts_initial_message(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync("Valley Voters");
        await NameAsync(app, org.Owner, "Dana Admin");
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var campaignId = await ActiveCampaignAsync(app, org, contacts: 1);
        var contact = await app.WithDbAsync(db => db.Contacts.IgnoreQueryFilters().FirstAsync(c => c.CampaignId == campaignId, Ct));

        var test = await (await org.Owner.Client.PostAsJsonAsync(Url(org, $"/campaigns/{campaignId}/test-send"), new { phone = "(212) 456-0000" }, Ct))
            .ReadAsync<TestSend.Response>(HttpStatusCode.Accepted);
        var dispatched = await DispatchAsync(app);
        var message = await MessageAsync(app, test.MessageId);
        var campaignMessages = await app.Seed.CountAsync(db => db.Messages.IgnoreQueryFilters().Where(m => m.CampaignId == campaignId));
        var batch = await BatchAsync(texter, org, campaignId);
        var realSend = await SendAsync(texter, org, batch.AssignmentId, contact.Id);

        Assert.Equal(contact.PhoneE164, test.Phone);
        Assert.Equal(1, dispatched);
        Assert.Equal((MessageKind.Test, MessageStatus.Submitted, (Guid?)null, (Guid?)null), (message.Kind, message.Status, message.CampaignId, message.ContactId));
        Assert.Equal("Hi Dana! Reply STOP to opt out", message.Body);
        Assert.StartsWith("SM", message.ProviderMessageId, StringComparison.Ordinal);
        Assert.Equal(0, campaignMessages);
        await realSend.ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        Assert.Contains("campaign.test-sent", await AuditActionsAsync(app, org));
    }

    [Theory, BothDatabases]
    public async Task A_test_is_refused_to_texters_bad_numbers_opted_out_numbers_and_outside_texting_hours(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync("Valley Voters");
        var elsewhere = await app.Seed.OrganizationAsync("Hill Voters");
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var campaignId = await ActiveCampaignAsync(app, org, contacts: 0);
        await app.WithDbAsync(async db =>
        {
            db.OptOuts.Add(new Chorus.Features.OptOuts.OptOut { OrganizationId = org.Id, PhoneE164 = "+12124569999", Source = "texter", CreatedUtc = ChorusApp.Start.UtcDateTime });
            return await db.SaveChangesAsync(Ct);
        });
        Task<HttpResponseMessage> Test(TestUser user, TestOrg where, string phone) =>
            user.Client.PostAsJsonAsync(Url(where, $"/campaigns/{campaignId}/test-send"), new { phone }, Ct);

        var byTexter = await Test(texter, org, "+12124560000");
        var bad = await Test(org.Owner, org, "12");
        var optedOut = await Test(org.Owner, org, "212-456-9999");
        var foreign = await Test(elsewhere.Owner, elsewhere, "+12124560000");
        app.Clock.Advance(TimeSpan.FromHours(15)); // 01:00 in New York
        var night = await Test(org.Owner, org, "+12124560000");

        await byTexter.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        var badProblem = await bad.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(badProblem.GetProperty("errors").TryGetProperty("phone", out _));
        await optedOut.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        await foreign.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        var nightProblem = await night.ShouldBeProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Contains("texting hours", nightProblem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(0, await app.Seed.CountAsync(db => db.Messages.IgnoreQueryFilters().Where(m => m.OrganizationId == org.Id)));
    }
}
