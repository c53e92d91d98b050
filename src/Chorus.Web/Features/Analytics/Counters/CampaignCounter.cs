using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Chorus.Features.Analytics.Counters;

/// <summary>
/// One change to one of a campaign's statistics (README.md, "Counters"): the value of a key is the sum of its rows.
/// Writers only ever insert rows, in the transaction of the change they count, so concurrent sends, callbacks and
/// replies never wait on a shared counter row; <see cref="CampaignCounters.CompactAsync"/> folds a campaign's rows into
/// one per key from time to time.
/// </summary>
public sealed class CampaignCounter
{
    public const int MaxKeyLength = 400;

    public long Id { get; init; }
    public Guid CampaignId { get; init; }

    /// <summary>What is counted, e.g. <c>m|1|0|5||…</c> (see <see cref="CounterKeys"/>).</summary>
    public required string Key { get; init; }

    public long Count { get; init; }

    /// <summary>Message segments, for the message keys; zero elsewhere.</summary>
    public long Segments { get; init; }
}

internal sealed class CampaignCounterConfiguration : IEntityTypeConfiguration<CampaignCounter>
{
    public void Configure(EntityTypeBuilder<CampaignCounter> builder)
    {
        builder.Property(c => c.Key).HasMaxLength(CampaignCounter.MaxKeyLength);

        // A campaign's rows in key order: the stats read and the compaction read one index range.
        builder.HasIndex(c => new { c.CampaignId, c.Key });
    }
}
