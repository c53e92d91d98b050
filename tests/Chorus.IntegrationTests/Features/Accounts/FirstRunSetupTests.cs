using Chorus.Features.Accounts;
using Chorus.Features.Organizations;
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
}
