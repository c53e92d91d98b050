using System.Security.Cryptography;
using System.Text;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Hosting;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Chorus.Features.Links;

/// <summary>
/// Turns the links of one contact's message into that contact's short links, making and storing the codes the first
/// time and reusing them after (one code per contact and target, by unique index), so the send screen shows exactly
/// the text that is sent.
/// </summary>
public sealed class LinkTracker(IOptions<LinksOptions> options, PublicAddress publicAddress, TimeProvider clock)
{
    private const int MaxAttempts = 3;

    /// <summary>What every short link starts with: <c>{base}/l/</c>.</summary>
    public string ShortPrefix => (string.IsNullOrWhiteSpace(options.Value.BaseUrl) ? publicAddress.BaseUrl : options.Value.BaseUrl.Trim().TrimEnd('/')) + "/l/";

    /// <summary>The text with placeholder codes of the real length (a sample contact, the script editor).</summary>
    public string Preview(string text) => LinkRewriter.Preview(text, ShortPrefix);

    public sealed record Tracked(string Text, IReadOnlyList<TrackedLink> Links);

    /// <summary>
    /// <paramref name="text"/> with the contact's short links in place of its http(s) URLs. Codes not made yet are made and
    /// saved at once (their own save: a GET that renders the next contact makes them too, and two renders racing each other
    /// end with the one code the unique index kept). The returned links are tracked by <paramref name="db"/>, so a caller
    /// that queues the message can stamp <see cref="TrackedLink.MessageId"/> in the same save; they include the contact's
    /// links already written as short links in the text (an edited message).
    /// </summary>
    public async Task<Tracked> TrackAsync(AppDbContext db, Guid organizationId, Guid campaignId, Guid contactId, Guid? texterUserId, string text, CancellationToken ct)
    {
        var prefix = ShortPrefix;
        var targets = LinkRewriter.Targets(text, prefix);
        var existingCodes = LinkRewriter.ShortCodes(text, prefix);
        if (targets.Count == 0 && existingCodes.Count == 0)
        {
            return new Tracked(text, []);
        }

        var hashes = targets.ToDictionary(t => t, Hash, StringComparer.Ordinal);
        var wanted = hashes.Values.ToList();
        for (var attempt = 1; ; attempt++)
        {
            var links = await db.TrackedLinks.Where(l => l.ContactId == contactId && (wanted.Contains(l.TargetHash) || existingCodes.Contains(l.Code))).ToListAsync(ct);
            var byHash = links.GroupBy(l => l.TargetHash).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
            var added = targets.Where(t => !byHash.ContainsKey(hashes[t])).Select(t => new TrackedLink
            {
                OrganizationId = organizationId,
                CampaignId = campaignId,
                ContactId = contactId,
                TexterUserId = texterUserId,
                Code = LinkCode.New(),
                TargetUrl = t,
                TargetHash = hashes[t],
                CreatedUtc = clock.GetUtcNow().UtcDateTime,
            }).ToList();
            if (added.Count > 0)
            {
                db.TrackedLinks.AddRange(added);
                try
                {
                    await db.SaveChangesAsync(ct);
                }
                catch (DbUpdateException) when (attempt < MaxAttempts)
                {
                    // Another render of this contact stored the same target first (or, once in 10^14, a code collided):
                    // forget these and read what is stored now.
                    foreach (var link in added)
                    {
                        db.Entry(link).State = EntityState.Detached;
                    }

                    continue;
                }

                foreach (var link in added)
                {
                    byHash[link.TargetHash] = link;
                }
            }

            var rewritten = LinkRewriter.Rewrite(text, prefix, t => byHash.TryGetValue(hashes[t], out var link) ? link.Code : null);
            return new Tracked(rewritten, [.. links.Concat(added).DistinctBy(l => l.Id)]);
        }
    }

    public static string Hash(string target) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(target)));
}
