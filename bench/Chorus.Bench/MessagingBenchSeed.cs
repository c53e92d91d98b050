using System.Globalization;
using Chorus.Features.Accounts;
using Chorus.Features.Audit;
using Chorus.Features.Messaging;
using Chorus.Features.Organizations;
using Chorus.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.DependencyInjection;

namespace Chorus.Bench;

/// <summary>What the messaging benches share: an organization on the simulator, its owner's API token and the simulator's signing secret.</summary>
internal sealed record BenchOrganization(Guid Id, string Slug, Guid OwnerId, string Token, string SigningSecret)
{
    public string AccountSid => "AC" + Id.ToString("N");

    public static async Task<BenchOrganization> CreateAsync(IServiceProvider services)
    {
        await using var scope = services.CreateAsyncScope();
        var sp = scope.ServiceProvider;
        var db = sp.GetRequiredService<AppDbContext>();
        var clock = sp.GetRequiredService<TimeProvider>();
        var email = $"bench-{Guid.NewGuid():N}@example.org";
        var user = await RegisterAccount.ExecuteAsync(new RegisterAccount.Request(email, "bench password 123", "Bench"), sp.GetRequiredService<UserManager<AppUser>>(), clock);
        var org = await CreateOrganization.ExecuteAsync($"Bench {Guid.NewGuid():N}"[..14], user.Value!.Id, AuditActor.Cli, db, clock, default);
        var token = await CreateApiToken.ExecuteAsync(user.Value.Id, email, "bench", db, clock, default);
        var accounts = sp.GetRequiredService<MessagingAccounts>();
        var settings = await accounts.GetOrCreateAsync(db, org.Value!.Id, clock.GetUtcNow().UtcDateTime, default);
        return new BenchOrganization(org.Value.Id, org.Value.Slug, user.Value.Id, token.Value!.Token, accounts.Unprotect(settings.SimulatorSecretProtected));
    }

    /// <summary>A valid, distinct US mobile-looking number for contact <paramref name="i"/> (i &lt; 8,000,000).</summary>
    public static string Phone(int i) => string.Create(CultureInfo.InvariantCulture, $"+1{Npas[i % Npas.Length]}{2_000_000 + (i / Npas.Length):D7}");

    private static readonly string[] Npas = ["212", "213", "305", "312", "404", "415", "503", "602", "617", "646"];
}

/// <summary>Percentiles over a sorted sample, in milliseconds.</summary>
internal static class Percentiles
{
    public static string Of(double[] sorted, double q) =>
        sorted.Length == 0 ? "n/a" : sorted[Math.Min(sorted.Length - 1, (int)(q * sorted.Length))].ToString("F2", CultureInfo.InvariantCulture);
}
