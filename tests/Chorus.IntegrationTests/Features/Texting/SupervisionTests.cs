using System.Net;
using System.Net.Http.Json;
using Chorus.Features.Campaigns;
using Chorus.Features.Contacts;
using Chorus.Features.Organizations;
using Chorus.Features.OptOuts;
using Chorus.Features.Texting;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Chorus.IntegrationTests.Features.Messaging.MessagingKit;

namespace Chorus.IntegrationTests.Features.Texting;

/// <summary>Staff hand out and take back contacts, find conversations, move them, and see who is texting.</summary>
public sealed class SupervisionTests
{
    private static Uri Url(TestOrg org, string rest) => new($"/api/v1/orgs/{org.Slug}{rest}", UriKind.Relative);

    private static async Task<(TestOrg Org, Guid CampaignId)> ActiveCampaignAsync(ChorusApp app, int contacts, bool dynamic = true, string name = "Valley Voters")
    {
        var org = await app.Seed.OrganizationAsync(name);
        var campaignId = await CampaignAsync(app, org);
        await app.WithDbAsync(async db =>
        {
            var campaign = await db.Campaigns.IgnoreQueryFilters().FirstAsync(c => c.Id == campaignId, Ct);
            campaign.Status = CampaignStatus.Active;
            campaign.DynamicAssignment = dynamic;
            for (var i = 0; i < contacts; i++)
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
        return (org, campaignId);
    }

    private static async Task SendAllAsync(TestUser texter, TestOrg org, Guid assignmentId, IEnumerable<Guid> contactIds)
    {
        foreach (var id in contactIds)
        {
            await (await texter.Client.PostAsJsonAsync(Url(org, $"/assignments/{assignmentId}/contacts/{id}/send"), new { }, Ct)).ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        }
    }

    [Theory, BothDatabases]
    public async Task An_admin_deals_unassigned_contacts_round_robin_and_never_an_opted_out_one(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var (org, campaignId) = await ActiveCampaignAsync(app, contacts: 11, dynamic: false);
        var ana = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var ben = await app.Seed.MemberAsync(org, OrgRole.Texter);
        await app.WithDbAsync(db =>
        {
            db.OptOuts.Add(new OptOut { OrganizationId = org.Id, PhoneE164 = "+12124560010", Source = "manual", CreatedUtc = app.Clock.GetUtcNow().UtcDateTime });
            return db.SaveChangesAsync(Ct);
        });

        var first = await (await org.Owner.Client.PostAsJsonAsync(Url(org, $"/campaigns/{campaignId}/assign"), new { texterIds = new[] { ana.Id, ben.Id }, count = 4 }, Ct))
            .ReadAsync<BulkAssignment.Result>(HttpStatusCode.OK);
        var rest = await (await org.Owner.Client.PostAsJsonAsync(Url(org, $"/campaigns/{campaignId}/assign"), new { texterIds = new[] { ana.Id, ben.Id } }, Ct))
            .ReadAsync<BulkAssignment.Result>(HttpStatusCode.OK);
        var overview = await (await org.Owner.Client.GetAsync(Url(org, $"/campaigns/{campaignId}/texters"), Ct)).ReadAsync<CampaignTexters.Overview>(HttpStatusCode.OK);
        var anas = await (await ana.Client.GetAsync(Url(org, "/assignments"), Ct)).ReadAsync<List<Assignments.Summary>>(HttpStatusCode.OK);

        Assert.Equal(4, first.Contacts);
        Assert.Equal(6, rest.Contacts);
        Assert.Equal(0, overview.Unassigned);
        Assert.Equal([5, 5], overview.Holders.Select(h => h.ToSend));
        Assert.Equal(5, Assert.Single(anas).ToSend);
        Assert.Null(await app.WithDbAsync(db => db.Contacts.IgnoreQueryFilters().Where(c => c.PhoneE164 == "+12124560010").Select(c => c.TexterUserId).SingleAsync(Ct)));
        Assert.Equal(2, await app.Seed.CountAsync(db => db.AuditEvents.IgnoreQueryFilters().Where(a => a.Action == "assignment.assigned")));
    }

    [Theory, BothDatabases]
    public async Task Bulk_assignment_refuses_texters_other_organizations_and_non_members(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var (org, campaignId) = await ActiveCampaignAsync(app, contacts: 3);
        var (otherOrg, otherCampaign) = await ActiveCampaignAsync(app, contacts: 3, name: "Hill Democrats");
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var stranger = await app.Seed.MemberAsync(otherOrg, OrgRole.Texter);

        var byTexter = await texter.Client.PostAsJsonAsync(Url(org, $"/campaigns/{campaignId}/assign"), new { texterIds = new[] { texter.Id } }, Ct);
        var otherCampaignsId = await org.Owner.Client.PostAsJsonAsync(Url(org, $"/campaigns/{otherCampaign}/assign"), new { texterIds = new[] { texter.Id } }, Ct);
        var nonMember = await org.Owner.Client.PostAsJsonAsync(Url(org, $"/campaigns/{campaignId}/assign"), new { texterIds = new[] { stranger.Id } }, Ct);
        var noOne = await org.Owner.Client.PostAsJsonAsync(Url(org, $"/campaigns/{campaignId}/assign"), new { texterIds = Array.Empty<Guid>() }, Ct);
        var unassignOther = await org.Owner.Client.PostAsJsonAsync(Url(org, $"/campaigns/{otherCampaign}/unassign"), new { }, Ct);

        await byTexter.ShouldHaveStatusAsync(HttpStatusCode.Forbidden);
        await otherCampaignsId.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await nonMember.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await noOne.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await unassignOther.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, await app.Seed.CountAsync(db => db.Contacts.IgnoreQueryFilters().Where(c => c.AssignmentId != null)));
    }

    [Theory, BothDatabases]
    public async Task Unassigning_and_releasing_return_only_unsent_contacts_to_the_pool(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var (org, campaignId) = await ActiveCampaignAsync(app, contacts: 6);
        var ana = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var ben = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var anas = await (await ana.Client.PostAsync(Url(org, $"/campaigns/{campaignId}/assignments"), null, Ct)).ReadAsync<Assignments.BatchResponse>(HttpStatusCode.OK);
        await SendAllAsync(ana, org, anas.AssignmentId, anas.Contacts.Take(2).Select(c => c.Id));

        var bensBatch = await org.Owner.Client.PostAsJsonAsync(Url(org, $"/campaigns/{campaignId}/assign"), new { texterIds = new[] { ben.Id } }, Ct);
        var byOther = await ben.Client.PostAsync(Url(org, $"/assignments/{anas.AssignmentId}/release"), null, Ct);
        var released = await (await ana.Client.PostAsync(Url(org, $"/assignments/{anas.AssignmentId}/release"), null, Ct)).ReadAsync<BulkAssignment.Result>(HttpStatusCode.OK);
        var reassigned = await (await org.Owner.Client.PostAsJsonAsync(Url(org, $"/campaigns/{campaignId}/assign"), new { texterIds = new[] { ben.Id } }, Ct))
            .ReadAsync<BulkAssignment.Result>(HttpStatusCode.OK);
        var unassigned = await (await org.Owner.Client.PostAsJsonAsync(Url(org, $"/campaigns/{campaignId}/unassign"), new { texterIds = new[] { ben.Id } }, Ct))
            .ReadAsync<BulkAssignment.Result>(HttpStatusCode.OK);
        var holders = await app.WithDbAsync(db => db.Contacts.IgnoreQueryFilters().Where(c => c.TexterUserId != null).Select(c => new { c.TexterUserId, c.ConversationStatus }).ToListAsync(Ct));

        await bensBatch.ShouldHaveStatusAsync(HttpStatusCode.OK);
        await byOther.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(4, released.Contacts);
        Assert.Equal(4, reassigned.Contacts);
        Assert.Equal(4, unassigned.Contacts);
        Assert.Equal(2, holders.Count);
        Assert.All(holders, h => Assert.Equal((ana.Id, ConversationStatus.Messaged), (h.TexterUserId!.Value, h.ConversationStatus)));
    }

    [Theory, BothDatabases]
    public async Task Reassigning_all_that_match_a_search_moves_exactly_the_conversations_the_list_shows(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var (org, campaignId) = await ActiveCampaignAsync(app, contacts: 4);
        var ana = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var ben = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var batch = await (await ana.Client.PostAsync(Url(org, $"/campaigns/{campaignId}/assignments"), null, Ct)).ReadAsync<Assignments.BatchResponse>(HttpStatusCode.OK);
        await SendAllAsync(ana, org, batch.AssignmentId, batch.Contacts.Select(c => c.Id));
        await DispatchAsync(app);
        var token = await SimulatorTokenAsync(app, org);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        (await PostWebhookAsync(app, $"/webhooks/simulator/{org.Slug}/inbound", Inbound("SMin1", batch.Contacts[0].Phone, "+12025550100", "Where is my POLLING place?"), token)).EnsureSuccessStatusCode();
        (await PostWebhookAsync(app, $"/webhooks/simulator/{org.Slug}/inbound", Inbound("SMin2", batch.Contacts[1].Phone, "+12025550100", "Who is this?"), token)).EnsureSuccessStatusCode();

        var found = await (await org.Owner.Client.GetAsync(Url(org, "/conversations?q=polling"), Ct)).ReadAsync<Conversations.Page>(HttpStatusCode.OK);
        var reassigned = await (await org.Owner.Client.PostAsJsonAsync(Url(org, "/conversations/reassign"),
            new { filter = new { q = "polling" }, texterIds = new[] { ben.Id } }, Ct)).ReadAsync<Reassign.Response>(HttpStatusCode.OK);
        var bens = await (await ben.Client.GetAsync(Url(org, "/conversations"), Ct)).ReadAsync<Conversations.Page>(HttpStatusCode.OK);
        var tooLong = await org.Owner.Client.GetAsync(Url(org, $"/conversations?q={new string('a', 101)}"), Ct);
        var backwards = await org.Owner.Client.GetAsync(Url(org, "/conversations?from=2026-11-04&to=2026-11-03"), Ct);

        var item = Assert.Single(found.Items);
        Assert.Equal(batch.Contacts[0].Id, item.ContactId);
        Assert.Equal(new Conversations.Preview("Where is my POLLING place?", FromContact: true), item.Last);
        Assert.Equal(1, reassigned.Reassigned);
        Assert.Equal(batch.Contacts[0].Id, Assert.Single(bens.Items).ContactId);
        await tooLong.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await backwards.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Theory, BothDatabases]
    public async Task The_date_filter_keeps_conversations_whose_last_message_falls_in_the_range(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var (org, campaignId) = await ActiveCampaignAsync(app, contacts: 2);
        var ana = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var batch = await (await ana.Client.PostAsync(Url(org, $"/campaigns/{campaignId}/assignments"), null, Ct)).ReadAsync<Assignments.BatchResponse>(HttpStatusCode.OK);
        await SendAllAsync(ana, org, batch.AssignmentId, batch.Contacts.Select(c => c.Id));
        await app.WithDbAsync(async db =>
        {
            var older = await db.Contacts.IgnoreQueryFilters().FirstAsync(c => c.Id == batch.Contacts[1].Id, Ct);
            older.LastMessageUtc = ChorusApp.Start.UtcDateTime.AddDays(-3);
            return await db.SaveChangesAsync(Ct);
        });

        var today = await (await org.Owner.Client.GetAsync(Url(org, "/conversations?from=2026-11-03T00:00:00Z&to=2026-11-04T00:00:00Z"), Ct))
            .ReadAsync<Conversations.Page>(HttpStatusCode.OK);
        var before = await (await org.Owner.Client.GetAsync(Url(org, "/conversations?to=2026-11-02T00:00:00Z"), Ct)).ReadAsync<Conversations.Page>(HttpStatusCode.OK);

        Assert.Equal(batch.Contacts[0].Id, Assert.Single(today.Items).ContactId);
        Assert.Equal(batch.Contacts[1].Id, Assert.Single(before.Items).ContactId);
    }

    [Theory, BothDatabases]
    public async Task Supervisors_see_who_is_texting_now_and_texters_may_not(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var (org, campaignId) = await ActiveCampaignAsync(app, contacts: 3);
        var ana = await app.Seed.MemberAsync(org, OrgRole.Texter);
        var supervisor = await app.Seed.MemberAsync(org, OrgRole.Supervisor);
        var batch = await (await ana.Client.PostAsync(Url(org, $"/campaigns/{campaignId}/assignments"), null, Ct)).ReadAsync<Assignments.BatchResponse>(HttpStatusCode.OK);
        await SendAllAsync(ana, org, batch.AssignmentId, batch.Contacts.Take(2).Select(c => c.Id));
        app.Clock.Advance(TimeSpan.FromMinutes(2));
        await SendAllAsync(ana, org, batch.AssignmentId, [batch.Contacts[2].Id]);

        var now = await (await supervisor.Client.GetAsync(Url(org, $"/texting/activity?campaignId={campaignId}"), Ct)).ReadAsync<TexterActivity.Response>(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromMinutes(11));
        var later = await (await supervisor.Client.GetAsync(Url(org, "/texting/activity"), Ct)).ReadAsync<TexterActivity.Response>(HttpStatusCode.OK);
        var byTexter = await ana.Client.GetAsync(Url(org, "/texting/activity"), Ct);

        var texter = Assert.Single(now.Texters);
        Assert.Equal((ana.Id, 1, 3, 0.3), (texter.TexterId, texter.SentLastMinute, texter.SentInWindow, texter.SentPerMinute));
        Assert.Empty(later.Texters);
        await byTexter.ShouldHaveStatusAsync(HttpStatusCode.Forbidden);
    }

    [Theory, BothDatabases]
    public async Task A_campaign_join_link_lands_the_new_texter_on_that_campaign(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var (org, campaignId) = await ActiveCampaignAsync(app, contacts: 2);
        var (_, otherCampaign) = await ActiveCampaignAsync(app, contacts: 1, name: "Hill Democrats");
        var volunteer = await app.Seed.UserAsync();

        var link = await (await org.Owner.Client.PostAsJsonAsync(Url(org, "/join-links"), new { campaignId }, Ct)).ReadAsync<CreateJoinLink.Response>(HttpStatusCode.Created);
        var joined = await (await volunteer.Client.PostAsync(new Uri($"/api/v1/join/{link.Code}", UriKind.Relative), null, Ct))
            .ReadAsync<AcceptJoinLink.Response>(HttpStatusCode.OK);
        var foreign = await org.Owner.Client.PostAsJsonAsync(Url(org, "/join-links"), new { campaignId = otherCampaign }, Ct);
        var batch = await volunteer.Client.PostAsync(Url(org, $"/campaigns/{campaignId}/assignments"), null, Ct);

        Assert.Equal((campaignId, OrgRole.Texter), (link.CampaignId!.Value, link.Role));
        Assert.Equal(campaignId, joined.CampaignId);
        Assert.Equal($"/orgs/{org.Slug}/texting?campaign={campaignId}", joined.LandingPath);
        await foreign.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await batch.ShouldHaveStatusAsync(HttpStatusCode.OK);
    }
}
