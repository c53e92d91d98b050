using System.Text.Json;
using Microsoft.AspNetCore.DataProtection;

namespace Chorus.Features.Integrations;

/// <summary>The kinds this server knows, and the one place credentials are encrypted and decrypted.</summary>
public sealed class IntegrationRegistry(IEnumerable<IIntegrationHandler> handlers, IEnumerable<IIntegrationRunner> runners, IDataProtectionProvider protection)
{
    private readonly Dictionary<string, IIntegrationHandler> _handlers = handlers.ToDictionary(h => h.Kind, StringComparer.Ordinal);
    private readonly Dictionary<string, IIntegrationRunner> _runners = runners.ToDictionary(r => r.RunKind, StringComparer.Ordinal);
    private readonly IDataProtector _protector = protection.CreateProtector("Chorus.Integrations.Secrets.v1");

    public IReadOnlyCollection<IIntegrationHandler> Handlers => _handlers.Values;

    public IIntegrationHandler? Handler(string kind) => _handlers.GetValueOrDefault(kind);

    public IIntegrationRunner? Runner(string runKind) => _runners.GetValueOrDefault(runKind);

    public string? Protect(IReadOnlyDictionary<string, string> secrets) =>
        secrets.Count == 0 ? null : _protector.Protect(JsonSerializer.Serialize(secrets));

    public IReadOnlyDictionary<string, string> Unprotect(string? protectedSecrets) =>
        protectedSecrets is null ? new Dictionary<string, string>() : JsonSerializer.Deserialize<Dictionary<string, string>>(_protector.Unprotect(protectedSecrets)) ?? [];

    public IntegrationContext Context(Integration integration)
    {
        using var settings = JsonDocument.Parse(integration.Settings);
        return new IntegrationContext(integration, settings.RootElement.Clone(), Unprotect(integration.SecretsProtected));
    }
}
