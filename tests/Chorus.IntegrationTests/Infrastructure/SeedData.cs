using Chorus.Features.Accounts;
using Chorus.Features.Audit;
using Chorus.Features.Organizations;
using Chorus.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Chorus.IntegrationTests.Infrastructure;

/// <summary>A person in a test: their account, their token, and a client that uses it.</summary>
public sealed record TestUser(Guid Id, string Email, string Password, string Token, HttpClient Client);

/// <summary>An organization in a test, with its owner.</summary>
public sealed record TestOrg(Guid Id, string Slug, TestUser Owner);

/// <summary>Test data builders with valid defaults, so a test states only what matters to it.</summary>
public sealed class SeedData(ChorusApp app)
{
    public const string Password = "correct horse battery";

    public async Task<TestUser> UserAsync(string? email = null)
    {
        email ??= $"person-{Guid.NewGuid():N}@example.org";
        var (id, token) = await app.WithScopeAsync(async sp =>
        {
            var clock = sp.GetRequiredService<TimeProvider>();
            var user = await RegisterAccount.ExecuteAsync(new RegisterAccount.Request(email, Password, null), sp.GetRequiredService<UserManager<AppUser>>(), clock);
            var created = await CreateApiToken.ExecuteAsync(user.Value!.Id, email, "tests", sp.GetRequiredService<AppDbContext>(), clock, TestContext.Current.CancellationToken);
            return (user.Value.Id, created.Value!.Token);
        });
        return new TestUser(id, email, Password, token, app.ClientWithToken(token));
    }

    public async Task<TestOrg> OrganizationAsync(string? name = null)
    {
        var owner = await UserAsync();
        var created = await app.WithScopeAsync(sp => CreateOrganization.ExecuteAsync(
            name ?? $"Org {Guid.NewGuid():N}"[..12], owner.Id, new AuditActor(owner.Id, owner.Email),
            sp.GetRequiredService<AppDbContext>(), sp.GetRequiredService<TimeProvider>(), TestContext.Current.CancellationToken));
        return new TestOrg(created.Value!.Id, created.Value.Slug, owner);
    }

    public async Task<TestUser> MemberAsync(TestOrg org, OrgRole role)
    {
        var user = await UserAsync();
        await app.WithDbAsync(async db =>
        {
            db.Memberships.Add(new Membership { OrganizationId = org.Id, UserId = user.Id, Role = role, CreatedUtc = app.Clock.GetUtcNow().UtcDateTime });
            return await db.SaveChangesAsync();
        });
        return user;
    }

    /// <summary>The user's role in the organization, or null when they are not a member.</summary>
    public Task<OrgRole?> RoleOfAsync(TestOrg org, TestUser user) =>
        app.WithDbAsync(db => db.Memberships.IgnoreQueryFilters()
            .Where(m => m.OrganizationId == org.Id && m.UserId == user.Id).Select(m => (OrgRole?)m.Role).FirstOrDefaultAsync());

    public Task<int> CountAsync<T>(Func<AppDbContext, IQueryable<T>> query) =>
        app.WithDbAsync(db => query(db).CountAsync());
}
