using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Chorus.Features.Messaging.Providers;

public static class TwilioProviderModule
{
    /// <summary>
    /// Registers <see cref="TwilioSmsProvider"/> as one more <see cref="ISmsProvider"/> (the dispatcher picks a provider
    /// by <see cref="ISmsProvider.Name"/>), its named HttpClient and <see cref="TwilioProviderOptions"/>.
    /// </summary>
    public static IServiceCollection AddTwilioProvider(this IServiceCollection services)
    {
        services.AddOptions<TwilioProviderOptions>()
            .BindConfiguration(TwilioProviderOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // The provider enforces RequestTimeout itself (and tells a timeout from a refused connection); the client's
        // own 100 s default would only hide that. No retry handler: retrying a POST to Twilio can send a text twice.
        services.AddHttpClient(TwilioSmsProvider.HttpClientName, client => client.Timeout = Timeout.InfiniteTimeSpan);
        services.TryAddEnumerable(ServiceDescriptor.Singleton<ISmsProvider, TwilioSmsProvider>());
        return services;
    }
}
