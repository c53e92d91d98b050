using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using Chorus.Features.Contacts;
using Chorus.Features.Messaging;
using Chorus.Features.Messaging.Events;
using Chorus.Features.Messaging.Inbound;
using Chorus.Features.Messaging.Providers;
using Chorus.Features.Organizations;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using static Chorus.IntegrationTests.Features.Messaging.MessagingKit;

namespace Chorus.IntegrationTests.Features.Messaging;

public sealed class InboundTests
{
    private const string Voter = "+12124567890";
    private const string OurNumber = "+12025550100";

    private static async Task<(ChorusApp App, TestOrg Org, Guid ContactId, string Token)> TextedContactAsync(DatabaseProvider provider)
    {
        var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var contactId = await ContactAsync(app, org, await CampaignAsync(app, org), Voter);
        await QueueAsync(app, org, contactId);
        await DispatchAsync(app);
        return (app, org, contactId, await SimulatorTokenAsync(app, org));
    }

    private static string InboundPath(TestOrg org, string provider = "simulator") => $"/webhooks/{provider}/{org.Slug}/inbound";

    [Theory, BothDatabases]
    public async Task A_reply_lands_in_its_conversation_for_its_texter_and_live_screens_hear_of_it(DatabaseProvider provider)
    {
        var (app, org, contactId, token) = await TextedContactAsync(provider);
        await using var _ = app;
        if (app.Services.GetService<PostgresMessageEventListener>() is { } listener)
        {
            await listener.Listening.WaitAsync(TimeSpan.FromSeconds(10), Ct);
        }

        using var subscription = app.Services.GetRequiredService<IMessageEvents>().Subscribe(org.Id);

        var response = await PostWebhookAsync(app, InboundPath(org), Inbound("SMreply1", Voter, OurNumber, "Who is this? <script>alert(1)</script>"), token);
        var published = await subscription.Reader.ReadAsync(Ct).AsTask().WaitAsync(TimeSpan.FromSeconds(10), Ct);
        var reply = (await MessagesAsync(app, org.Id)).Single(m => m.Direction == MessageDirection.Inbound);
        var contact = await app.WithDbAsync(db => db.Contacts.IgnoreQueryFilters().FirstAsync(c => c.Id == contactId, Ct));

        response.EnsureSuccessStatusCode();
        Assert.Equal(contactId, reply.ContactId);
        Assert.Equal(org.Owner.Id, reply.TexterUserId);
        Assert.Equal("Who is this? <script>alert(1)</script>", reply.Body);
        Assert.Equal(ConversationStatus.NeedsResponse, contact.ConversationStatus);
        Assert.Equal(new MessageEvent(org.Id, "inbound", reply.Id, contactId, org.Owner.Id), published);
    }

    [Theory, BothDatabases]
    public async Task A_reply_goes_to_the_conversation_its_number_texted_else_to_the_most_recent_texted_one_never_to_one_not_yet_texted(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var token = await SimulatorTokenAsync(app, org);
        var now = app.Clock.GetUtcNow().UtcDateTime;
        async Task<Guid> ConversationAsync(string? sender, DateTime? last, ConversationStatus status, string phone = Voter)
        {
            var id = await ContactAsync(app, org, await CampaignAsync(app, org), phone);
            await app.WithDbAsync(async db =>
            {
                var contact = await db.Contacts.IgnoreQueryFilters().FirstAsync(c => c.Id == id, Ct);
                (contact.SenderNumber, contact.LastMessageUtc, contact.ConversationStatus) = (sender, last, status);
                return await db.SaveChangesAsync(Ct);
            });
            return id;
        }

        var older = await ConversationAsync("+12025550111", now.AddHours(-2), ConversationStatus.Messaged);
        var newer = await ConversationAsync("+12025550122", now.AddHours(-1), ConversationStatus.Messaged);
        await ConversationAsync(null, null, ConversationStatus.NotContacted);
        await ConversationAsync(null, null, ConversationStatus.NotContacted, phone: "+12124567999");

        // Each reply makes its conversation the most recent, so the one to a number that texted neither goes first.
        (await PostWebhookAsync(app, InboundPath(org), Inbound("SMother", Voter, "+12025550199", "to a number that texted neither"), token)).EnsureSuccessStatusCode();
        (await PostWebhookAsync(app, InboundPath(org), Inbound("SMsticky", Voter, "+12025550111", "to the older one's number"), token)).EnsureSuccessStatusCode();
        (await PostWebhookAsync(app, InboundPath(org), Inbound("SMuntexted", "+12124567999", "+12025550111", "from a number only on a list"), token)).EnsureSuccessStatusCode();
        var replies = (await MessagesAsync(app, org.Id)).Where(m => m.Direction == MessageDirection.Inbound).ToDictionary(m => m.ProviderMessageId!, m => m.ContactId);

        Assert.Equal(older, replies["SMsticky"]);
        Assert.Equal(newer, replies["SMother"]);
        Assert.Null(replies["SMuntexted"]); // the unmatched inbox
    }

    [Theory, BothDatabases]
    public async Task Twenty_concurrent_deliveries_of_one_webhook_store_one_message(DatabaseProvider provider)
    {
        var (app, org, _, token) = await TextedContactAsync(provider);
        await using var _ = app;

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ => PostWebhookAsync(app, InboundPath(org), Inbound("SMdup", Voter, OurNumber, "Yes!"), token)));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.OK, r.StatusCode));
        Assert.Equal(1, await app.Seed.CountAsync(db => db.Messages.IgnoreQueryFilters().Where(m => m.ProviderMessageId == "SMdup")));
    }

    [Theory, BothDatabases]
    public async Task A_text_from_a_stranger_goes_to_the_unmatched_inbox(DatabaseProvider provider)
    {
        var (app, org, _, token) = await TextedContactAsync(provider);
        await using var _ = app;

        (await PostWebhookAsync(app, InboundPath(org), Inbound("SMstranger", "+13125550199", OurNumber, "hello?"), token)).EnsureSuccessStatusCode();
        var inbox = await (await org.Owner.Client.GetAsync(new Uri($"/api/v1/orgs/{org.Slug}/messages/unmatched", UriKind.Relative), Ct)).ReadAsync<MessageRecords.Page>(HttpStatusCode.OK);

        var item = Assert.Single(inbox.Items);
        Assert.Equal("hello?", item.Body);
        Assert.Null(item.ContactId);
    }

    [Theory, BothDatabases]
    public async Task Stop_opts_out_cancels_what_is_queued_closes_the_conversation_and_confirms_once_even_at_night(DatabaseProvider provider)
    {
        var (app, org, contactId, token) = await TextedContactAsync(provider);
        await using var _ = app;
        var queued = await QueueAsync(app, org, contactId, "Can we count on you?", MessageKind.Reply);
        app.Clock.Advance(TimeSpan.FromHours(12)); // 03:00 in New York

        (await PostWebhookAsync(app, InboundPath(org), Inbound("SMstop1", Voter, OurNumber, "Stop."), token)).EnsureSuccessStatusCode();
        (await PostWebhookAsync(app, InboundPath(org), Inbound("SMstop2", Voter, OurNumber, "STOP"), token)).EnsureSuccessStatusCode();
        await DispatchAsync(app);
        var messages = await MessagesAsync(app, org.Id);
        var contact = await app.WithDbAsync(db => db.Contacts.IgnoreQueryFilters().FirstAsync(c => c.Id == contactId, Ct));
        var audit = await app.Seed.CountAsync(db => db.AuditEvents.IgnoreQueryFilters().Where(e => e.OrganizationId == org.Id && e.Action == "opt_out.added"));

        Assert.True(await OptedOutAsync(app, org, Voter));
        Assert.Equal(MessageStatus.Canceled, messages.Single(m => m.Id == queued).Status);
        var confirmation = Assert.Single(messages, m => m.Kind == MessageKind.OptOutConfirmation);
        Assert.Equal(MessageStatus.Submitted, confirmation.Status);
        Assert.DoesNotContain("http", confirmation.Body, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(ConversationStatus.OptedOut, contact.ConversationStatus);
        Assert.Equal(1, audit);
    }

    [Theory, BothDatabases]
    public async Task A_secret_rotated_by_another_instance_is_accepted_at_once_and_the_old_one_refused(DatabaseProvider provider)
    {
        var (app, org, _, token) = await TextedContactAsync(provider);
        await using var _ = app;
        (await PostWebhookAsync(app, InboundPath(org), Inbound("SMbefore", Voter, OurNumber, "first"), token)).EnsureSuccessStatusCode();
        var accounts = app.Services.GetRequiredService<MessagingAccounts>();
        // Written straight to the database, as another instance would: this instance's cache is not told.
        await app.WithDbAsync(async db =>
        {
            var settings = await db.MessagingSettings.IgnoreQueryFilters().SingleAsync(s => s.OrganizationId == org.Id, Ct);
            settings.SimulatorSecretProtected = accounts.Protect("rotated-secret");
            return await db.SaveChangesAsync(Ct);
        });

        var rotated = await PostWebhookAsync(app, InboundPath(org), Inbound("SMrotated", Voter, OurNumber, "second"), "rotated-secret");
        var old = await PostWebhookAsync(app, InboundPath(org), Inbound("SMold", Voter, OurNumber, "third"), token);

        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, old.StatusCode);
    }

    [Theory, BothDatabases]
    public async Task Keywords_saved_in_the_settings_apply_to_the_very_next_webhook(DatabaseProvider provider)
    {
        var (app, org, _, token) = await TextedContactAsync(provider);
        await using var _ = app;
        (await PostWebhookAsync(app, InboundPath(org), Inbound("SMbefore", Voter, OurNumber, "sayonara"), token)).EnsureSuccessStatusCode();
        var before = await OptedOutAsync(app, org, Voter);
        await (await PutMessagingAsync(org, new { provider = "simulator", keywords = new { optOut = new[] { "SAYONARA" } } }))
            .ShouldHaveStatusAsync(HttpStatusCode.OK);

        (await PostWebhookAsync(app, InboundPath(org), Inbound("SMafter", Voter, OurNumber, "sayonara"), token)).EnsureSuccessStatusCode();

        Assert.False(before);
        Assert.True(await OptedOutAsync(app, org, Voter));
    }

    [Theory, BothDatabases]
    public async Task A_provider_that_answers_stop_itself_gets_no_second_confirmation_but_stop_all_does(DatabaseProvider provider)
    {
        var (app, org, _, _) = await TextedContactAsync(provider);
        await using var _ = app;
        await (await PutMessagingAsync(org, new
        {
            provider = "twilio",
            twilio = new { accountSid = "AC" + new string('1', 32), authToken = "twilio-token", numbers = new[] { OurNumber } },
        })).ShouldHaveStatusAsync(HttpStatusCode.OK);

        (await PostWebhookAsync(app, InboundPath(org, "twilio"), Inbound("SMtw1", Voter, OurNumber, "STOP"), "twilio-token")).EnsureSuccessStatusCode();
        (await PostWebhookAsync(app, InboundPath(org, "twilio"), Inbound("SMtw2", "+13125550100", OurNumber, "stop all"), "twilio-token")).EnsureSuccessStatusCode();
        var confirmations = (await MessagesAsync(app, org.Id)).Where(m => m.Kind == MessageKind.OptOutConfirmation).ToList();

        Assert.True(await OptedOutAsync(app, org, Voter));
        Assert.True(await OptedOutAsync(app, org, "+13125550100"));
        Assert.Equal("+13125550100", Assert.Single(confirmations).Phone);
    }

    [Theory, BothDatabases]
    public async Task Start_after_an_opt_out_resubscribes_on_the_record_and_help_gets_the_help_text(DatabaseProvider provider)
    {
        var (app, org, _, token) = await TextedContactAsync(provider);
        await using var _ = app;

        (await PostWebhookAsync(app, InboundPath(org), Inbound("SM1", Voter, OurNumber, "alto"), token)).EnsureSuccessStatusCode();
        var optedOut = await OptedOutAsync(app, org, Voter);
        (await PostWebhookAsync(app, InboundPath(org), Inbound("SM2", Voter, OurNumber, "START"), token)).EnsureSuccessStatusCode();
        (await PostWebhookAsync(app, InboundPath(org), Inbound("SM3", Voter, OurNumber, "help"), token)).EnsureSuccessStatusCode();
        var messages = await MessagesAsync(app, org.Id);
        var removed = await app.Seed.CountAsync(db => db.AuditEvents.IgnoreQueryFilters().Where(e => e.OrganizationId == org.Id && e.Action == "opt_out.removed"));

        Assert.True(optedOut);
        Assert.False(await OptedOutAsync(app, org, Voter));
        Assert.Equal(1, removed);
        Assert.Single(messages, m => m.Kind == MessageKind.OptInConfirmation);
        var help = Assert.Single(messages, m => m.Kind == MessageKind.Help);
        Assert.Contains("Reply STOP", help.Body, StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task Stop_closes_every_conversation_the_organization_has_with_that_number_and_start_reopens_them_all(DatabaseProvider provider)
    {
        var (app, org, firstId, token) = await TextedContactAsync(provider);
        await using var _ = app;
        var secondId = await ContactAsync(app, org, await CampaignAsync(app, org, "Town hall"), Voter);
        await QueueAsync(app, org, secondId);
        await DispatchAsync(app);
        var queued = await QueueAsync(app, org, firstId, "Can we count on you?", MessageKind.Reply);
        Task<Dictionary<Guid, ConversationStatus>> StatusesAsync() => app.WithDbAsync(db => db.Contacts.IgnoreQueryFilters()
            .Where(c => c.Id == firstId || c.Id == secondId).ToDictionaryAsync(c => c.Id, c => c.ConversationStatus, Ct));

        (await PostWebhookAsync(app, InboundPath(org), Inbound("SMstop", Voter, OurNumber, "STOP"), token)).EnsureSuccessStatusCode();
        var stopped = await StatusesAsync();
        var canceled = await MessageAsync(app, queued);
        (await PostWebhookAsync(app, InboundPath(org), Inbound("SMstart", Voter, OurNumber, "START"), token)).EnsureSuccessStatusCode();
        var started = await StatusesAsync();

        Assert.All(stopped.Values, status => Assert.Equal(ConversationStatus.OptedOut, status));
        Assert.Equal(MessageStatus.Canceled, canceled.Status);
        Assert.All(started.Values, status => Assert.Equal(ConversationStatus.NeedsResponse, status));
        Assert.Equal(2, started.Count);
    }

    [Theory, BothDatabases]
    public async Task Texts_that_arrive_together_are_saved_together_and_one_number_is_applied_in_the_order_it_wrote(DatabaseProvider provider)
    {
        var (app, org, _, _) = await TextedContactAsync(provider);
        await using var _ = app;
        var processor = app.Services.GetRequiredService<InboundProcessor>();
        var (entry, _) = await app.WithDbAsync(db => app.Services.GetRequiredService<MessagingSettingsCache>().GetAsync(db, org.Slug, fresh: true, Ct));
        var sizes = new ConcurrentBag<int>();
        using var listener = Histograms.Hear(app, InboundProcessor.BatchSizeInstrument, sizes);
        var strangers = Enumerable.Range(0, 30).Select(i => new TwilioWebhook.Inbound($"SMs{i}", $"+1312555{i:D4}", OurNumber, "who is this?", 0)).ToList();
        List<TwilioWebhook.Inbound> texts =
        [
            new("SMstop", Voter, OurNumber, "STOP", 0),
            .. strangers,
            new("SMstart", Voter, OurNumber, "START", 0),
            strangers[0], // the provider delivers it again
        ];

        // Queued in this order before any is saved: the first save takes one, the next takes what queued meanwhile.
        var outcomes = await Task.WhenAll(texts.Select(t => processor.ReceiveAsync(new InboundProcessor.Arrival(entry!, "simulator", t))));
        var stored = await app.Seed.CountAsync(db => db.Messages.IgnoreQueryFilters().Where(m => m.OrganizationId == org.Id && m.Direction == MessageDirection.Inbound));
        var confirmations = (await MessagesAsync(app, org.Id)).Where(m => m.Kind is MessageKind.OptOutConfirmation or MessageKind.OptInConfirmation).Select(m => m.Kind).ToList();

        Assert.Equal([.. Enumerable.Repeat(InboundOutcome.Stored, 32), InboundOutcome.Duplicate], outcomes);
        Assert.Equal(32, stored);
        Assert.False(await OptedOutAsync(app, org, Voter)); // START came after STOP, and was applied after it
        Assert.Equal([MessageKind.OptOutConfirmation, MessageKind.OptInConfirmation], confirmations.Order());
        Assert.Contains(sizes, size => size > 1);
        Assert.Equal(33, sizes.Sum() + 1); // every text saved once, by one transaction or another; the duplicate by none
        using var client = app.CreateClient();
        Assert.Contains("chorus_inbound_batch_size", await client.GetStringAsync(new Uri("/metrics", UriKind.Relative), Ct), StringComparison.Ordinal);
    }

    [Theory, BothDatabases]
    public async Task A_likely_opt_out_is_flagged_and_the_texter_confirms_it_with_one_click(DatabaseProvider provider)
    {
        var (app, org, contactId, token) = await TextedContactAsync(provider);
        await using var _ = app;
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);
        await app.WithDbAsync(db => db.Contacts.IgnoreQueryFilters().Where(c => c.Id == contactId).ExecuteUpdateAsync(s => s.SetProperty(c => c.TexterUserId, texter.Id), Ct));

        (await PostWebhookAsync(app, InboundPath(org), Inbound("SMlikely", Voter, OurNumber, "please stop texting me"), token)).EnsureSuccessStatusCode();
        var flagged = (await MessagesAsync(app, org.Id)).Single(m => m.ProviderMessageId == "SMlikely");
        var notYet = await OptedOutAsync(app, org, Voter);
        var confirmed = await texter.Client.PostAsync(new Uri($"/api/v1/orgs/{org.Slug}/messages/{flagged.Id}/opt-out", UriKind.Relative), null, Ct);

        Assert.True(flagged.NeedsOptOutReview);
        Assert.False(notYet);
        await confirmed.ShouldHaveStatusAsync(HttpStatusCode.OK);
        Assert.True(await OptedOutAsync(app, org, Voter));
    }

    [Theory, BothDatabases]
    public async Task A_texter_cannot_decide_on_someone_elses_conversation(DatabaseProvider provider)
    {
        var (app, org, _, token) = await TextedContactAsync(provider);
        await using var _ = app;
        var stranger = await app.Seed.MemberAsync(org, OrgRole.Texter);
        (await PostWebhookAsync(app, InboundPath(org), Inbound("SMlikely", Voter, OurNumber, "remove me"), token)).EnsureSuccessStatusCode();
        var flagged = (await MessagesAsync(app, org.Id)).Single(m => m.ProviderMessageId == "SMlikely");

        var refused = await stranger.Client.PostAsync(new Uri($"/api/v1/orgs/{org.Slug}/messages/{flagged.Id}/opt-out", UriKind.Relative), null, Ct);

        await refused.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        Assert.False(await OptedOutAsync(app, org, Voter));
    }

    [Theory, BothDatabases]
    public async Task Forged_unsigned_tampered_and_malformed_webhooks_are_refused_and_store_nothing(DatabaseProvider provider)
    {
        var (app, org, _, token) = await TextedContactAsync(provider);
        await using var _ = app;
        var form = Inbound("SMforged", Voter, OurNumber, "STOP");
        var signedForOther = TwilioSignatureOf($"/webhooks/simulator/{org.Slug}/inbound", Inbound("SMforged", Voter, OurNumber, "hello"), token);

        var unsigned = await PostWebhookAsync(app, InboundPath(org), form, null);
        var wrongKey = await PostWebhookAsync(app, InboundPath(org), form, "not-the-secret");
        var tampered = await PostWebhookAsync(app, InboundPath(org), form, null, signedForOther);
        var twilioUnconfigured = await PostWebhookAsync(app, InboundPath(org, "twilio"), form, token);
        var unknownOrg = await PostWebhookAsync(app, "/webhooks/simulator/no-such-org/inbound", form, token);
        var unknownProvider = await PostWebhookAsync(app, $"/webhooks/nexmo/{org.Slug}/inbound", form, token);
        var malformed = await PostWebhookAsync(app, InboundPath(org), new Dictionary<string, string> { ["From"] = Voter, ["Body"] = "STOP" }, token);
        using var big = new HttpRequestMessage(HttpMethod.Post, new Uri(InboundPath(org), UriKind.Relative))
        {
            Content = new FormUrlEncodedContent(new Dictionary<string, string> { ["Body"] = new string('a', 100_000) }),
        };
        var oversized = await app.CreateClient().SendAsync(big, Ct);

        await unsigned.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await wrongKey.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await tampered.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await twilioUnconfigured.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        await unknownOrg.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await unknownProvider.ShouldBeProblemAsync(HttpStatusCode.NotFound);
        await malformed.ShouldBeProblemAsync(HttpStatusCode.BadRequest);
        await oversized.ShouldBeProblemAsync(HttpStatusCode.RequestEntityTooLarge);
        Assert.False(await OptedOutAsync(app, org, Voter));
        Assert.Equal(0, await app.Seed.CountAsync(db => db.Messages.IgnoreQueryFilters().Where(m => m.Direction == MessageDirection.Inbound)));
    }

    [Theory, BothDatabases]
    public async Task The_simulator_plays_a_voter_through_the_real_webhook(DatabaseProvider provider)
    {
        var (app, org, contactId, _) = await TextedContactAsync(provider);
        await using var _ = app;
        var texter = await app.Seed.MemberAsync(org, OrgRole.Texter);

        var played = await org.Owner.Client.PostAsJsonAsync(new Uri($"/api/v1/orgs/{org.Slug}/simulator/inbound", UriKind.Relative), new { from = Voter, body = "PARAR" }, Ct);
        var byTexter = await texter.Client.PostAsJsonAsync(new Uri($"/api/v1/orgs/{org.Slug}/simulator/inbound", UriKind.Relative), new { from = Voter, body = "hi" }, Ct);
        var record = await (await org.Owner.Client.GetAsync(new Uri($"/api/v1/orgs/{org.Slug}/messages?phone=%2B12124567890", UriKind.Relative), Ct)).ReadAsync<MessageRecords.Page>(HttpStatusCode.OK);

        await played.ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        await byTexter.ShouldBeProblemAsync(HttpStatusCode.Forbidden);
        Assert.True(await OptedOutAsync(app, org, Voter));
        // The reply and its confirmation share one instant; the first message is the oldest.
        Assert.Equal([MessageKind.OptOutConfirmation, MessageKind.Incoming], record.Items.Take(2).Select(i => i.Kind).Order());
        Assert.Equal(MessageKind.Initial, record.Items[2].Kind);
        Assert.Equal(contactId, record.Items.Single(i => i.Kind == MessageKind.Incoming).ContactId);
        Assert.NotEmpty(record.Items[2].History!);
    }

    [Theory, BothDatabases]
    public async Task A_voter_texting_stop_through_the_simulator_gets_chorus_confirmation_delivered(DatabaseProvider provider)
    {
        var (app, org, _, _) = await TextedContactAsync(provider);
        await using var _ = app;

        await (await org.Owner.Client.PostAsJsonAsync(new Uri($"/api/v1/orgs/{org.Slug}/simulator/inbound", UriKind.Relative), new { from = Voter, body = "STOP" }, Ct))
            .ShouldHaveStatusAsync(HttpStatusCode.Accepted);
        await DispatchAsync(app);
        await AdvanceNetworkAsync(app, TimeSpan.FromSeconds(3));

        var confirmation = Assert.Single(await MessagesAsync(app, org.Id), m => m.Kind == MessageKind.OptOutConfirmation);
        Assert.Equal(MessageStatus.Delivered, confirmation.Status);
    }

    private static string TwilioSignatureOf(string path, Dictionary<string, string> form, string token) =>
        Chorus.Features.Messaging.Providers.TwilioSignature.Compute("http://localhost" + path,
            form.ToDictionary(p => p.Key, p => new Microsoft.Extensions.Primitives.StringValues(p.Value)), token);
}
