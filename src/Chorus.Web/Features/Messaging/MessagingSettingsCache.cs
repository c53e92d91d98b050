using System.Collections.Concurrent;
using Chorus.Features.Messaging.Keywords;
using Chorus.Infrastructure.Data;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Messaging;

/// <summary>
/// What every provider webhook needs before it can store anything — the organization behind the URL's slug, its
/// messaging settings with the secrets already decrypted, and its parsed keyword rules — kept per organization for
/// <see cref="Lifetime"/>. Measured under 32 concurrent webhooks, re-reading them cost two queries, a Data Protection
/// decryption and a keyword parse per request.
/// </summary>
/// <remarks>
/// <see cref="MessagingSetup.UpdateAsync"/> drops the organization's entry on this instance as soon as it saves.
/// Other instances (several web servers on one PostgreSQL database) keep their copy until it expires, so they can
/// apply settings up to <see cref="Lifetime"/> old: a renamed organization, new keywords or new texts take that long
/// to reach them. A changed secret does not: a signature that fails against a cached secret is checked once more
/// against a fresh read (<see cref="GetAsync"/> with <c>fresh</c>) before the webhook is refused.
/// </remarks>
public sealed class MessagingSettingsCache(MessagingAccounts accounts, TimeProvider clock)
{
    public static readonly TimeSpan Lifetime = TimeSpan.FromSeconds(30);

    private readonly ConcurrentDictionary<string, Entry> _bySlug = new(StringComparer.Ordinal);
    private readonly Lock _writes = new();

    // Bumped by every invalidation: a load that began before a save must not store what it read after the save
    // dropped the entry.
    private long _generation;

    /// <summary>
    /// One organization's webhook view. <see cref="Settings"/> is a detached copy shared by concurrent requests:
    /// read it, never change it.
    /// </summary>
    public sealed record Entry(
        Guid OrganizationId, string Slug, string OrganizationName, MessagingSettings Settings, KeywordRules Rules,
        string SimulatorSecret, string? TwilioAuthToken, long LoadedTimestamp)
    {
        /// <summary>The secret <paramref name="provider"/>'s webhooks are signed with, or null when it has none.</summary>
        public string? SigningSecret(string provider) => provider switch
        {
            MessagingSettings.Simulator => SimulatorSecret,
            MessagingSettings.Twilio when Settings.TwilioAccountSid is not null => TwilioAuthToken,
            _ => null,
        };
    }

    /// <summary>
    /// The organization with this slug and its set-up (created, as <see cref="MessagingAccounts.GetOrCreateAsync"/>
    /// does, when it has none), or null when no organization has the slug; <c>Cached</c> says whether it came from
    /// the cache. <paramref name="fresh"/> skips the cache.
    /// </summary>
    public async Task<(Entry? Entry, bool Cached)> GetAsync(AppDbContext db, string slug, bool fresh, CancellationToken ct)
    {
        if (!fresh && _bySlug.TryGetValue(slug, out var cached) && clock.GetElapsedTime(cached.LoadedTimestamp) < Lifetime)
        {
            return (cached, true);
        }

        var generation = Interlocked.Read(ref _generation);
        var loadedTimestamp = clock.GetTimestamp();
        var organization = await db.Organizations.AsNoTracking().Where(o => o.Slug == slug).Select(o => new { o.Id, o.Slug, o.Name }).FirstOrDefaultAsync(ct);
        if (organization is null)
        {
            _bySlug.TryRemove(slug, out _);
            return (null, false);
        }

        var settings = await accounts.GetOrCreateAsync(db, organization.Id, clock.GetUtcNow().UtcDateTime, ct);
        // Shared across requests from now on: never tracked by (and so never saved through) any context.
        db.Entry(settings).State = EntityState.Detached;
        var entry = new Entry(
            organization.Id, organization.Slug, organization.Name, settings,
            KeywordRules.Parse(settings.OptOutKeywords, settings.OptInKeywords, settings.HelpKeywords, settings.LikelyOptOutPhrases),
            accounts.Unprotect(settings.SimulatorSecretProtected),
            settings.TwilioAuthTokenProtected is { } token ? accounts.Unprotect(token) : null,
            loadedTimestamp);
        lock (_writes)
        {
            if (_generation == generation)
            {
                _bySlug[slug] = entry;
            }
        }

        return (entry, false);
    }

    /// <summary>Forgets the organization's entry on this instance (its settings were just saved).</summary>
    public void Invalidate(Guid organizationId)
    {
        lock (_writes)
        {
            _generation++;
            foreach (var (slug, entry) in _bySlug)
            {
                if (entry.OrganizationId == organizationId)
                {
                    _bySlug.TryRemove(slug, out _);
                }
            }
        }
    }
}
