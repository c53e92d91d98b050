using System.Net;
using Chorus.Features.OptOuts;
using Chorus.Features.Organizations;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Infrastructure;

namespace Chorus.IntegrationTests.Features.OptOuts;

public sealed class TextingWindowApiTests
{
    private static Uri Window(TestOrg org, string query) => new($"/api/v1/orgs/{org.Slug}/texting-window?{query}", UriKind.Relative);

    [Theory, BothDatabases]
    public async Task A_new_york_number_at_10am_local_may_be_texted(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);

        var window = await (await texter.Client.GetAsync(Window(org, "phone=%2B12124567890&at=2026-11-03T15:00:00Z"), TestContext.Current.CancellationToken))
            .ReadAsync<GetTextingWindow.Response>(HttpStatusCode.OK);

        Assert.True(window.Allowed);
        Assert.Equal(["America/New_York"], window.TimeZones);
        Assert.Equal(10, window.LocalTime.Hour);
        Assert.Equal(("09:00", "21:00"), (window.WindowStart, window.WindowEnd));
    }

    [Theory, BothDatabases]
    public async Task At_10pm_local_it_is_refused_with_the_next_opening_at_9am(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();

        var window = await (await org.Owner.Client.GetAsync(Window(org, "phone=%2B12124567890&at=2026-11-04T03:00:00Z"), TestContext.Current.CancellationToken))
            .ReadAsync<GetTextingWindow.Response>(HttpStatusCode.OK);

        Assert.False(window.Allowed);
        Assert.Equal(DateTimeOffset.Parse("2026-11-04T14:00:00Z", System.Globalization.CultureInfo.InvariantCulture), window.NextAllowedAt);
    }

    [Theory, BothDatabases]
    public async Task A_florida_zip_narrows_the_window_to_8pm(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();

        // 20:30 in Miami (EST, UTC-5) on 3 November 2026.
        var window = await (await org.Owner.Client.GetAsync(Window(org, "phone=%2B13055550100&zip=33101&at=2026-11-04T01:30:00Z"), TestContext.Current.CancellationToken))
            .ReadAsync<GetTextingWindow.Response>(HttpStatusCode.OK);

        Assert.False(window.Allowed);
        Assert.Equal("FL", window.State);
        Assert.Equal("20:00", window.WindowEnd);
    }

    [Theory, BothDatabases]
    public async Task The_campaigns_own_days_apply_when_a_campaign_is_named(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var campaignId = await app.WithDbAsync(async db =>
        {
            var campaign = new Chorus.Features.Campaigns.Campaign { OrganizationId = org.Id, Title = "No Sundays", TextingDays = Chorus.Features.Campaigns.Campaign.DaysMask([DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday]) };
            db.Campaigns.Add(campaign);
            await db.SaveChangesAsync();
            return campaign.Id;
        });

        // Sunday 8 November 2026, noon in New York.
        var window = await (await org.Owner.Client.GetAsync(Window(org, $"phone=%2B12124567890&campaignId={campaignId}&at=2026-11-08T17:00:00Z"), TestContext.Current.CancellationToken))
            .ReadAsync<GetTextingWindow.Response>(HttpStatusCode.OK);

        Assert.False(window.Allowed);
        Assert.Equal(DateTimeOffset.Parse("2026-11-09T14:00:00Z", System.Globalization.CultureInfo.InvariantCulture), window.NextAllowedAt);
    }

    [Theory]
    [InlineData("phone=2124567890")]
    [InlineData("phone=%2B1212abc")]
    [InlineData("")]
    public async Task A_number_not_in_e164_form_is_refused_with_a_clear_problem(string query)
    {
        await using var app = await ChorusApp.StartAsync(DatabaseProvider.Sqlite);
        var org = await app.Seed.OrganizationAsync();

        var response = await org.Owner.Client.GetAsync(Window(org, query), TestContext.Current.CancellationToken);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Theory, BothDatabases]
    public async Task Another_organizations_campaign_is_not_found(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var mine = await app.Seed.OrganizationAsync();
        var theirs = await app.Seed.OrganizationAsync();
        var theirCampaign = await app.WithDbAsync(async db =>
        {
            var campaign = new Chorus.Features.Campaigns.Campaign { OrganizationId = theirs.Id, Title = "Theirs" };
            db.Campaigns.Add(campaign);
            await db.SaveChangesAsync();
            return campaign.Id;
        });

        var response = await mine.Owner.Client.GetAsync(Window(mine, $"phone=%2B12124567890&campaignId={theirCampaign}"), TestContext.Current.CancellationToken);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }
}
