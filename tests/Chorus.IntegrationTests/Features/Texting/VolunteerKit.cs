using System.Net;
using Chorus.Features.Campaigns;
using Chorus.Features.Contacts;
using Chorus.Features.Messaging.Events;
using Chorus.Features.Texting;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Chorus.IntegrationTests.Features.Messaging.MessagingKit;

namespace Chorus.IntegrationTests.Features.Texting;

/// <summary>Set-up shared by the help, test-send, leaderboard and training tests.</summary>
internal static class VolunteerKit
{
    public static Uri Url(TestOrg org, string rest) => new($"/api/v1/orgs/{org.Slug}{rest}", UriKind.Relative);

    /// <summary>An active campaign in New York (open at the test clock's start) with <paramref name="contacts"/> contacts.</summary>
    public static async Task<Guid> ActiveCampaignAsync(ChorusApp app, TestOrg org, int contacts, int batchSize = 100, string trainingText = "")
    {
        var campaignId = await CampaignAsync(app, org);
        await app.WithDbAsync(async db =>
        {
            var campaign = await db.Campaigns.IgnoreQueryFilters().FirstAsync(c => c.Id == campaignId, Ct);
            campaign.Status = CampaignStatus.Active;
            campaign.BatchSize = batchSize;
            campaign.TrainingText = trainingText;
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
        return campaignId;
    }

    public static Task NameAsync(ChorusApp app, TestUser user, string displayName) =>
        app.WithDbAsync(async db =>
        {
            var stored = await db.Users.FirstAsync(u => u.Id == user.Id, Ct);
            stored.DisplayName = displayName;
            return await db.SaveChangesAsync(Ct);
        });

    public static async Task<Assignments.BatchResponse> BatchAsync(TestUser texter, TestOrg org, Guid campaignId) =>
        await (await texter.Client.PostAsync(Url(org, $"/campaigns/{campaignId}/assignments"), null, Ct)).ReadAsync<Assignments.BatchResponse>(HttpStatusCode.OK);

    public static Task<HttpResponseMessage> SendAsync(TestUser texter, TestOrg org, Guid assignmentId, Guid contactId) =>
        texter.Client.PostAsync(Url(org, $"/assignments/{assignmentId}/contacts/{contactId}/send"), null, Ct);

    /// <summary>On PostgreSQL events travel through NOTIFY: wait until this instance listens before publishing.</summary>
    public static async Task ListeningAsync(ChorusApp app)
    {
        if (app.Provider == DatabaseProvider.Postgres)
        {
            await app.Services.GetRequiredService<PostgresMessageEventListener>().Listening.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        }
    }

    public static Task<List<string>> AuditActionsAsync(ChorusApp app, TestOrg org) =>
        app.WithDbAsync(db => db.AuditEvents.IgnoreQueryFilters().Where(e => e.OrganizationId == org.Id).OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync(Ct));
}
