using System.Net;
using Chorus.Infrastructure.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;

namespace Chorus.Bench;

/// <summary>
/// The real app on Kestrel (loopback, random port), quiet logs, against the given database; <paramref name="settings"/>
/// override configuration. With <paramref name="workers"/> false it runs no background service: a bench that measures a
/// <see cref="ServerProcess"/> uses it only to seed, and its workers must not take the server's jobs.
/// </summary>
internal sealed class BenchApp(DatabaseProvider provider, string connectionString, IReadOnlyDictionary<string, string>? settings = null, bool workers = true)
    : WebApplicationFactory<Program>
{
    public Uri Start()
    {
        // Not UseKestrel(0), which races the app's own start (dotnet/aspnetcore#67714); see ChorusServer in the tests.
        UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        StartServer();
        return ClientOptions.BaseAddress;
    }

    private static string WebProjectFolder()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            var candidate = Path.Combine(folder.FullName, "src", "Chorus.Web");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new DirectoryNotFoundException("Run the bench from inside the Chorus repository (src/Chorus.Web not found).");
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseContentRoot(WebProjectFolder());
        builder.UseEnvironment("Production");
        builder.UseSetting("Database:Provider", provider.ToString());
        builder.UseSetting("ConnectionStrings:Chorus", connectionString);
        builder.UseSetting("Database:MigrateOnStartup", "false");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore", "None");
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            builder.UseSetting(key, value);
        }

        if (!workers)
        {
            builder.ConfigureServices(services => services.RemoveAll<IHostedService>());
        }
    }
}
