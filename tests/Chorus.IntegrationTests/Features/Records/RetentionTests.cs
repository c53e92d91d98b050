using System.Net;
using System.Net.Http.Json;
using Chorus.Features.Audit;
using Chorus.Features.Messaging;
using Chorus.Features.Organizations;
using Chorus.Features.Records;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Chorus.IntegrationTests.Features.Messaging.MessagingKit;

namespace Chorus.IntegrationTests.Features.Records;

public sealed class RetentionTests
{
    private const string Phone = "+12124567890";

    private static Uri Url(TestOrg org, string rest) => new($"/api/v1/orgs/{org.Slug}{rest}", UriKind.Relative);

    private sealed record Snapshot(Guid Id, string Body, DateTime? BodyPurgedUtc, MessageStatus Status, MessageKind Kind, int Segments, Guid? TexterUserId, string? Keyword, DateTime CreatedUtc);

    private static Task<List<Snapshot>> SnapshotAsync(ChorusApp app, Guid organizationId) =>
        app.WithDbAsync(db => db.Messages.IgnoreQueryFilters().Where(m => m.OrganizationId == organizationId).OrderBy(m => m.CreatedUtc).ThenBy(m => m.Id)
            .Select(m => new Snapshot(m.Id, m.Body, m.BodyPurgedUtc, m.Status, m.Kind, m.Segments, m.TexterUserId, m.Keyword, m.CreatedUtc)).ToListAsync(Ct));

    /// <summary>A first text, the voter's STOP and its confirmation: three messages, all at the start.</summary>
    private static async Task<TestOrg> HistoryAsync(ChorusApp app, string name)
    {
        var org = await app.Seed.OrganizationAsync(name);
        var campaign = await CampaignAsync(app, org);
        var contact = await ContactAsync(app, org, campaign, Phone);
        await QueueAsync(app, org, contact, "Hi Ana! Will you vote? Reply STOP to opt out");
        await DispatchAsync(app);
        (await PostWebhookAsync(app, $"/webhooks/simulator/{org.Slug}/inbound", Inbound($"SM{name}", Phone, "+12025550100", "STOP"), await SimulatorTokenAsync(app, org)))
            .EnsureSuccessStatusCode();
        await DispatchAsync(app);
        return org;
    }

    private static async Task<Guid> RecentAsync(ChorusApp app, TestOrg org)
    {
        var campaign = await CampaignAsync(app, org, "Later");
        var contact = await ContactAsync(app, org, campaign, "+12124567891");
        var id = await QueueAsync(app, org, contact, "A recent text");
        await DispatchAsync(app);
        return id;
    }

    [Theory, BothDatabases]
    public async Task A_purge_blanks_only_bodies_past_the_cutoff_and_keeps_counts_metadata_opt_outs_and_the_audit_chain(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await HistoryAsync(app, "Valley Voters");
        app.Clock.Advance(TimeSpan.FromDays(3 * 365));
        var recent = await RecentAsync(app, org);
        app.Clock.Advance(TimeSpan.FromDays((2 * 365) + 2));
        var before = await SnapshotAsync(app, org.Id);
        var optOutsBefore = await app.WithDbAsync(db => db.OptOuts.IgnoreQueryFilters().Where(o => o.OrganizationId == org.Id).Select(o => new { o.PhoneE164, o.Source, o.Reason, o.CreatedUtc }).ToListAsync(Ct));
        var auditBefore = await app.Seed.CountAsync(db => db.AuditEvents.IgnoreQueryFilters().Where(e => e.OrganizationId == org.Id));

        var result = await (await org.Owner.Client.PostAsync(Url(org, "/retention/purge"), null, Ct)).ReadAsync<PurgeMessageBodies.Result>(HttpStatusCode.OK);
        var after = await SnapshotAsync(app, org.Id);

        var old = before.Where(m => m.Id != recent).ToList();
        Assert.Equal(3, old.Count);
        Assert.Equal(3, result.Messages);
        Assert.Equal((old[0].CreatedUtc, old[^1].CreatedUtc), (result.OldestUtc, result.NewestUtc));
        Assert.Equal(app.Clock.GetUtcNow().UtcDateTime.AddYears(-5), result.CutoffUtc);
        Assert.Equal(before.Count, after.Count);
        Assert.All(after.Where(m => m.Id != recent), m => Assert.Equal((Message.PurgedBody, app.Clock.GetUtcNow().UtcDateTime), (m.Body, m.BodyPurgedUtc!.Value)));
        Assert.Equal(before.Single(m => m.Id == recent), after.Single(m => m.Id == recent));
        Assert.Equal(before.Select(m => (m.Id, m.Status, m.Kind, m.Segments, m.TexterUserId, m.Keyword, m.CreatedUtc)), after.Select(m => (m.Id, m.Status, m.Kind, m.Segments, m.TexterUserId, m.Keyword, m.CreatedUtc)));
        Assert.Equal(optOutsBefore, await app.WithDbAsync(db => db.OptOuts.IgnoreQueryFilters().Where(o => o.OrganizationId == org.Id).Select(o => new { o.PhoneE164, o.Source, o.Reason, o.CreatedUtc }).ToListAsync(Ct)));
        var audit = await app.WithDbAsync(db => db.AuditEvents.IgnoreQueryFilters().Where(e => e.OrganizationId == org.Id).OrderBy(e => e.Sequence).ToListAsync(Ct));
        Assert.Equal(auditBefore + 1, audit.Count);
        Assert.Equal(("retention.purged", org.Owner.Id), (audit[^1].Action, audit[^1].ActorUserId));
        Assert.Contains("\"messages\":3", audit[^1].Data, StringComparison.Ordinal);
        var verified = await (await org.Owner.Client.GetAsync(Url(org, "/audit/verify"), Ct)).ReadAsync<VerifyAuditChain.Response>(HttpStatusCode.OK);
        Assert.True(verified.Ok);
    }

    [Theory, BothDatabases]
    public async Task A_dry_run_shows_what_would_go_and_changes_nothing(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await HistoryAsync(app, "Valley Voters");
        app.Clock.Advance(TimeSpan.FromDays((5 * 365) + 3));
        var before = await SnapshotAsync(app, org.Id);
        var auditBefore = await app.Seed.CountAsync(db => db.AuditEvents.IgnoreQueryFilters().Where(e => e.OrganizationId == org.Id));

        var preview = await (await org.Owner.Client.PostAsync(Url(org, "/retention/dry-run"), null, Ct)).ReadAsync<PurgeMessageBodies.Result>(HttpStatusCode.OK);

        Assert.Equal(3, preview.Messages);
        Assert.Equal((before[0].CreatedUtc, before[^1].CreatedUtc), (preview.OldestUtc, preview.NewestUtc));
        Assert.Equal(before, await SnapshotAsync(app, org.Id));
        Assert.Equal(auditBefore, await app.Seed.CountAsync(db => db.AuditEvents.IgnoreQueryFilters().Where(e => e.OrganizationId == org.Id)));
    }

    [Theory, BothDatabases]
    public async Task The_scheduled_purge_follows_each_organizations_own_setting_in_small_batches(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var shortKeeper = await HistoryAsync(app, "Short Keeper");
        var longKeeper = await HistoryAsync(app, "Long Keeper");
        await (await shortKeeper.Owner.Client.PutAsJsonAsync(Url(shortKeeper, "/retention"), new { messageBodyYears = 2 }, Ct)).ShouldHaveStatusAsync(HttpStatusCode.OK);
        app.Clock.Advance(TimeSpan.FromDays(3 * 365));

        var purged = await MessageBodyPurger.RunOnceAsync(app.Services.GetRequiredService<IServiceScopeFactory>(), batchSize: 2, Ct);
        var again = await MessageBodyPurger.RunOnceAsync(app.Services.GetRequiredService<IServiceScopeFactory>(), batchSize: 2, Ct);

        Assert.Equal(3, purged);
        Assert.Equal(0, again);
        Assert.All(await SnapshotAsync(app, shortKeeper.Id), m => Assert.Equal(Message.PurgedBody, m.Body));
        Assert.All(await SnapshotAsync(app, longKeeper.Id), m => Assert.Null(m.BodyPurgedUtc));
        Assert.Equal(1, await app.Seed.CountAsync(db => db.AuditEvents.IgnoreQueryFilters().Where(e => e.OrganizationId == shortKeeper.Id && e.Action == "retention.purged" && e.Actor == "retention")));
        Assert.Equal(0, await app.Seed.CountAsync(db => db.AuditEvents.IgnoreQueryFilters().Where(e => e.OrganizationId == longKeeper.Id && e.Action == "retention.purged")));
    }

    [Theory, BothDatabases]
    public async Task The_setting_takes_1_to_10_years_from_admins_only_and_each_change_is_audited(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var other = await app.Seed.OrganizationAsync();
        var supervisor = await app.Seed.MemberAsync(org, OrgRole.Supervisor);

        var initial = await (await org.Owner.Client.GetAsync(Url(org, "/retention"), Ct)).ReadAsync<RetentionSettings.Response>(HttpStatusCode.OK);
        var zero = await org.Owner.Client.PutAsJsonAsync(Url(org, "/retention"), new { messageBodyYears = 0 }, Ct);
        var eleven = await org.Owner.Client.PutAsJsonAsync(Url(org, "/retention"), new { messageBodyYears = 11 }, Ct);
        var missing = await org.Owner.Client.PutAsJsonAsync(Url(org, "/retention"), new { }, Ct);
        var bySupervisor = await supervisor.Client.PutAsJsonAsync(Url(org, "/retention"), new { messageBodyYears = 2 }, Ct);
        var supervisorPurge = await supervisor.Client.PostAsync(Url(org, "/retention/purge"), null, Ct);
        var outsider = await other.Owner.Client.PutAsJsonAsync(Url(org, "/retention"), new { messageBodyYears = 2 }, Ct);
        var saved = await (await org.Owner.Client.PutAsJsonAsync(Url(org, "/retention"), new { messageBodyYears = 7 }, Ct)).ReadAsync<RetentionSettings.Response>(HttpStatusCode.OK);
        var read = await (await org.Owner.Client.GetAsync(Url(org, "/retention"), Ct)).ReadAsync<RetentionSettings.Response>(HttpStatusCode.OK);
        var othersSetting = await (await other.Owner.Client.GetAsync(Url(other, "/retention"), Ct)).ReadAsync<RetentionSettings.Response>(HttpStatusCode.OK);

        Assert.Equal(5, initial.MessageBodyYears);
        var problem = await zero.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        Assert.Contains("1 to 10 years", problem.GetProperty("errors").GetProperty("messageBodyYears")[0].GetString(), StringComparison.Ordinal);
        await eleven.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await missing.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await bySupervisor.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await supervisorPurge.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await outsider.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal((7, 7), (saved.MessageBodyYears, read.MessageBodyYears));
        Assert.Equal(5, othersSetting.MessageBodyYears);
        var changes = await app.WithDbAsync(db => db.AuditEvents.IgnoreQueryFilters().Where(e => e.OrganizationId == org.Id && e.Action == "retention.changed").Select(e => e.Data).ToListAsync(Ct));
        Assert.Equal(["{\"messageBodyYears\":7,\"from\":5}"], changes);
    }

    [Theory, BothDatabases]
    public async Task A_purge_in_one_organization_leaves_another_organizations_messages_alone(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await HistoryAsync(app, "Valley Voters");
        var other = await HistoryAsync(app, "Hill Voters");
        app.Clock.Advance(TimeSpan.FromDays((5 * 365) + 3));
        var othersBefore = await SnapshotAsync(app, other.Id);

        await (await org.Owner.Client.PostAsync(Url(org, "/retention/purge"), null, Ct)).ShouldHaveStatusAsync(HttpStatusCode.OK);

        Assert.All(await SnapshotAsync(app, org.Id), m => Assert.Equal(Message.PurgedBody, m.Body));
        Assert.Equal(othersBefore, await SnapshotAsync(app, other.Id));
    }
}
