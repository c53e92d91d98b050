using System.Security.Cryptography;
using Chorus.Features.Messaging.Providers;
using Chorus.Infrastructure.Data;
using Chorus.Infrastructure.Hosting;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.EntityFrameworkCore;

namespace Chorus.Features.Messaging;

/// <summary>
/// Reads and writes organizations' sending set-ups: creates the simulator set-up on first use, encrypts and decrypts
/// secrets, and turns a set-up into the <see cref="ProviderAccount"/> a provider call needs.
/// </summary>
public sealed class MessagingAccounts(IDataProtectionProvider protection, IEnumerable<ISmsProvider> providers, PublicAddress address)
{
    private readonly IDataProtector _protector = protection.CreateProtector("Chorus.Messaging.Secrets.v1");

    public string Protect(string secret) => _protector.Protect(secret);

    public string Unprotect(string ciphertext) => _protector.Unprotect(ciphertext);

    public ISmsProvider Provider(string name) =>
        providers.FirstOrDefault(p => p.Name == name) ?? throw new InvalidOperationException($"No SMS provider named '{name}' is registered.");

    /// <summary>The organization's set-up, created (simulator, fresh signing secret) when it has none yet.</summary>
    public async Task<MessagingSettings> GetOrCreateAsync(AppDbContext db, Guid organizationId, DateTime nowUtc, CancellationToken ct)
    {
        var settings = await db.MessagingSettings.IgnoreQueryFilters().FirstOrDefaultAsync(s => s.OrganizationId == organizationId, ct);
        if (settings is not null)
        {
            return settings;
        }

        settings = new MessagingSettings
        {
            OrganizationId = organizationId,
            SimulatorSecretProtected = Protect(Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20))),
            UpdatedUtc = nowUtc,
        };
        // Called before the caller has changes of its own, so this save stores only the new set-up.
        db.MessagingSettings.Add(settings);
        try
        {
            await db.SaveChangesAsync(ct);
        }
        catch (DbUpdateException e) when (DbErrors.IsUniqueViolation(e))
        {
            // Another request created it first: use theirs.
            db.Entry(settings).State = EntityState.Detached;
            return await db.MessagingSettings.IgnoreQueryFilters().FirstAsync(s => s.OrganizationId == organizationId, ct);
        }

        return settings;
    }

    /// <summary>
    /// The account to call <paramref name="providerName"/> with (the organization's current provider unless a webhook
    /// names another: the simulator's late callbacks still verify after a switch to Twilio). Null when that provider
    /// has no secret configured.
    /// </summary>
    public ProviderAccount? Account(MessagingSettings settings, string organizationSlug, string? providerName = null, string? publicBaseUrl = null)
    {
        var name = providerName ?? settings.Provider;
        var baseUrl = publicBaseUrl ?? address.BaseUrl;
        return name switch
        {
            MessagingSettings.Simulator => new ProviderAccount(
                settings.OrganizationId, organizationSlug, name, "AC" + settings.OrganizationId.ToString("N"),
                Unprotect(settings.SimulatorSecretProtected), null, settings.Provider == MessagingSettings.Simulator ? settings.Numbers : [], null, baseUrl),
            MessagingSettings.Twilio when settings is { TwilioAccountSid: { } sid, TwilioAuthTokenProtected: { } token } => new ProviderAccount(
                settings.OrganizationId, organizationSlug, name, sid, Unprotect(token), settings.TwilioMessagingServiceSid, settings.Numbers,
                settings.TwilioApiBaseUrl, baseUrl),
            _ => null,
        };
    }
}
