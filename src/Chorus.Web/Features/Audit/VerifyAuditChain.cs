using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Audit;

/// <summary>
/// Walks an organization's record in sequence order and recomputes every hash. The first entry whose stored
/// hash, link to its predecessor or sequence number does not match is reported: anything from there on cannot be
/// trusted. Streams the rows, so memory stays flat however long the record is.
/// </summary>
public static class VerifyAuditChain
{
    public sealed record Response(bool Ok, long Checked, Guid? FirstBrokenId);

    public static async Task<Response> ExecuteAsync(AppDbContext db, CancellationToken ct)
    {
        var previousHash = AuditEvent.GenesisHash;
        long expectedSequence = 1;
        long checkedCount = 0;
        await foreach (var entry in db.AuditEvents.AsNoTracking().OrderBy(e => e.Sequence).AsAsyncEnumerable().WithCancellation(ct))
        {
            checkedCount++;
            var intact = entry.Sequence == expectedSequence
                && entry.PreviousHash == previousHash
                && entry.Hash == entry.ComputeHash(previousHash);
            if (!intact)
            {
                return new Response(false, checkedCount, entry.Id);
            }

            previousHash = entry.Hash;
            expectedSequence++;
        }

        return new Response(true, checkedCount, null);
    }

    public static Task<Response> HandleAsync(AppDbContext db, CancellationToken ct) => ExecuteAsync(db, ct);
}
