using Chorus.Features.Contacts;
using Chorus.Features.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Chorus.Features.Analytics;

// Indexes for reading one campaign's rows, kept with the analytics that need them (EF applies every configuration of
// an entity). The statistics themselves read counters (Counters/); these serve counting a campaign from its rows (a
// campaign from before the counters), the exports and the cost report. The message index holds no status: a status
// change, the commonest write, does not touch it (it replaced two covering indexes that did).

internal sealed class MessageAnalyticsIndexes : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> builder) =>
        builder.HasIndex(m => new { m.CampaignId, m.CreatedUtc }).HasDatabaseName("IX_Messages_CampaignCreated");
}

internal sealed class ContactAnalyticsIndexes : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> builder)
    {
        builder.HasIndex(c => new { c.CampaignId, c.ConversationStatus, c.LastMessageUtc }).HasDatabaseName("IX_Contacts_CampaignStatus");
    }
}
