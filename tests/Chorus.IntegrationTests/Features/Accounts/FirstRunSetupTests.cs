using System.Net;
using System.Net.Http.Json;
using Chorus.Features.Accounts;
using Chorus.Features.Campaigns;
using Chorus.Features.Organizations;
using Chorus.Features.Texting;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Hosting;
using Chorus.Infrastructure.Http;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Chorus.IntegrationTests.Features.Accounts;

public sealed class FirstRunSetupTests
{
    private static Task<Outcome<CreateOrganization.Response>> SetUpAsync(ChorusApp app, string token, string email = "first@example.org") =>
        app.WithScopeAsync(sp => FirstRunSetup.ExecuteAsync(
            new FirstRunSetup.Request(token, "First Person", email, "a long enough password", "Neighbors United"),
            sp.GetRequiredService<AppDbContext>(), sp.GetRequiredService<UserManager<AppUser>>(), sp.GetRequiredService<TimeProvider>(), TestContext.Current.CancellationToken));

    private static async Task<string> IssueAsync(ChorusApp app)
    {
        // The app announces its own link once it has started, replacing any earlier one: wait for that first, or it
        // may replace ours (it did once on a loaded machine).
        var waited = System.Diagnostics.Stopwatch.StartNew();
        while (await app.Seed.CountAsync(db => db.SetupTokens) == 0 && waited.Elapsed < TimeSpan.FromSeconds(15))
        {
            await Task.Delay(20, TestContext.Current.CancellationToken);
        }

        return await app.WithScopeAsync(sp => FirstRunSetup.IssueTokenAsync(sp.GetRequiredService<AppDbContext>(), sp.GetRequiredService<TimeProvider>(), TestContext.Current.CancellationToken));
    }

    [Theory, BothDatabases]
    public async Task The_first_person_creates_their_account_and_organization_as_its_owner(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var token = await IssueAsync(app);

        var outcome = await SetUpAsync(app, token);

        Assert.True(outcome.Succeeded, outcome.Failure?.Message);
        Assert.Equal("neighbors-united", outcome.Value!.Slug);
        Assert.Equal(OrgRole.Owner, await app.WithDbAsync(db => db.Memberships.IgnoreQueryFilters().Select(m => m.Role).SingleAsync()));
    }

    [Theory, BothDatabases]
    public async Task The_link_works_once(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var token = await IssueAsync(app);
        await SetUpAsync(app, token);

        var again = await SetUpAsync(app, token, "second@example.org");

        Assert.Equal(FailureKind.Forbidden, again.Failure?.Kind);
        Assert.Equal(1, await app.Seed.CountAsync(db => db.Users));
    }

    [Theory, BothDatabases]
    public async Task A_wrong_token_creates_nothing(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        await IssueAsync(app);

        var outcome = await SetUpAsync(app, "guessed-token");

        Assert.Equal(FailureKind.Forbidden, outcome.Failure?.Kind);
        Assert.Equal(0, await app.Seed.CountAsync(db => db.Users));
    }

    [Theory, BothDatabases]
    public async Task A_bad_password_leaves_the_instance_unset_and_the_link_usable(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var token = await IssueAsync(app);

        var refused = await app.WithScopeAsync(sp => FirstRunSetup.ExecuteAsync(
            new FirstRunSetup.Request(token, "First", "first@example.org", "short", "Org"),
            sp.GetRequiredService<AppDbContext>(), sp.GetRequiredService<UserManager<AppUser>>(), sp.GetRequiredService<TimeProvider>(), TestContext.Current.CancellationToken));
        var retried = await SetUpAsync(app, token);

        Assert.Equal(FailureKind.Invalid, refused.Failure?.Kind);
        Assert.True(retried.Succeeded, retried.Failure?.Message);
    }

    [Theory, BothDatabases]
    public async Task The_demo_seeds_an_owner_a_supervisor_and_two_texters_whose_printed_passwords_work(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        using var output = new StringWriter();

        var first = await DemoSeeder.SeedAsync(app.Services, output, TestContext.Current.CancellationToken);
        var second = await DemoSeeder.SeedAsync(app.Services, TextWriter.Null, TestContext.Current.CancellationToken);

        Assert.Equal([OrgRole.Owner, OrgRole.Supervisor, OrgRole.Texter, OrgRole.Texter], first.Select(c => c.Role));
        Assert.All(first, c => Assert.Contains(c.Password, output.ToString(), StringComparison.Ordinal));
        Assert.Equal(4, await app.Seed.CountAsync(db => db.Memberships.IgnoreQueryFilters()));
        foreach (var (email, password, _) in second)
        {
            var valid = await app.WithScopeAsync(async sp =>
            {
                var users = sp.GetRequiredService<UserManager<AppUser>>();
                return await users.CheckPasswordAsync((await users.FindByEmailAsync(email))!, password);
            });
            Assert.True(valid, $"{email} cannot log in with the printed password");
        }
    }

    [Theory, BothDatabases]
    public async Task A_texter_in_the_demo_gets_contacts_and_sends_at_once_and_seeding_again_adds_no_second_campaign(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var ct = TestContext.Current.CancellationToken;
        var texter = (await DemoSeeder.SeedAsync(app.Services, TextWriter.Null, ct)).First(c => c.Role == OrgRole.Texter);
        await DemoSeeder.SeedAsync(app.Services, TextWriter.Null, ct);
        var token = await app.WithScopeAsync(async sp =>
        {
            var user = await sp.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(texter.Email);
            return (await CreateApiToken.ExecuteAsync(user!.Id, texter.Email, "demo", sp.GetRequiredService<AppDbContext>(), sp.GetRequiredService<TimeProvider>(), ct)).Value!.Token;
        });
        var campaigns = await app.WithDbAsync(db => db.Campaigns.IgnoreQueryFilters().Select(c => new { c.Id, c.Status }).ToListAsync(ct));
        var campaign = Assert.Single(campaigns);
        var client = app.ClientWithToken(token);
        var org = $"/api/v1/orgs/{Organization.SlugFrom(DemoSeeder.OrganizationName)}";

        var batch = await (await client.PostAsync(new Uri($"{org}/campaigns/{campaign.Id}/assignments", UriKind.Relative), null, ct)).ReadAsync<Assignments.BatchResponse>(HttpStatusCode.OK);
        var next = await (await client.GetAsync(new Uri($"{org}/assignments/{batch.AssignmentId}/next", UriKind.Relative), ct)).ReadAsync<SendInitialMessage.Next>(HttpStatusCode.OK);
        var sent = await client.PostAsJsonAsync(new Uri($"{org}/assignments/{batch.AssignmentId}/contacts/{next.ContactId}/send", UriKind.Relative), new { }, ct);

        Assert.Equal(CampaignStatus.Active, campaign.Status);
        Assert.Equal(20, batch.Contacts.Count);
        Assert.Contains("Ballots from overseas voters are due soon", next.Text, StringComparison.Ordinal);
        await sent.ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        Assert.All(await app.WithDbAsync(db => db.Contacts.IgnoreQueryFilters().Select(c => c.PhoneE164).ToListAsync(ct)),
            phone => Assert.Matches(@"^\+1\d{3}55501\d{2}$", phone));
    }
}
