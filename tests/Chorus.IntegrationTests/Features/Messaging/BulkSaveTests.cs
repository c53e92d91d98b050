using System.Data.Common;
using System.Net;
using Chorus.Features.Audit;
using Chorus.Features.Campaigns;
using Chorus.Features.Campaigns.Templates;
using Chorus.Features.Messaging;
using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Features.Analytics;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static Chorus.IntegrationTests.Features.Messaging.MessagingKit;

namespace Chorus.IntegrationTests.Features.Messaging;

/// <summary>
/// The dispatcher's bulk save (on SQLite, prepared statements instead of EF Core's commands) must store exactly what
/// EF Core's own save stores, count the same counters, and leave to EF Core what it cannot order.
/// </summary>
public sealed class BulkSaveTests
{
    private const string BulkProviderId = "SM\"quoted' – ünïcode";

    private static readonly DateTime Submitted = new(2026, 11, 3, 15, 4, 5, 123, 456, DateTimeKind.Utc);

    /// <summary>What a dispatch pass does to an accepted message and its contact, with awkward values.</summary>
    private static async Task ChangeAsync(AppDbContext db, Guid messageId, string providerId)
    {
        var message = await db.Messages.IgnoreQueryFilters().FirstAsync(m => m.Id == messageId, Ct);
        var contact = await db.Contacts.IgnoreQueryFilters().FirstAsync(c => c.Id == message.ContactId, Ct);
        message.Status = MessageStatus.Submitted;
        message.ClaimToken = null;
        message.ProviderMessageId = providerId;
        message.OurNumber = "+12125550000";
        message.SubmittedUtc = Submitted;
        message.UpdatedUtc = Submitted;
        message.Carrier = null;
        message.ErrorCode = 30007;
        contact.SenderNumber = message.OurNumber;
        contact.LastMessageUtc = Submitted;
        contact.BadNumber = true;
        MessageStatusChange.Record(db, message, MessageStatus.Submitted, "submitted", Submitted, 30007);
        AuditEvent.Record(db, message.OrganizationId, new AuditActor(null, "voter \"+1 212\" ünï"), "message.bulk_test", "message:any",
            new { body = ReplyBody, at = Submitted, code = 30007 }, Submitted);

        // …and what the inbound batch does: a new message.
        db.Messages.Add(new Message
        {
            OrganizationId = message.OrganizationId,
            CampaignId = message.CampaignId,
            ContactId = contact.Id,
            Direction = MessageDirection.Inbound,
            Kind = MessageKind.Incoming,
            Phone = contact.PhoneE164,
            OurNumber = "+12125550000",
            Body = ReplyBody,
            Segments = 1,
            Encoding = SmsEncoding.Ucs2,
            Provider = MessagingSettings.Simulator,
            ProviderMessageId = providerId + "-in",
            Status = MessageStatus.Received,
            RespectsTextingWindow = false,
            NotBeforeUtc = Submitted,
            CreatedUtc = Submitted,
            UpdatedUtc = Submitted,
        });
    }

    private const string ReplyBody = "Ünïcode \"reply\" ✓ 🎉 'quoted'";

    private static async Task<List<Dictionary<string, object?>>> RowsAsync(AppDbContext db, string sql)
    {
        var connection = db.Database.GetDbConnection();
        await db.Database.OpenConnectionAsync(Ct);
        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = sql;
            await using DbDataReader reader = await command.ExecuteReaderAsync(Ct);
            var rows = new List<Dictionary<string, object?>>();
            while (await reader.ReadAsync(Ct))
            {
                var row = new Dictionary<string, object?>(StringComparer.Ordinal);
                for (var i = 0; i < reader.FieldCount; i++)
                {
                    row[reader.GetName(i)] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                }

                rows.Add(row);
            }

            return rows;
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    private static Dictionary<string, object?> Without(Dictionary<string, object?> row, params string[] columns) =>
        row.Where(c => !columns.Contains(c.Key)).ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);

    [Theory, BothDatabases]
    public async Task A_bulk_save_stores_new_and_changed_messages_contacts_and_status_changes_exactly_as_the_ordinary_save_does_and_counts_them(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var campaignId = await CampaignAsync(app, org);
        var ordinary = await QueueAsync(app, org, await ContactAsync(app, org, campaignId, "+12125550101"));
        var bulk = await QueueAsync(app, org, await ContactAsync(app, org, campaignId, "+12125550102"));

        await app.WithDbAsync(async db =>
        {
            await ChangeAsync(db, ordinary, "SM-ordinary");
            return await db.SaveChangesAsync(Ct);
        });
        var written = await app.WithDbAsync(async db =>
        {
            await ChangeAsync(db, bulk, BulkProviderId);
            await db.SaveChangesInBulkAsync(Ct);
            return db.ChangeTracker.Entries().Count(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted);
        });

        var (messages, contacts, changes, replies, audit) = await app.WithDbAsync(async db => (
            await RowsAsync(db, $"SELECT * FROM \"Messages\" WHERE \"ProviderMessageId\" NOT LIKE '%-in' ORDER BY \"Phone\""),
            await RowsAsync(db, $"SELECT * FROM \"Contacts\" WHERE \"CampaignId\" = '{Key(provider, campaignId)}' ORDER BY \"PhoneE164\""),
            await RowsAsync(db, $"SELECT * FROM \"MessageStatusChanges\" WHERE \"Detail\" = 'submitted' ORDER BY \"Id\""),
            await RowsAsync(db, $"SELECT * FROM \"Messages\" WHERE \"ProviderMessageId\" LIKE '%-in' ORDER BY \"Phone\""),
            await RowsAsync(db, $"SELECT * FROM \"AuditEvents\" WHERE \"Action\" = 'message.bulk_test' ORDER BY \"Sequence\"")));
        Assert.Equal(2, messages.Count);
        Assert.Equal(Without(messages[0], "Id", "ContactId", "Phone", "ActionId", "ProviderMessageId"), Without(messages[1], "Id", "ContactId", "Phone", "ActionId", "ProviderMessageId"));
        Assert.Equal(BulkProviderId, (await MessageAsync(app, bulk)).ProviderMessageId);
        Assert.Equal(Without(contacts[0], "Id", "PhoneE164"), Without(contacts[1], "Id", "PhoneE164"));
        Assert.Equal(2, changes.Count);
        Assert.Equal(Without(changes[0], "Id", "MessageId"), Without(changes[1], "Id", "MessageId"));
        Assert.Equal(2, replies.Count);
        Assert.Equal(Without(replies[0], "Id", "ContactId", "Phone", "ProviderMessageId"), Without(replies[1], "Id", "ContactId", "Phone", "ProviderMessageId"));
        Assert.Equal(ReplyBody, replies[1]["Body"]);
        Assert.Equal(2, audit.Count);
        Assert.Equal(Without(audit[0], "Id", "Sequence", "PreviousHash", "Hash"), Without(audit[1], "Id", "Sequence", "PreviousHash", "Hash"));
        // The bulk entry is chained and hashed as EF Core's is: the whole chain verifies.
        var chain = await (await org.Owner.Client.GetAsync(new Uri($"/api/v1/orgs/{org.Slug}/audit/verify", UriKind.Relative), Ct)).ReadAsync<VerifyAuditChain.Response>(HttpStatusCode.OK);
        Assert.True(chain.Ok && chain.Checked >= 2, $"{chain}");
        Assert.Equal(0, written); // nothing left pending in the context
        await CampaignCounterTests.AssertCountersEqualRowsAsync(app, campaignId);
    }

    [Theory, BothDatabases]
    public async Task A_row_whose_foreign_key_now_points_at_a_row_the_same_save_adds_is_left_to_EF_Core_which_writes_them_in_order(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);
        var org = await app.Seed.OrganizationAsync();
        var campaignId = await CampaignAsync(app, org);
        var contactId = await ContactAsync(app, org, campaignId, "+12125550103");

        var movedTo = await app.WithDbAsync(async db =>
        {
            var campaign = new Campaign { OrganizationId = org.Id, Title = "Moved", InitialMessage = "Hi", CreatedUtc = Submitted, UpdatedUtc = Submitted };
            db.Campaigns.Add(campaign);
            var contact = await db.Contacts.IgnoreQueryFilters().FirstAsync(c => c.Id == contactId, Ct);
            db.Entry(contact).Property(c => c.CampaignId).CurrentValue = campaign.Id;
            contact.LastMessageUtc = Submitted;
            await db.SaveChangesInBulkAsync(Ct);
            return campaign.Id;
        });

        Assert.Equal((movedTo, (DateTime?)Submitted), await app.WithDbAsync(db =>
            db.Contacts.IgnoreQueryFilters().Where(c => c.Id == contactId).Select(c => new ValueTuple<Guid, DateTime?>(c.CampaignId, c.LastMessageUtc)).SingleAsync(Ct)));
    }

    // EF Core stores GUIDs on SQLite as upper-case text.
    private static string Key(DatabaseProvider provider, Guid id) => provider == DatabaseProvider.Sqlite ? id.ToString().ToUpperInvariant() : id.ToString();
}
