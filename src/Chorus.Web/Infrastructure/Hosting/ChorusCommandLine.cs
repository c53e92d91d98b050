using System.CommandLine;
using Chorus.Features.Accounts;
using Chorus.Features.Audit;
using Chorus.Features.Organizations;
using Chorus.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Infrastructure.Hosting;

/// <summary>
/// The verbs of the one executable (DESIGN.md, public contract). Configuration flags (<c>--Database:Provider=Postgres</c>,
/// <c>--urls …</c>) pass through to the host on every verb; any other unknown argument is an error.
/// </summary>
public static class ChorusCommandLine
{
    private static readonly string[] HostOptions = ["--urls", "--environment", "--contentRoot", "--applicationName", "--webroot"];

    public static async Task<int> InvokeAsync(string[] args, Func<string[], WebApplication> buildApp)
    {
        var root = new RootCommand("Chorus: peer-to-peer texting for campaigns. With no verb, serves the web app.");
        root.SetAction((result, _) => ServeAsync(buildApp(HostArgs(result))));

        var migrate = new Command("migrate", "Applies pending database migrations, then exits (use for PostgreSQL deployments).");
        migrate.SetAction((result, ct) => MigrateAsync(buildApp(CliHostArgs(result)), ct));
        root.Subcommands.Add(migrate);

        var demo = new Command("demo", "Seeds a demo organization (owner, supervisor, two texters; passwords printed), then serves.");
        demo.SetAction(async (result, ct) =>
        {
            var app = buildApp(HostArgs(result));
            await MigrateIfConfiguredAsync(app, ct);
            await DemoSeeder.SeedAsync(app.Services, Console.Out, ct);
            return await ServeAsync(app);
        });
        root.Subcommands.Add(demo);
        root.Subcommands.Add(AdminCommand(buildApp));

        foreach (var command in root.Subcommands.Concat([root]).Concat(root.Subcommands.SelectMany(c => c.Subcommands)))
        {
            command.TreatUnmatchedTokensAsErrors = false;
        }

        var parsed = root.Parse(args);
        // One line, whatever the parser would have said over several.
        var problem = parsed.Errors.Select(e => string.Join(' ', e.Message.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)))
            .FirstOrDefault() ?? UnknownArgument(parsed);
        if (problem is not null)
        {
            await Console.Error.WriteLineAsync($"chorus: {problem} (see --help)");
            return 2;
        }

        return await parsed.InvokeAsync();
    }

    private static Command AdminCommand(Func<string[], WebApplication> buildApp)
    {
        var admin = new Command("admin", "Administration without the web UI: organizations, users, API tokens.");

        var orgName = new Option<string>("--name") { Description = "The organization's name.", Required = true };
        var ownerEmail = new Option<string>("--owner-email") { Description = "The owner's email (an existing account is reused).", Required = true };
        var ownerPassword = new Option<string>("--owner-password") { Description = "The owner's password, for a new account.", Required = true };
        var createOrg = new Command("create-org", "Creates an organization and its owner; prints the organization's slug.") { orgName, ownerEmail, ownerPassword };
        createOrg.SetAction((result, ct) => RunAdminAsync(buildApp, result, async (services, db, clock) =>
        {
            var users = services.GetRequiredService<UserManager<AppUser>>();
            var owner = await FindOrRegisterAsync(users, clock, result.GetValue(ownerEmail)!, result.GetValue(ownerPassword)!);
            if (owner.Failure is { } failure)
            {
                return failure.Message;
            }

            var created = await CreateOrganization.ExecuteAsync(result.GetValue(orgName)!, owner.Value!.Id, AuditActor.Cli, db, clock, ct);
            if (created.Failure is { } orgFailure)
            {
                return orgFailure.Message;
            }

            Console.WriteLine(created.Value!.Slug);
            return null;
        }, ct));

        var org = new Option<string>("--org") { Description = "The organization's slug.", Required = true };
        var email = new Option<string>("--email") { Description = "The person's email.", Required = true };
        var password = new Option<string>("--password") { Description = "The password, for a new account.", Required = true };
        var role = new Option<OrgRole>("--role") { Description = "Owner, Admin, Supervisor or Texter.", Required = true };
        var createUser = new Command("create-user", "Creates an account (or reuses one) and adds it to an organization with a role.") { org, email, password, role };
        createUser.SetAction((result, ct) => RunAdminAsync(buildApp, result, async (services, db, clock) =>
        {
            var slug = result.GetValue(org)!;
            var organization = await db.Organizations.FirstOrDefaultAsync(o => o.Slug == slug, ct);
            if (organization is null)
            {
                return $"no organization has the slug '{slug}'";
            }

            var users = services.GetRequiredService<UserManager<AppUser>>();
            var existing = await users.FindByEmailAsync(result.GetValue(email)!.Trim());
            if (existing is not null && await db.Memberships.IgnoreQueryFilters().AnyAsync(m => m.OrganizationId == organization.Id && m.UserId == existing.Id, ct))
            {
                return $"{existing.Email} is already a member of '{slug}'";
            }

            var user = await FindOrRegisterAsync(users, clock, result.GetValue(email)!, result.GetValue(password)!);
            if (user.Failure is { } failure)
            {
                return failure.Message;
            }

            var now = clock.GetUtcNow().UtcDateTime;
            var newRole = result.GetValue(role);
            db.Memberships.Add(new Membership { OrganizationId = organization.Id, UserId = user.Value!.Id, Role = newRole, CreatedUtc = now });
            AuditEvent.Record(db, organization.Id, AuditActor.Cli, "member.added", $"user:{user.Value.Id}", new { role = newRole.ToString() }, now);
            await db.SaveChangesAsync(ct);
            Console.WriteLine(user.Value.Id);
            return null;
        }, ct));

        var tokenEmail = new Option<string>("--email") { Description = "Whose token.", Required = true };
        var tokenName = new Option<string>("--name") { Description = "A name to recognise the token by.", DefaultValueFactory = _ => "cli" };
        var createToken = new Command("create-token", "Creates a personal API token and prints it (it is shown only once).") { tokenEmail, tokenName };
        createToken.SetAction((result, ct) => RunAdminAsync(buildApp, result, async (services, db, clock) =>
        {
            var user = await services.GetRequiredService<UserManager<AppUser>>().FindByEmailAsync(result.GetValue(tokenEmail)!.Trim());
            if (user is null)
            {
                return $"no account has the email '{result.GetValue(tokenEmail)}'";
            }

            var created = await CreateApiToken.ExecuteAsync(user.Id, "cli", result.GetValue(tokenName) ?? "cli", db, clock, ct);
            if (created.Failure is { } failure)
            {
                return failure.Message;
            }

            Console.WriteLine(created.Value!.Token);
            return null;
        }, ct));

        admin.Subcommands.Add(createOrg);
        admin.Subcommands.Add(createUser);
        admin.Subcommands.Add(createToken);
        return admin;
    }

    private static async Task<Http.Outcome<AppUser>> FindOrRegisterAsync(UserManager<AppUser> users, TimeProvider clock, string email, string password) =>
        await users.FindByEmailAsync(email.Trim()) is { } existing
            ? existing
            : await RegisterAccount.ExecuteAsync(new RegisterAccount.Request(email, password, null), users, clock);

    /// <summary>Runs one admin action in a scope; a returned message is a one-line error and exit code 1.</summary>
    private static async Task<int> RunAdminAsync(
        Func<string[], WebApplication> buildApp, ParseResult result,
        Func<IServiceProvider, AppDbContext, TimeProvider, Task<string?>> action, CancellationToken ct)
    {
        await using var app = buildApp(CliHostArgs(result));
        await MigrateIfConfiguredAsync(app, ct);
        await using var scope = app.Services.CreateAsyncScope();
        var error = await action(scope.ServiceProvider, scope.ServiceProvider.GetRequiredService<AppDbContext>(), scope.ServiceProvider.GetRequiredService<TimeProvider>());
        if (error is not null)
        {
            await Console.Error.WriteLineAsync($"chorus: {error}");
            return 1;
        }

        return 0;
    }

    private static async Task<int> MigrateAsync(WebApplication app, CancellationToken ct)
    {
        await using (app)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
            var pending = (await db.Database.GetPendingMigrationsAsync(ct)).ToList();
            await db.Database.MigrateAsync(ct);
            Console.WriteLine(pending.Count == 0 ? "The database is up to date." : $"Applied {pending.Count} migration(s): {string.Join(", ", pending)}");
            return 0;
        }
    }

    private static async Task MigrateIfConfiguredAsync(WebApplication app, CancellationToken ct)
    {
        var options = app.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<DatabaseOptions>>().Value;
        if (options.MigrateOnStartup)
        {
            await using var scope = app.Services.CreateAsyncScope();
            await scope.ServiceProvider.GetRequiredService<AppDbContext>().Database.MigrateAsync(ct);
        }
    }

    private static async Task<int> ServeAsync(WebApplication app)
    {
        // Before the host starts: some framework services (Data Protection's key ring) read the database as soon as
        // they exist, earlier than any hosted service could migrate it.
        await MigrateIfConfiguredAsync(app, CancellationToken.None);
        await app.RunAsync();
        return 0;
    }

    private static string[] HostArgs(ParseResult result) => [.. result.UnmatchedTokens];

    /// <summary>Verbs that print results keep logs quiet and on stderr, so stdout carries only the answer.</summary>
    private static string[] CliHostArgs(ParseResult result) =>
        [.. result.UnmatchedTokens, "--Logging:LogLevel:Default=Warning", "--Logging:Console:LogToStandardErrorThreshold=Trace"];

    private static string? UnknownArgument(ParseResult parsed)
    {
        var tokens = parsed.UnmatchedTokens;
        for (var i = 0; i < tokens.Count; i++)
        {
            var token = tokens[i];
            if (!token.StartsWith("--", StringComparison.Ordinal))
            {
                // A value following a "--Key value" pair.
                if (i > 0 && tokens[i - 1].StartsWith("--", StringComparison.Ordinal) && !tokens[i - 1].Contains('=', StringComparison.Ordinal))
                {
                    continue;
                }

                return $"unexpected argument '{token}'";
            }

            // "--Key=value" and "--Section:Key value" are configuration; anything else must be a known host option.
            var name = token.Split('=')[0];
            if (!token.Contains('=', StringComparison.Ordinal) && !name.Contains(':', StringComparison.Ordinal) && !HostOptions.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                return $"unknown option '{name}'";
            }
        }

        return null;
    }
}
