using System.Net;
using System.Net.Http.Json;
using Chorus.Features.Campaigns;
using Chorus.Features.Contacts;
using Chorus.Features.Organizations;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Chorus.IntegrationTests.Platform;

/// <summary>
/// The callers that answer a lost race (409, or "use theirs") tell it from a failure by <see cref="DbErrors"/>; these run
/// the real providers, so the codes it reads are the ones each database sends.
/// </summary>
public sealed class DbErrorsTests
{
    [Theory, BothDatabases]
    public async Task A_save_refused_by_a_unique_index_is_a_lost_race_and_one_refused_by_a_foreign_key_is_not(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var campaign = await (await org.Owner.Client.PostAsJsonAsync(new Uri($"/api/v1/orgs/{org.Slug}/campaigns", UriKind.Relative), new { title = "GOTV" }, TestContext.Current.CancellationToken))
            .ReadAsync<CampaignView>(HttpStatusCode.Created);
        await SaveAsync(app, org, campaign.Id);

        var twice = await Assert.ThrowsAsync<DbUpdateException>(() => SaveAsync(app, org, campaign.Id));
        var nowhere = await Assert.ThrowsAsync<DbUpdateException>(() => SaveAsync(app, org, Guid.NewGuid()));

        Assert.True(DbErrors.IsUniqueViolation(twice));
        Assert.False(DbErrors.IsUniqueViolation(nowhere));
    }

    private static Task<int> SaveAsync(ChorusApp app, TestOrg org, Guid campaignId) => app.WithScopeAsync(async sp =>
    {
        sp.GetRequiredService<CurrentOrganization>().Set(org.Id, org.Slug, OrgRole.Owner);
        var db = sp.GetRequiredService<AppDbContext>();
        db.Contacts.Add(new Contact { OrganizationId = org.Id, CampaignId = campaignId, PhoneE164 = "+12124567890", TimeZones = "America/New_York", TimeZoneSource = "Phone" });
        return await db.SaveChangesAsync(TestContext.Current.CancellationToken);
    });
}
