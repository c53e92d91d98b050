using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Options;

namespace Chorus.Infrastructure.Hosting;

/// <summary>
/// Where people and providers reach this instance outside a request (the set-up link printed at start, provider
/// callback URLs): <c>Chorus:PublicBaseUrl</c> when set (behind a proxy it must be), else the address the server
/// listens on, with a wildcard host shown as localhost. Inside a request, <see cref="ChorusOptions.BaseUrlFor"/>.
/// </summary>
public sealed class PublicAddress(IOptions<ChorusOptions> options, IServer server)
{
    public string BaseUrl
    {
        get
        {
            if (!string.IsNullOrWhiteSpace(options.Value.PublicBaseUrl))
            {
                return options.Value.PublicBaseUrl.TrimEnd('/');
            }

            var listening = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
            if (listening is null)
            {
                return "http://localhost";
            }

            return listening.Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal)
                .Replace("://[::]", "://localhost", StringComparison.Ordinal)
                .Replace("://+", "://localhost", StringComparison.Ordinal)
                .Replace("://*", "://localhost", StringComparison.Ordinal)
                .TrimEnd('/');
        }
    }
}
