using System.Globalization;
using System.Net;
using Chorus.Features.Accounts;
using Chorus.Features.Audit;
using Chorus.Features.Campaigns;
using Chorus.Features.Contacts;
using Chorus.Features.Messaging;
using Chorus.Features.Messaging.Simulator;
using Chorus.Features.OptOuts;
using Chorus.Features.Organizations;
using Chorus.Infrastructure.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;

namespace Chorus.BrowserTests;

/// <summary>
/// The real app on Kestrel (a browser can't reach the in-memory test server), on its own SQLite file that the app
/// migrates at start and that is deleted afterwards (or on a PostgreSQL database, <see cref="PostgresConnectionString"/>).
/// One per test class.
/// </summary>
public sealed class ChorusServer : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string Password = "correct horse battery";

    private readonly string _databasePath = Path.Combine(Path.GetTempPath(), $"chorus-browser-{Guid.NewGuid():N}.db");

    private readonly List<IBrowserContext> _browsers = [];

    public string BaseUrl { get; private set; } = "";

    /// <summary>Set to run on PostgreSQL instead of its own SQLite file (several servers may share one database).</summary>
    public string? PostgresConnectionString { get; init; }

    public ValueTask InitializeAsync()
    {
        // Not UseKestrel(0): that clears the server's addresses after the app has begun to start on its own thread, and
        // fails now and then when Kestrel binds first (dotnet/aspnetcore#67714). A listen option is applied at bind.
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        StartServer();
        var addresses = Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses;
        BaseUrl = addresses.First().Replace("[::]", "localhost", StringComparison.Ordinal).TrimEnd('/');
        return ValueTask.CompletedTask;
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseSetting("Database:Provider", PostgresConnectionString is null ? "Sqlite" : "Postgres");
        builder.UseSetting("ConnectionStrings:Chorus", PostgresConnectionString ?? $"Data Source={_databasePath}");
        builder.ConfigureServices(services =>
        {
            // On an empty database it issues a set-up token of its own at start, which would replace the one a
            // test issues.
            var announcer = services.Single(s => s.ImplementationType == typeof(FirstRunSetupAnnouncer));
            services.Remove(announcer);
        });
        // The dispatcher and the simulator run in the background as in a demo, but simulated voters never answer on
        // their own: a journey's replies are the ones it injects (InjectInboundAsync), never a random STOP.
        builder.UseSetting("Chorus:Simulator:ReplyShare", "0");
        // …and the simulated network delivers every text: by default 5% end undelivered or failed at random, and once
        // in ./test.sh a journey whose first text drew 30006 never showed the reply it sent next. The screens for those
        // statuses are tested with seeded messages (SeedMessageAsync).
        builder.UseSetting("Chorus:Simulator:UndeliveredShare", "0");
        builder.UseSetting("Chorus:Simulator:FailedShare", "0");

        // Webhook receivers in these tests listen on this machine over plain http.
        builder.UseSetting("Chorus:Integrations:Webhooks:AllowLoopbackHttp", "true");
    }

    public async Task<string> IssueSetupTokenAsync()
    {
        await using var scope = Services.CreateAsyncScope();
        return await FirstRunSetup.IssueTokenAsync(
            scope.ServiceProvider.GetRequiredService<AppDbContext>(), scope.ServiceProvider.GetRequiredService<TimeProvider>(), TestContext.Current.CancellationToken);
    }

    public async Task<AppUser> CreateUserAsync(string email, string displayName)
    {
        await using var scope = Services.CreateAsyncScope();
        var outcome = await RegisterAccount.ExecuteAsync(
            new RegisterAccount.Request(email, Password, displayName),
            scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>(),
            scope.ServiceProvider.GetRequiredService<TimeProvider>());
        return outcome.Value ?? throw new InvalidOperationException(outcome.Failure!.Message);
    }

    /// <summary>Creates an organization owned by <paramref name="owner"/>; returns its slug.</summary>
    public async Task<string> CreateOrganizationAsync(string name, AppUser owner)
    {
        await using var scope = Services.CreateAsyncScope();
        var outcome = await CreateOrganization.ExecuteAsync(name, owner.Id, new AuditActor(owner.Id, owner.Email!),
            scope.ServiceProvider.GetRequiredService<AppDbContext>(), scope.ServiceProvider.GetRequiredService<TimeProvider>(), TestContext.Current.CancellationToken);
        return outcome.Value?.Slug ?? throw new InvalidOperationException(outcome.Failure!.Message);
    }

    /// <summary>Creates a join link as <paramref name="owner"/> would on the join links page; returns its code.</summary>
    public async Task<string> CreateJoinLinkAsync(string slug, AppUser owner, OrgRole role, int? maxUses = null)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var access = await OrganizationAccess.FindAsync(db, slug, owner.Id, ct) ?? throw new InvalidOperationException("Not a member.");
        var current = scope.ServiceProvider.GetRequiredService<CurrentOrganization>();
        current.Set(access.OrganizationId, access.Slug, access.Role);
        var link = await CreateJoinLink.ExecuteAsync(new CreateJoinLink.Request(role, null, maxUses), new AuditActor(owner.Id, owner.Email!), current, db,
            scope.ServiceProvider.GetRequiredService<TimeProvider>(), ct);
        return link.Value?.Code ?? throw new InvalidOperationException(link.Failure!.Message);
    }

    /// <summary>Adds a member the way people really join: the owner creates a link and the member accepts it.</summary>
    public async Task AddMemberAsync(string slug, AppUser owner, AppUser member, OrgRole role)
    {
        var code = await CreateJoinLinkAsync(slug, owner, role, maxUses: 1);
        await using var scope = Services.CreateAsyncScope();
        var joined = await AcceptJoinLink.ExecuteAsync(code, member.Id, member.Email!, scope.ServiceProvider.GetRequiredService<AppDbContext>(),
            scope.ServiceProvider.GetRequiredService<TimeProvider>(), TestContext.Current.CancellationToken);
        if (joined.Failure is { } failure)
        {
            throw new InvalidOperationException(failure.Message);
        }
    }

    /// <summary>
    /// Creates a draft campaign as <paramref name="owner"/> would in the editor, with a script when given one and,
    /// optionally, a survey question; returns its id.
    /// </summary>
    public async Task<Guid> CreateCampaignAsync(string slug, AppUser owner, string title, string? initialMessage = null,
        SaveScript.QuestionRequest? question = null, string? description = null)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var access = await OrganizationAccess.FindAsync(db, slug, owner.Id, ct) ?? throw new InvalidOperationException("Not a member.");
        var current = scope.ServiceProvider.GetRequiredService<CurrentOrganization>();
        current.Set(access.OrganizationId, access.Slug, access.Role);
        var actor = new AuditActor(owner.Id, owner.Email!);
        var campaign = await CreateCampaign.ExecuteAsync(new CreateCampaign.Request(title, description), actor, current, db, clock, ct);
        var id = campaign.Value?.Id ?? throw new InvalidOperationException(campaign.Failure!.Message);
        if (initialMessage is not null)
        {
            var script = await SaveScript.ExecuteAsync(id, new SaveScript.Request(initialMessage, question), actor, db, clock, ct);
            if (script.Failure is { } failure)
            {
                throw new InvalidOperationException(failure.Message);
            }
        }

        return id;
    }

    public async Task CreateCannedResponseAsync(string slug, AppUser owner, Guid campaignId, string title, string text, params string[] tags)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var access = await OrganizationAccess.FindAsync(db, slug, owner.Id, ct) ?? throw new InvalidOperationException("Not a member.");
        var current = scope.ServiceProvider.GetRequiredService<CurrentOrganization>();
        current.Set(access.OrganizationId, access.Slug, access.Role);
        var outcome = await CannedResponses.CreateAsync(campaignId, new CannedResponses.Request(title, text, tags), new AuditActor(owner.Id, owner.Email!),
            current, db, scope.ServiceProvider.GetRequiredService<TimeProvider>(), ct);
        if (outcome.Failure is { } failure)
        {
            throw new InvalidOperationException(failure.Message);
        }
    }

    public async Task UpdateCampaignAsync(string slug, AppUser owner, Guid campaignId, UpdateCampaign.Request request)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var access = await OrganizationAccess.FindAsync(db, slug, owner.Id, ct) ?? throw new InvalidOperationException("Not a member.");
        scope.ServiceProvider.GetRequiredService<CurrentOrganization>().Set(access.OrganizationId, access.Slug, access.Role);
        var outcome = await UpdateCampaign.ExecuteAsync(campaignId, request, new AuditActor(owner.Id, owner.Email!), db,
            scope.ServiceProvider.GetRequiredService<TimeProvider>(), ct);
        if (outcome.Failure is { } failure)
        {
            throw new InvalidOperationException(failure.Message);
        }
    }

    /// <summary>Moves a campaign through its lifecycle as the editor's status buttons do.</summary>
    public async Task ChangeCampaignStatusAsync(string slug, AppUser owner, Guid campaignId, ChangeCampaignStatus.Transition transition)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var access = await OrganizationAccess.FindAsync(db, slug, owner.Id, ct) ?? throw new InvalidOperationException("Not a member.");
        scope.ServiceProvider.GetRequiredService<CurrentOrganization>().Set(access.OrganizationId, access.Slug, access.Role);
        var outcome = await ChangeCampaignStatus.ExecuteAsync(campaignId, transition, new AuditActor(owner.Id, owner.Email!), db,
            scope.ServiceProvider.GetRequiredService<TimeProvider>(), ct);
        if (outcome.Failure is { } failure)
        {
            throw new InvalidOperationException(failure.Message);
        }
    }

    public async Task<(CampaignStatus Status, string InitialMessage, ScriptQuestion? Question)> CampaignAsync(Guid campaignId)
    {
        var campaign = await SavedCampaignAsync(campaignId);
        return (campaign.Status, campaign.InitialMessage, ScriptQuestion.FromJson(campaign.QuestionJson));
    }

    /// <summary>The campaign as stored.</summary>
    public async Task<Campaign> SavedCampaignAsync(Guid campaignId)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Campaigns.IgnoreQueryFilters().AsNoTracking()
            .FirstAsync(c => c.Id == campaignId, TestContext.Current.CancellationToken);
    }

    /// <summary>
    /// Records a message as the pipeline would have left it, with its status history (oldest step first); the
    /// sending and webhook paths have their own tests.
    /// </summary>
    public async Task SeedMessageAsync(string slug, MessageDirection direction, string phone, string body, MessageStatus status,
        MessageStatus[]? history = null, bool likelyOptOut = false, int? errorCode = null, string? errorMessage = null, TimeSpan? ago = null)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var organizationId = await db.Organizations.IgnoreQueryFilters().Where(o => o.Slug == slug).Select(o => o.Id).FirstAsync(ct);
        var at = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime - (ago ?? TimeSpan.Zero);
        var inbound = direction == MessageDirection.Inbound;
        var message = new Message
        {
            OrganizationId = organizationId,
            Direction = direction,
            Kind = inbound ? MessageKind.Incoming : MessageKind.Reply,
            Phone = phone,
            OurNumber = "+12025550100",
            Body = body,
            Segments = 1,
            Provider = MessagingSettings.Simulator,
            ProviderMessageId = $"SM{Guid.NewGuid():N}",
            Status = status,
            ErrorCode = errorCode,
            ErrorMessage = errorMessage,
            Carrier = inbound ? null : "Verizon Wireless",
            Keyword = likelyOptOut ? "LikelyOptOut" : null,
            NeedsOptOutReview = likelyOptOut,
            CreatedUtc = at,
            UpdatedUtc = at,
            NotBeforeUtc = at,
        };
        db.Messages.Add(message);
        foreach (var (step, i) in (history ?? []).Select((step, i) => (step, i)))
        {
            db.MessageStatusChanges.Add(new MessageStatusChange
            {
                OrganizationId = organizationId,
                MessageId = message.Id,
                Status = step,
                Detail = StatusWord(step),
                ErrorCode = step is MessageStatus.Undelivered or MessageStatus.Failed ? errorCode : null,
                OccurredUtc = at.AddSeconds(i * 2),
            });
        }

        await db.SaveChangesAsync(ct);
    }

    private static string StatusWord(MessageStatus status) => status switch
    {
        MessageStatus.Queued => "created",
        MessageStatus.Sending => "claimed",
        MessageStatus.Submitted => "queued",
        MessageStatus.Sent => "sent",
        MessageStatus.Delivered => "delivered",
        MessageStatus.Undelivered => "undelivered",
        MessageStatus.Failed => "failed",
        MessageStatus.Received => "received",
        _ => "reconciled",
    };

    /// <summary>
    /// Adds contacts to a campaign as an upload would, in a time zone where it is early afternoon now, so their
    /// texting window is open whenever the test runs.
    /// </summary>
    public Task SeedContactsAsync(string slug, Guid campaignId, params (string FirstName, string LastName, string Phone)[] contacts) =>
        SeedContactsAsync(slug, campaignId, 13, contacts);

    /// <summary>Adds contacts in a time zone where it is now <paramref name="localHour"/> o'clock.</summary>
    public async Task SeedContactsAsync(string slug, Guid campaignId, int localHour, params (string FirstName, string LastName, string Phone)[] contacts)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var organizationId = await db.Organizations.IgnoreQueryFilters().Where(o => o.Slug == slug).Select(o => o.Id).FirstAsync(ct);
        var now = scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime;
        var offset = localHour - now.Hour;
        offset = offset > 14 ? offset - 24 : offset < -12 ? offset + 24 : offset;
        // Etc/GMT zones count the other way round: Etc/GMT-5 is five hours ahead of UTC.
        var zone = offset == 0 ? "Etc/UTC" : string.Create(CultureInfo.InvariantCulture, $"Etc/GMT{(offset > 0 ? "-" : "+")}{Math.Abs(offset)}");
        foreach (var (first, last, phone) in contacts)
        {
            db.Contacts.Add(new Contact
            {
                OrganizationId = organizationId,
                CampaignId = campaignId,
                PhoneE164 = phone,
                FirstName = first,
                LastName = last,
                TimeZones = zone,
                TimeZoneSource = "Test",
                CreatedUtc = now,
            });
        }

        await db.SaveChangesAsync(ct);
    }

    /// <summary>A voter texts the organization: the simulator posts the signed webhook, as the simulator page does.</summary>
    public async Task InjectInboundAsync(string slug, string from, string body)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var organization = await db.Organizations.IgnoreQueryFilters().Where(o => o.Slug == slug).Select(o => new { o.Id, o.Slug }).FirstAsync(ct);
        scope.ServiceProvider.GetRequiredService<CurrentOrganization>().Set(organization.Id, organization.Slug, OrgRole.Owner);
        var accounts = scope.ServiceProvider.GetRequiredService<MessagingAccounts>();
        var settings = await accounts.GetOrCreateAsync(db, organization.Id, scope.ServiceProvider.GetRequiredService<TimeProvider>().GetUtcNow().UtcDateTime, ct);
        var to = await db.Messages.Where(m => m.Phone == from && m.OurNumber != null).OrderByDescending(m => m.CreatedUtc).Select(m => m.OurNumber).FirstOrDefaultAsync(ct)
            ?? SimulatorOptions.DefaultNumber;
        var posted = await scope.ServiceProvider.GetRequiredService<SimulatorNetwork>().PostInboundAsync(accounts.Account(settings, slug)!, from, to, body, ct);
        if (!posted.Accepted)
        {
            throw new InvalidOperationException($"The inbound webhook answered {(int)posted.StatusCode}.");
        }
    }

    /// <summary>The organization's outbound messages of one kind, with the contact each went to.</summary>
    public async Task<List<(Guid? ContactId, string Body)>> OutboundMessagesAsync(string slug, MessageKind kind)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var rows = await db.Messages.IgnoreQueryFilters()
            .Where(m => m.Direction == MessageDirection.Outbound && m.Kind == kind && db.Organizations.Any(o => o.Id == m.OrganizationId && o.Slug == slug))
            .Select(m => new { m.ContactId, m.Body }).ToListAsync(TestContext.Current.CancellationToken);
        return [.. rows.Select(r => (r.ContactId, r.Body))];
    }

    /// <summary>Puts a number on the opt-out list as <paramref name="owner"/> would on the opt-outs page.</summary>
    public async Task AddOptOutAsync(string slug, AppUser owner, string phone, string source, string? reason = null)
    {
        var ct = TestContext.Current.CancellationToken;
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        var access = await OrganizationAccess.FindAsync(db, slug, owner.Id, ct) ?? throw new InvalidOperationException("Not a member.");
        var current = scope.ServiceProvider.GetRequiredService<CurrentOrganization>();
        current.Set(access.OrganizationId, access.Slug, access.Role);
        var outcome = await OptOutList.AddAsync(new OptOutList.AddRequest(phone, reason), source, new AuditActor(owner.Id, owner.Email!), current, db,
            scope.ServiceProvider.GetRequiredService<TimeProvider>(), ct);
        if (outcome.Failure is { } failure)
        {
            throw new InvalidOperationException(failure.Message);
        }
    }

    /// <summary>Marks a contact's number as unable to receive texts, as a provider's 30006 (landline) callback does.</summary>
    public async Task MarkNumberBadAsync(string slug, string phone)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        await db.Contacts.IgnoreQueryFilters()
            .Where(c => c.PhoneE164 == phone && db.Organizations.Any(org => org.Id == c.OrganizationId && org.Slug == slug))
            .ExecuteUpdateAsync(s => s.SetProperty(c => c.BadNumber, true), TestContext.Current.CancellationToken);
    }

    /// <summary>The actions of the organization's audit log, oldest first.</summary>
    public async Task<List<string>> AuditActionsAsync(string slug)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.AuditEvents.IgnoreQueryFilters()
            .Where(e => db.Organizations.Any(o => o.Id == e.OrganizationId && o.Slug == slug))
            .OrderBy(e => e.Sequence).Select(e => e.Action).ToListAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>How many of the campaign's contacts no texter holds.</summary>
    public async Task<int> UnassignedContactsAsync(Guid campaignId)
    {
        await using var scope = Services.CreateAsyncScope();
        return await scope.ServiceProvider.GetRequiredService<AppDbContext>().Contacts.IgnoreQueryFilters()
            .CountAsync(c => c.CampaignId == campaignId && c.AssignmentId == null, TestContext.Current.CancellationToken);
    }

    public async Task<bool> IsOptedOutAsync(string slug, string phone)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.OptOuts.IgnoreQueryFilters()
            .AnyAsync(o => o.PhoneE164 == phone && db.Organizations.Any(org => org.Id == o.OrganizationId && org.Slug == slug), TestContext.Current.CancellationToken);
    }

    public async Task<OrgRole?> RoleOfAsync(string email, string slug)
    {
        await using var scope = Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<AppDbContext>();
        return await db.Memberships.IgnoreQueryFilters()
            .Where(m => db.Users.Any(u => u.Id == m.UserId && u.Email == email) && db.Organizations.Any(o => o.Id == m.OrganizationId && o.Slug == slug))
            .Select(m => (OrgRole?)m.Role)
            .FirstOrDefaultAsync(TestContext.Current.CancellationToken);
    }

    /// <summary>
    /// Browsers opened against this server are closed before it stops: their open circuits would otherwise hold
    /// Kestrel's graceful shutdown until it times out.
    /// </summary>
    public void Closes(IBrowserContext browser)
    {
        lock (_browsers)
        {
            _browsers.Add(browser);
        }
    }

    public override async ValueTask DisposeAsync()
    {
        foreach (var browser in _browsers)
        {
            await browser.CloseAsync();
        }

        await base.DisposeAsync();
        SqliteConnection.ClearAllPools();
        foreach (var suffix in new[] { "", "-wal", "-shm" })
        {
            File.Delete(_databasePath + suffix);
        }
    }
}
