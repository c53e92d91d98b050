using Chorus.Features.Contacts;
using Chorus.Features.Messaging;
using Chorus.Features.OptOuts;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Chorus.Features.Analytics.Exports;

// The indexes the exports' keyset pages walk ("WHERE scope AND Id > last ORDER BY Id LIMIT n"). Without them SQLite
// answered every page by reading the whole campaign through another index and sorting it (EXPLAIN QUERY PLAN: "USE
// TEMP B-TREE FOR ORDER BY"), which makes an export quadratic in the campaign's size. Kept here, beside the queries
// that need them; EF applies every configuration of an entity.

internal sealed class ContactExportIndexConfiguration : IEntityTypeConfiguration<Contact>
{
    public void Configure(EntityTypeBuilder<Contact> builder) => builder.HasIndex(c => new { c.CampaignId, c.Id });
}

/// <summary>One index serves both message exports: a campaign's pages walk the organization's messages in id order and skip other campaigns'.</summary>
internal sealed class MessageExportIndexConfiguration : IEntityTypeConfiguration<Message>
{
    public void Configure(EntityTypeBuilder<Message> builder) => builder.HasIndex(m => new { m.OrganizationId, m.Id });
}

internal sealed class OptOutExportIndexConfiguration : IEntityTypeConfiguration<OptOut>
{
    public void Configure(EntityTypeBuilder<OptOut> builder) => builder.HasIndex(o => new { o.OrganizationId, o.Id });
}
