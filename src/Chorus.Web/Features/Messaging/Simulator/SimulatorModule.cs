using Chorus.Features.Messaging.Providers;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Chorus.Features.Messaging.Simulator;

public static class SimulatorModule
{
    /// <summary>
    /// Registers the simulator as one <see cref="ISmsProvider"/> among others (consumers pick by name), its network and
    /// the loop that drives it, and the <c>simulator</c> HttpClient it posts our webhooks with.
    /// </summary>
    public static IServiceCollection AddSimulatorProvider(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SimulatorOptions>()
            .Bind(configuration.GetSection(SimulatorOptions.Section))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddHttpClient(SimulatorNetwork.HttpClientName, client =>
        {
            // Our own endpoint should answer at once; a hung one must not stall the whole simulated network.
            client.Timeout = TimeSpan.FromSeconds(10);
            client.DefaultRequestHeaders.UserAgent.ParseAdd("TwilioProxy/1.1");
        });
        services.AddSingleton<SimulatorNetwork>();
        services.AddHostedService<SimulatorNetworkDriver>();
        services.AddSingleton<ISmsProvider, SimulatorSmsProvider>();
        return services;
    }
}
