using Chorus.Features.Analytics.Exports;
using Chorus.Features.Campaigns;
using Chorus.Features.Contacts;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using static Chorus.IntegrationTests.Features.Analytics.ExportKit;

namespace Chorus.IntegrationTests.Features.Analytics;

public sealed class ExportStreamingTests
{
    [Theory, BothDatabases]
    public async Task A_200k_contact_campaign_is_written_page_by_page_never_read_whole(DatabaseProvider provider)
    {
        const int contacts = 200_000;
        const int pageSize = 7_000;
        await using var app = await StartAsync(provider, runWorker: false);
        var org = await app.Seed.OrganizationAsync();
        var campaign = new Campaign { OrganizationId = org.Id, Title = "Big", CustomFields = ["precinct"], CreatedUtc = ChorusApp.Start.UtcDateTime, UpdatedUtc = ChorusApp.Start.UtcDateTime };
        await SaveAsync(app, campaign);
        await SeedContactsAsync(app, org, campaign.Id, contacts);
        var id = await StartExportAsync(org, "contacts", campaign.Id);

        var run = await ExportWorker.RunOnceAsync(Scopes(app), Ct, pageSize);
        var export = await WaitForAsync(org, id);
        var path = app.Services.GetRequiredService<ExportFiles>().PathOf(id);
        var lines = File.ReadLines(path).Count();

        Assert.Equal((ExportStatus.Completed, contacts), (run!.Status, run.Rows));
        Assert.Equal((contacts + pageSize - 1) / pageSize, run.Pages); // 29: the worker flushed and recorded progress after every page
        Assert.Equal(contacts + 1, lines);
        Assert.Equal(("completed", contacts, 1.0), (export.Status, export.Rows, export.Progress));
    }

    /// <summary>Through the importer's own bulk path (prepared statement on SQLite, COPY on PostgreSQL): seconds, not minutes.</summary>
    private static Task<int> SeedContactsAsync(ChorusApp app, TestOrg org, Guid campaignId, int count) => app.WithScopeAsync(async sp =>
    {
        var db = sp.GetRequiredService<AppDbContext>();
        var writer = sp.GetRequiredService<ContactBulkWriter>();
        var inserted = 0;
        foreach (var chunk in Enumerable.Range(0, count).Chunk(20_000))
        {
            var batch = chunk.Select(i => new Contact
            {
                OrganizationId = org.Id,
                CampaignId = campaignId,
                PhoneE164 = $"+1212{2_000_000 + i:D7}",
                FirstName = $"Voter{i}",
                LastName = i % 10 == 0 ? "=1+1" : "Last",
                CustomFields = $$"""{"precinct":"P-{{i % 50}}"}""",
                TimeZones = "America/New_York",
                TimeZoneSource = "Explicit",
                CreatedUtc = ChorusApp.Start.UtcDateTime,
            }).ToList();
            await using var transaction = await db.Database.BeginTransactionAsync(Ct);
            inserted += await writer.InsertAsync(db, batch, Ct);
            await transaction.CommitAsync(Ct);
        }

        return inserted;
    });
}
