using System.Net;
using System.Net.Http.Json;
using System.Text;
using Chorus.Features.Accounts;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Http;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Chorus.IntegrationTests.Platform;

public sealed class BadInputTests
{
    [Theory, BothDatabases]
    public async Task Malformed_json_answers_400_problem_details_and_writes_nothing(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        using var body = new StringContent("{\"role\": \"Texter\",", Encoding.UTF8, "application/json");

        var response = await org.Owner.Client.PostAsync(new Uri($"/api/v1/orgs/{org.Slug}/join-links", UriKind.Relative), body, TestContext.Current.CancellationToken);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(0, await app.Seed.CountAsync(db => db.JoinLinks.IgnoreQueryFilters()));
    }

    [Theory, BothDatabases]
    public async Task An_over_long_organization_name_is_refused_with_the_field_named(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var user = await app.Seed.UserAsync();

        var response = await user.Client.PostAsJsonAsync(new Uri("/api/v1/orgs", UriKind.Relative), new { name = new string('a', 5000) }, TestContext.Current.CancellationToken);

        var problem = await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.True(problem.TryGetProperty("errors", out var errors) && errors.EnumerateObject().Any(e => e.Name.Equals("name", StringComparison.OrdinalIgnoreCase)), problem.ToString());
        Assert.Equal(0, await app.Seed.CountAsync(db => db.Organizations));
    }

    [Theory, BothDatabases]
    public async Task An_unknown_role_is_refused(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var texter = await app.Seed.MemberAsync(org, Chorus.Features.Organizations.OrgRole.Texter);

        var response = await org.Owner.Client.PatchAsJsonAsync(new Uri($"/api/v1/orgs/{org.Slug}/members/{texter.Id}", UriKind.Relative), new { role = "Emperor" }, TestContext.Current.CancellationToken);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
    }

    [Theory, BothDatabases]
    public async Task A_second_account_with_the_same_email_is_refused_whatever_its_case(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var existing = await app.Seed.UserAsync("Volunteer@Example.org");

        var outcome = await app.WithScopeAsync(sp => RegisterAccount.ExecuteAsync(
            new RegisterAccount.Request("volunteer@example.ORG", "another long password", null), sp.GetRequiredService<UserManager<AppUser>>(), TimeProvider.System));

        Assert.Equal(FailureKind.Conflict, outcome.Failure?.Kind);
        Assert.Equal(1, await app.Seed.CountAsync(db => db.Users));
        Assert.NotNull(existing);
    }

    [Theory]
    [InlineData("short")]
    [InlineData("aaaaaaaaaaaa")]
    public async Task A_weak_password_is_refused_with_the_rule_it_breaks(string password)
    {
        await using var app = await ChorusApp.StartAsync(DatabaseProvider.Sqlite);

        var outcome = await app.WithScopeAsync(sp => RegisterAccount.ExecuteAsync(
            new RegisterAccount.Request("new@example.org", password, null), sp.GetRequiredService<UserManager<AppUser>>(), TimeProvider.System));

        Assert.Equal(FailureKind.Invalid, outcome.Failure?.Kind);
        Assert.True(outcome.Failure!.Errors!.ContainsKey("password"));
        Assert.Equal(0, await app.Seed.CountAsync(db => db.Users));
    }
}
