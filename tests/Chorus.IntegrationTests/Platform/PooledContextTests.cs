using Chorus.Features.Organizations;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Chorus.IntegrationTests.Platform;

/// <summary>
/// Scopes lease their <see cref="AppDbContext"/> from EF Core's pool, so one context instance serves scope after scope.
/// Each lease must act for its own scope's organization and nobody else's (DESIGN.md invariant 6).
/// </summary>
public sealed class PooledContextTests
{
    [Theory, BothDatabases]
    public async Task A_context_reused_from_the_pool_admits_only_the_new_scopes_organization(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var first = await app.Seed.OrganizationAsync();
        var second = await app.Seed.OrganizationAsync();
        await AddJoinLinkAsync(app, first, "first-org-link");
        await AddJoinLinkAsync(app, second, "second-org-link");

        // Ten scopes for one organization, then ten for the other: whatever the order the pool hands out its instances
        // (at most ten here), one of them serves both.
        var orgs = Enumerable.Range(0, 20).Select(i => i < 10 ? first : second).ToList();
        var seen = new List<(TestOrg Org, AppDbContext Context, string[] Codes)>();
        foreach (var org in orgs)
        {
            seen.Add(await app.WithScopeAsync(async sp =>
            {
                sp.GetRequiredService<CurrentOrganization>().Set(org.Id, org.Slug, OrgRole.Owner);
                var db = sp.GetRequiredService<AppDbContext>();
                return (org, db, await db.JoinLinks.Select(l => l.Code).ToArrayAsync(TestContext.Current.CancellationToken));
            }));
        }

        var unset = await app.WithScopeAsync(async sp =>
            await sp.GetRequiredService<AppDbContext>().JoinLinks.Select(l => l.Code).ToArrayAsync(TestContext.Current.CancellationToken));

        // Some instance served both organizations: otherwise this test would prove nothing about reuse.
        Assert.Contains(seen.GroupBy(s => s.Context, ReferenceEqualityComparer.Instance), g => g.Select(s => s.Org.Id).Distinct().Count() == 2);
        Assert.All(seen, s => Assert.Equal([s.Org == first ? "first-org-link" : "second-org-link"], s.Codes));
        Assert.Empty(unset);
    }

    private static Task<int> AddJoinLinkAsync(ChorusApp app, TestOrg org, string code) =>
        app.WithDbAsync(db =>
        {
            db.JoinLinks.Add(new JoinLink { OrganizationId = org.Id, Code = code, CreatedByUserId = org.Owner.Id, CreatedUtc = app.Clock.GetUtcNow().UtcDateTime });
            return db.SaveChangesAsync(TestContext.Current.CancellationToken);
        });
}
