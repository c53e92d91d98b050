using System.Security.Cryptography;
using Chorus.Features.Accounts;
using Chorus.Features.Audit;
using Chorus.Features.Organizations;
using Chorus.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Infrastructure.Hosting;

/// <summary>
/// Seeds the demo organization for `demo`: an owner, a supervisor, two texters and a launched campaign (<see cref="DemoCampaign"/>). Passwords are new and random on
/// every run (earlier ones are reset), so a demo instance never ships with a known password.
/// </summary>
public static class DemoSeeder
{
    public const string OrganizationName = "Demo Campaign";

    private static readonly (string Email, string Name, OrgRole Role)[] People =
    [
        ("owner@demo.chorus.test", "Olivia Owner", OrgRole.Owner),
        ("supervisor@demo.chorus.test", "Sam Supervisor", OrgRole.Supervisor),
        ("texter1@demo.chorus.test", "Tariq Texter", OrgRole.Texter),
        ("texter2@demo.chorus.test", "Teresa Texter", OrgRole.Texter),
    ];

    public static async Task<IReadOnlyList<(string Email, string Password, OrgRole Role)>> SeedAsync(IServiceProvider services, TextWriter output, CancellationToken ct)
    {
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var now = clock.GetUtcNow().UtcDateTime;

        var organization = await db.Organizations.FirstOrDefaultAsync(o => o.Slug == Organization.SlugFrom(OrganizationName), ct);
        if (organization is null)
        {
            organization = new Organization { Name = OrganizationName, Slug = Organization.SlugFrom(OrganizationName), CreatedUtc = now };
            db.Organizations.Add(organization);
            AuditEvent.Record(db, organization.Id, AuditActor.Cli, "organization.created", $"organization:{organization.Id}", new { organization.Name, organization.Slug, demo = true }, now);
            await db.SaveChangesAsync(ct);
        }

        var credentials = new List<(string, string, OrgRole)>();
        AuditActor? owner = null;
        foreach (var (email, name, role) in People)
        {
            var password = $"demo-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(6))}";
            var user = await users.FindByEmailAsync(email);
            if (user is null)
            {
                user = new AppUser { Id = Guid.CreateVersion7(), UserName = email, Email = email, DisplayName = name, CreatedUtc = now, EmailConfirmed = true };
                Check(await users.CreateAsync(user, password));
            }
            else
            {
                Check(await users.RemovePasswordAsync(user));
                Check(await users.AddPasswordAsync(user, password));
                await users.SetLockoutEndDateAsync(user, null);
            }

            if (!await db.Memberships.IgnoreQueryFilters().AnyAsync(m => m.OrganizationId == organization.Id && m.UserId == user.Id, ct))
            {
                db.Memberships.Add(new Membership { OrganizationId = organization.Id, UserId = user.Id, Role = role, CreatedUtc = now });
                AuditEvent.Record(db, organization.Id, AuditActor.Cli, "member.added", $"user:{user.Id}", new { role = role.ToString(), demo = true }, now);
                await db.SaveChangesAsync(ct);
            }

            credentials.Add((email, password, role));
            if (role == OrgRole.Owner)
            {
                owner = new AuditActor(user.Id, email);
            }
        }

        await DemoCampaign.SeedAsync(organization, owner!, scope.ServiceProvider.GetRequiredService<CurrentOrganization>(), db, clock, ct);

        await output.WriteLineAsync($"Demo organization '{organization.Name}' (/orgs/{organization.Slug}) is ready, with the campaign '{DemoCampaign.Title}' launched. Log in as:");
        foreach (var (email, password, role) in credentials)
        {
            await output.WriteLineAsync($"  {role,-10} {email,-32} {password}");
        }

        return credentials;
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join(" ", result.Errors.Select(e => e.Description)));
        }
    }
}
