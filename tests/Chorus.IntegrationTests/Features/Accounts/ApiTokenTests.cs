using System.Net;
using System.Net.Http.Json;
using Chorus.Features.Accounts;
using Chorus.Features.Organizations;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Chorus.IntegrationTests.Features.Accounts;

public sealed class ApiTokenTests
{
    private static readonly Uri Me = new("/api/v1/me", UriKind.Relative);
    private static readonly Uri Tokens = new("/api/v1/me/tokens", UriKind.Relative);

    [Theory, BothDatabases]
    public async Task A_new_token_is_shown_once_works_at_once_and_is_stored_only_as_a_hash(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var user = await app.Seed.UserAsync();

        var created = await (await user.Client.PostAsJsonAsync(Tokens, new { name = "Laptop" }, TestContext.Current.CancellationToken))
            .ReadAsync<CreateApiToken.Response>(HttpStatusCode.Created);
        var me = await app.ClientWithToken(created.Token).GetAsync(Me, TestContext.Current.CancellationToken);
        var listed = await user.Client.GetStringAsync(Tokens, TestContext.Current.CancellationToken);
        var stored = await app.WithDbAsync(db => db.ApiTokens.SingleAsync(t => t.Id == created.Id));

        await me.ShouldHaveStatusAsync(HttpStatusCode.OK);
        Assert.Contains("Laptop", listed, StringComparison.Ordinal);
        Assert.DoesNotContain(created.Token, listed, StringComparison.Ordinal);
        Assert.Equal(ApiToken.Hash(created.Token), stored.TokenHash);
        Assert.NotEqual(created.Token, stored.TokenHash);
    }

    [Theory, BothDatabases]
    public async Task A_revoked_token_fails_on_the_very_next_request(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var user = await app.Seed.UserAsync();
        var created = await (await user.Client.PostAsJsonAsync(Tokens, new { name = "Phone" }, TestContext.Current.CancellationToken))
            .ReadAsync<CreateApiToken.Response>(HttpStatusCode.Created);
        var phone = app.ClientWithToken(created.Token);
        await (await phone.GetAsync(Me, TestContext.Current.CancellationToken)).ShouldHaveStatusAsync(HttpStatusCode.OK);

        var revoke = await user.Client.DeleteAsync(new Uri($"/api/v1/me/tokens/{created.Id}", UriKind.Relative), TestContext.Current.CancellationToken);
        var next = await phone.GetAsync(Me, TestContext.Current.CancellationToken);

        await revoke.ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        await next.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory, BothDatabases]
    public async Task A_tokens_standing_in_an_organization_is_read_on_every_request_and_only_for_the_organization_in_the_path(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var other = await app.Seed.OrganizationAsync();
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);
        static Uri In(string slug, string path) => new($"/api/v1/orgs/{slug}/{path}", UriKind.Relative);
        var ct = TestContext.Current.CancellationToken;

        await (await texter.Client.GetAsync(In(org.Slug, "assignments"), ct)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await (await texter.Client.GetAsync(In(org.Slug, "members"), ct)).ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await (await texter.Client.GetAsync(In(other.Slug, "assignments"), ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await texter.Client.GetAsync(In("no-such-organization", "assignments"), ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound);

        var member = In(org.Slug, $"members/{texter.Id}");
        await (await org.Owner.Client.PatchAsJsonAsync(member, new { role = "Supervisor" }, ct)).ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        await (await texter.Client.GetAsync(In(org.Slug, "members"), ct)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        await (await org.Owner.Client.DeleteAsync(member, ct)).ShouldHaveStatusAsync(HttpStatusCode.NoContent);
        await (await texter.Client.GetAsync(In(org.Slug, "assignments"), ct)).ShouldBeProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory, BothDatabases]
    public async Task Someone_elses_token_cannot_be_revoked(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var owner = await app.Seed.UserAsync();
        var other = await app.Seed.UserAsync();
        var ownersToken = await app.WithDbAsync(db => db.ApiTokens.FirstAsync(t => t.UserId == owner.Id));

        var response = await other.Client.DeleteAsync(new Uri($"/api/v1/me/tokens/{ownersToken.Id}", UriKind.Relative), TestContext.Current.CancellationToken);

        await response.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await (await owner.Client.GetAsync(Me, TestContext.Current.CancellationToken)).ShouldHaveStatusAsync(HttpStatusCode.OK);
    }

    [Theory, BothDatabases]
    public async Task Using_a_token_records_when_it_was_last_used(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var user = await app.Seed.UserAsync();
        app.Clock.Advance(TimeSpan.FromHours(2));

        await user.Client.GetAsync(Me, TestContext.Current.CancellationToken);

        var token = await app.WithDbAsync(db => db.ApiTokens.SingleAsync(t => t.UserId == user.Id));
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime, token.LastUsedUtc);
    }

    [Theory]
    [InlineData("Bearer chorus_not-a-real-token")]
    [InlineData("Bearer something-else")]
    [InlineData("Basic dXNlcjpwYXNz")]
    public async Task A_missing_malformed_or_unknown_token_answers_401_problem_details(string header)
    {
        await using var app = await ChorusApp.StartAsync(DatabaseProvider.Sqlite);
        var client = app.CreateClient();
        client.DefaultRequestHeaders.TryAddWithoutValidation("Authorization", header);

        var response = await client.GetAsync(Me, TestContext.Current.CancellationToken);

        await response.ShouldBeProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Theory, BothDatabases]
    public async Task A_token_needs_a_name_of_sensible_length_and_a_bad_request_writes_nothing(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var user = await app.Seed.UserAsync();

        var response = await user.Client.PostAsJsonAsync(Tokens, new { name = new string('x', 500) }, TestContext.Current.CancellationToken);

        await response.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(1, await app.Seed.CountAsync(db => db.ApiTokens.Where(t => t.UserId == user.Id)));
    }

    [Theory, BothDatabases]
    public async Task Me_lists_every_organization_the_caller_belongs_to_with_its_role(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var first = await app.Seed.OrganizationAsync("First Campaign");
        var second = await app.Seed.OrganizationAsync("Second Campaign");
        await app.Seed.MemberAsync(second, Chorus.Features.Organizations.OrgRole.Texter);
        await app.WithDbAsync(async db =>
        {
            db.Memberships.Add(new Chorus.Features.Organizations.Membership { OrganizationId = second.Id, UserId = first.Owner.Id, Role = Chorus.Features.Organizations.OrgRole.Supervisor });
            return await db.SaveChangesAsync();
        });

        var me = await (await first.Owner.Client.GetAsync(Me, TestContext.Current.CancellationToken)).ReadAsync<GetMe.Response>(HttpStatusCode.OK);

        Assert.Equal(first.Owner.Email, me.Email);
        Assert.Equal(
            [(first.Slug, Chorus.Features.Organizations.OrgRole.Owner), (second.Slug, Chorus.Features.Organizations.OrgRole.Supervisor)],
            me.Memberships.Select(m => (m.Slug, m.Role)).ToList());
    }
}
