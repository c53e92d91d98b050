using Chorus.Features.Messaging;
using Chorus.Features.Messaging.Dispatch;
using Chorus.Features.Messaging.Simulator;
using Chorus.Features.OptOuts;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Chorus.IntegrationTests.Features.Messaging.MessagingKit;

namespace Chorus.IntegrationTests.Features.Messaging;

public sealed class DispatchTests
{
    [Theory, BothDatabases]
    public async Task A_queued_message_is_sent_once_through_the_simulator_and_its_delivery_comes_back_through_the_webhook(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var contactId = await ContactAsync(app, org, await CampaignAsync(app, org), "+12124567890");
        var id = await QueueAsync(app, org, contactId);

        var first = await DispatchAsync(app);
        var submitted = await MessageAsync(app, id);
        await AdvanceNetworkAsync(app, TimeSpan.FromSeconds(3));
        var second = await DispatchAsync(app);
        var delivered = await MessageAsync(app, id);
        var history = await app.WithDbAsync(db => db.MessageStatusChanges.IgnoreQueryFilters().Where(c => c.MessageId == id).OrderBy(c => c.Id).Select(c => c.Status).ToListAsync(Ct));
        var contact = await app.WithDbAsync(db => db.Contacts.IgnoreQueryFilters().FirstAsync(c => c.Id == contactId, Ct));

        Assert.Equal(1, first);
        Assert.Equal(0, second);
        Assert.Equal(MessageStatus.Submitted, submitted.Status);
        Assert.StartsWith("SM", submitted.ProviderMessageId, StringComparison.Ordinal);
        Assert.Equal(MessageStatus.Delivered, delivered.Status);
        Assert.NotNull(delivered.Carrier);
        Assert.Equal([MessageStatus.Queued, MessageStatus.Submitted, MessageStatus.Sent, MessageStatus.Delivered], history);
        Assert.Equal(SimulatorOptions.DefaultNumber, contact.SenderNumber);
    }

    [Theory, BothDatabases]
    public async Task A_number_that_opts_out_after_queueing_is_not_texted(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var contactId = await ContactAsync(app, org, await CampaignAsync(app, org), "+12124567890");
        var id = await QueueAsync(app, org, contactId);
        await app.WithDbAsync(async db =>
        {
            db.OptOuts.Add(new OptOut { OrganizationId = org.Id, PhoneE164 = "+12124567890", Source = "manual", CreatedUtc = app.Clock.GetUtcNow().UtcDateTime });
            return await db.SaveChangesAsync(Ct);
        });

        await DispatchAsync(app);
        var message = await MessageAsync(app, id);

        Assert.Equal(MessageStatus.Canceled, message.Status);
        Assert.Null(message.ProviderMessageId);
        Assert.Equal(0, app.Services.GetRequiredService<SimulatorNetwork>().Pending);
    }

    [Theory, BothDatabases]
    public async Task Another_organizations_opt_out_does_not_stop_the_message(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var other = await app.Seed.OrganizationAsync();
        var contactId = await ContactAsync(app, org, await CampaignAsync(app, org), "+12124567890");
        var id = await QueueAsync(app, org, contactId);
        await app.WithDbAsync(async db =>
        {
            db.OptOuts.Add(new OptOut { OrganizationId = other.Id, PhoneE164 = "+12124567890", Source = "manual", CreatedUtc = app.Clock.GetUtcNow().UtcDateTime });
            return await db.SaveChangesAsync(Ct);
        });

        await DispatchAsync(app);

        Assert.Equal(MessageStatus.Submitted, (await MessageAsync(app, id)).Status);
    }

    [Theory, BothDatabases]
    public async Task A_message_waits_for_the_recipients_texting_window_but_a_keyword_confirmation_does_not(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var campaignId = await CampaignAsync(app, org);
        // 15:00 UTC is 05:00 in Honolulu.
        var contactId = await ContactAsync(app, org, campaignId, "+18085550123", "Pacific/Honolulu", "HI");
        var initial = await QueueAsync(app, org, contactId);
        var confirmation = await QueueAsync(app, org, contactId, "You're unsubscribed.", MessageKind.OptOutConfirmation);

        await DispatchAsync(app);
        var held = await MessageAsync(app, initial);
        var sent = await MessageAsync(app, confirmation);
        app.Clock.Advance(held.NotBeforeUtc - app.Clock.GetUtcNow().UtcDateTime);
        await DispatchAsync(app);

        Assert.Equal(MessageStatus.Queued, held.Status);
        Assert.Equal(new DateTime(2026, 11, 3, 19, 0, 0, DateTimeKind.Utc), held.NotBeforeUtc);
        Assert.Equal(MessageStatus.Submitted, sent.Status);
        Assert.Equal(MessageStatus.Submitted, (await MessageAsync(app, initial)).Status);
    }

    [Fact]
    public async Task A_pass_over_an_empty_outbox_does_not_wait_for_the_database_write_lock()
    {
        await using var app = await ChorusApp.StartAsync(DatabaseProvider.Sqlite);
        await using var other = new SqliteConnection(app.ConnectionString);
        await other.OpenAsync(Ct);
        // SQLite's one write lock, held by another writer (BEGIN IMMEDIATE) for as long as this test runs.
        await using var holding = other.BeginTransaction();

        var pass = DispatchAsync(app);
        var finished = await Task.WhenAny(pass, Task.Delay(TimeSpan.FromSeconds(5), Ct)) == pass;

        Assert.True(finished, "The pass waited for the write lock although there was nothing to claim.");
        Assert.Equal(0, await pass);
    }

    [Theory, BothDatabases]
    public async Task A_dispatcher_that_dies_after_claiming_never_resends_and_the_message_goes_to_review(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var contactId = await ContactAsync(app, org, await CampaignAsync(app, org), "+12124567890");
        var id = await QueueAsync(app, org, contactId);
        // The claim commits, then the process dies before the provider's answer is recorded.
        await app.WithDbAsync(db => MessageDispatcher.ClaimAsync(db, Guid.NewGuid(), app.Clock.GetUtcNow().UtcDateTime, 10, Ct));

        app.Clock.Advance(TimeSpan.FromMinutes(3));
        var claimedAgain = await DispatchAsync(app);
        await ReconcileAsync(app);
        var unknown = await MessageAsync(app, id);
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await ReconcileAsync(app);
        var reviewed = await MessageAsync(app, id);

        Assert.Equal(0, claimedAgain);
        Assert.Equal(MessageStatus.Unknown, unknown.Status);
        Assert.Equal(MessageStatus.NeedsReview, reviewed.Status);
        Assert.Equal(0, app.Services.GetRequiredService<SimulatorNetwork>().Pending);
        Assert.Equal(0, await DispatchAsync(app));
    }

    [Theory, BothDatabases]
    public async Task Parallel_dispatchers_claim_every_message_exactly_once(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var campaignId = await CampaignAsync(app, org);
        for (var i = 0; i < 120; i++)
        {
            await QueueAsync(app, org, await ContactAsync(app, org, campaignId, $"+1212456{i:0000}"));
        }

        async Task<int> ClaimAllAsync()
        {
            var total = 0;
            int claimed;
            do
            {
                claimed = await app.WithDbAsync(db => MessageDispatcher.ClaimAsync(db, Guid.NewGuid(), app.Clock.GetUtcNow().UtcDateTime, 7, Ct));
                total += claimed;
            }
            while (claimed > 0);
            return total;
        }

        var totals = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(ClaimAllAsync, Ct)));
        var stillQueued = await app.Seed.CountAsync(db => db.Messages.IgnoreQueryFilters().Where(m => m.Status == MessageStatus.Queued));

        Assert.Equal(120, totals.Sum());
        Assert.Equal(0, stillQueued);
    }

    [Theory, BothDatabases]
    public async Task Passes_run_side_by_side_send_every_message_exactly_once(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider, services => services.Configure<DispatchOptions>(o => o.BatchSize = 7));
        var org = await app.Seed.OrganizationAsync();
        var campaignId = await CampaignAsync(app, org);
        for (var i = 0; i < 60; i++)
        {
            await QueueAsync(app, org, await ContactAsync(app, org, campaignId, $"+1212456{i:0000}"));
        }

        var (passes, claimed) = await DispatchWorker.DrainAsync(app.Services.GetRequiredService<MessageDispatcher>(), 3, Ct);
        var submissions = await app.WithDbAsync(db => db.MessageStatusChanges.IgnoreQueryFilters()
            .Where(c => c.Status == MessageStatus.Submitted).GroupBy(c => c.MessageId).Select(g => g.Count()).ToListAsync(Ct));
        var providerIds = await app.Seed.CountAsync(db => db.Messages.IgnoreQueryFilters().Where(m => m.ProviderMessageId != null).Select(m => m.ProviderMessageId).Distinct());

        Assert.Equal(60, claimed);
        Assert.InRange(passes, 9, 60); // 60 messages in batches of at most 7
        Assert.Equal(60, submissions.Count);
        Assert.All(submissions, count => Assert.Equal(1, count));
        Assert.Equal(60, providerIds);
    }

    [Theory, BothDatabases]
    public async Task The_organizations_messages_per_second_limit_holds_the_rest_for_the_next_second(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var campaignId = await CampaignAsync(app, org);
        await (await PutMessagingAsync(org, new { provider = "simulator", limits = new { messagesPerSecond = 2 } })).ShouldHaveStatusAsync(System.Net.HttpStatusCode.OK);
        for (var i = 0; i < 5; i++)
        {
            await QueueAsync(app, org, await ContactAsync(app, org, campaignId, $"+1212456{i:0000}"));
        }

        await DispatchAsync(app);
        var afterFirst = await MessagesAsync(app, org.Id);
        await DispatchAsync(app);
        var sameSecond = await MessagesAsync(app, org.Id);
        app.Clock.Advance(TimeSpan.FromSeconds(1));
        await DispatchAsync(app);
        var nextSecond = await MessagesAsync(app, org.Id);

        Assert.Equal(2, afterFirst.Count(m => m.Status == MessageStatus.Submitted));
        Assert.Equal(2, sameSecond.Count(m => m.Status == MessageStatus.Submitted));
        Assert.Equal(4, nextSecond.Count(m => m.Status == MessageStatus.Submitted));
    }

    [Theory, BothDatabases]
    public async Task Status_callbacks_out_of_order_or_repeated_never_move_a_message_back(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var contactId = await ContactAsync(app, org, await CampaignAsync(app, org), "+12124567890");
        var id = await QueueAsync(app, org, contactId);
        await DispatchAsync(app);
        var sid = (await MessageAsync(app, id)).ProviderMessageId!;
        var token = await SimulatorTokenAsync(app, org);
        var path = $"/webhooks/simulator/{org.Slug}/status";

        foreach (var status in new[] { "delivered", "sent", "delivered", "queued", "undelivered" })
        {
            (await PostWebhookAsync(app, path, Status(sid, status), token)).EnsureSuccessStatusCode();
        }

        var message = await MessageAsync(app, id);
        var history = await app.WithDbAsync(db => db.MessageStatusChanges.IgnoreQueryFilters().Where(c => c.MessageId == id).Select(c => c.Status).ToListAsync(Ct));

        Assert.Equal(MessageStatus.Delivered, message.Status);
        Assert.Single(history, MessageStatus.Delivered);
        Assert.DoesNotContain(MessageStatus.Sent, history);
    }

    [Theory, BothDatabases]
    public async Task A_status_callback_that_beats_the_send_answer_is_kept_and_applied_later(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var contactId = await ContactAsync(app, org, await CampaignAsync(app, org), "+12124567890");
        var id = await QueueAsync(app, org, contactId);
        var token = await SimulatorTokenAsync(app, org);

        var early = await PostWebhookAsync(app, $"/webhooks/simulator/{org.Slug}/status", Status("SMearly00000000000000000000000000", "delivered"), token);
        var kept = await app.Seed.CountAsync(db => db.PendingStatusReports.IgnoreQueryFilters());
        await app.WithDbAsync(db => db.Messages.IgnoreQueryFilters().Where(m => m.Id == id)
            .ExecuteUpdateAsync(s => s.SetProperty(m => m.ProviderMessageId, "SMearly00000000000000000000000000").SetProperty(m => m.Status, MessageStatus.Submitted), Ct));
        await ReconcileAsync(app);

        early.EnsureSuccessStatusCode();
        Assert.Equal(1, kept);
        Assert.Equal(MessageStatus.Delivered, (await MessageAsync(app, id)).Status);
        Assert.Equal(0, await app.Seed.CountAsync(db => db.PendingStatusReports.IgnoreQueryFilters()));
    }

    [Theory, BothDatabases]
    public async Task An_undelivered_landline_marks_the_number_bad_and_nothing_more_goes_to_it(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var contactId = await ContactAsync(app, org, await CampaignAsync(app, org), "+12124567890");
        var first = await QueueAsync(app, org, contactId);
        await DispatchAsync(app);
        var sid = (await MessageAsync(app, first)).ProviderMessageId!;

        (await PostWebhookAsync(app, $"/webhooks/simulator/{org.Slug}/status", Status(sid, "undelivered", 30006), await SimulatorTokenAsync(app, org))).EnsureSuccessStatusCode();
        var reply = await QueueAsync(app, org, contactId, "Are you there?", MessageKind.Reply);
        await DispatchAsync(app);

        var undelivered = await MessageAsync(app, first);
        Assert.Equal(MessageStatus.Undelivered, undelivered.Status);
        Assert.Equal(30006, undelivered.ErrorCode);
        Assert.Equal(MessageStatus.Canceled, (await MessageAsync(app, reply)).Status);
    }

    [Theory, BothDatabases]
    public async Task Messages_filtered_as_spam_are_counted_apart_for_the_campaign(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var campaignId = await CampaignAsync(app, org);
        var token = await SimulatorTokenAsync(app, org);
        foreach (var (phone, status, code) in new[] { ("+12124560001", "undelivered", 30007), ("+12124560002", "undelivered", 30007), ("+12124560003", "delivered", 0) })
        {
            var id = await QueueAsync(app, org, await ContactAsync(app, org, campaignId, phone));
            await DispatchAsync(app);
            var sid = (await MessageAsync(app, id)).ProviderMessageId!;
            (await PostWebhookAsync(app, $"/webhooks/simulator/{org.Slug}/status", Status(sid, status, code == 0 ? null : code), token)).EnsureSuccessStatusCode();
        }

        var delivery = await (await org.Owner.Client.GetAsync(new Uri($"/api/v1/orgs/{org.Slug}/campaigns/{campaignId}/delivery", UriKind.Relative), Ct))
            .ReadAsync<CampaignDelivery.Response>(System.Net.HttpStatusCode.OK);

        Assert.Equal(2, delivery.Filtered);
        Assert.Equal(2, delivery.Undelivered);
        Assert.Equal(1, delivery.Delivered);
        Assert.Equal([new CampaignDelivery.ErrorCount(30007, 2)], delivery.ErrorCodes);
    }
}
