using Chorus.Features.Contacts;
using Chorus.Features.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Chorus.Features.Analytics;

// The indexes the statistics' GROUP BYs read instead of the tables, kept with the queries that need them (EF applies
// every configuration of an entity). Each covers its query's filter, keys and sums, so SQLite scans only the
// campaign's index range, in group order, without touching the rows (checked with EXPLAIN QUERY PLAN, README.md).

internal sealed class MessageAnalyticsIndexes : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> builder)
    {
        builder.HasIndex(m => new { m.CampaignId, m.Direction, m.Kind, m.Status, m.ErrorCode, m.Carrier, m.TexterUserId, m.Segments })
            .HasDatabaseName("IX_Messages_CampaignStats");
        builder.HasIndex(m => new { m.CampaignId, m.CreatedUtc, m.Direction, m.Kind, m.Status }).HasDatabaseName("IX_Messages_CampaignHourly");
    }
}

internal sealed class ContactAnalyticsIndexes : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> builder)
    {
        builder.HasIndex(c => new { c.CampaignId, c.LastInboundUtc }).HasDatabaseName("IX_Contacts_CampaignReplied");
        builder.HasIndex(c => new { c.CampaignId, c.ConversationStatus, c.LastMessageUtc }).HasDatabaseName("IX_Contacts_CampaignStatus");
    }
}
