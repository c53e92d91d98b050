using System.Net.Http.Headers;
using Chorus.Infrastructure.Data;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Chorus.IntegrationTests.Infrastructure;

/// <summary>
/// The real app over a real database (a fresh one per instance), with a fake clock. Tests authenticate the way API
/// clients do: with personal tokens issued through <see cref="Seed"/>.
/// </summary>
public sealed class ChorusApp(DatabaseProvider provider, string connectionString, Action<IServiceCollection>? configureServices = null) : WebApplicationFactory<Program>
{
    public static readonly DateTimeOffset Start = new(2026, 11, 3, 15, 0, 0, TimeSpan.Zero);

    public DatabaseProvider Provider { get; } = provider;
    public string ConnectionString { get; } = connectionString;
    public FakeTimeProvider Clock { get; } = new(Start);

    public static async Task<ChorusApp> StartAsync(DatabaseProvider provider, Action<IServiceCollection>? configureServices = null)
    {
        var connectionString = await new TestDatabases((await TestContext.Current.GetFixture<PostgresServer>())!).CreateAsync(provider);
        var app = new ChorusApp(provider, connectionString, configureServices);
        app.StartServer();
        return app;
    }

    public SeedData Seed => new(this);

    public HttpClient ClientWithToken(string token)
    {
        var client = CreateClient();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>Runs code against the app's services in a fresh scope (as a worker or the CLI would).</summary>
    public async Task<T> WithScopeAsync<T>(Func<IServiceProvider, Task<T>> action)
    {
        await using var scope = Services.CreateAsyncScope();
        return await action(scope.ServiceProvider);
    }

    public Task<T> WithDbAsync<T>(Func<AppDbContext, Task<T>> action) =>
        WithScopeAsync(sp => action(sp.GetRequiredService<AppDbContext>()));

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();

        // Each test has its own database, so its pooled connections would otherwise idle on until the server's
        // connection limit is reached. The app's contexts pool under the connection string as the app resolves it (with
        // automatic preparation), the event listener and the tests' own connections under the string as given.
        if (Provider == DatabaseProvider.Postgres)
        {
            foreach (var pooled in new[] { ConnectionString, PostgresConnectionStrings.Resolve(ConnectionString) })
            {
                using var connection = new Npgsql.NpgsqlConnection(pooled);
                Npgsql.NpgsqlConnection.ClearPool(connection);
            }
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("Database:Provider", Provider.ToString());
        builder.UseSetting("ConnectionStrings:Chorus", ConnectionString);
        builder.UseSetting("Database:MigrateOnStartup", "false");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        builder.UseSetting("Logging:LogLevel:Microsoft.EntityFrameworkCore", "None");

        // Tests drive the dispatcher, the reconciler and the simulated network by hand, on the fake clock; the simulator
        // delivers everything and no voter answers unless a test says otherwise.
        builder.UseSetting("Chorus:Dispatch:RunWorkers", "false");
        builder.UseSetting("Chorus:Simulator:RunInBackground", "false");
        builder.UseSetting("Chorus:Retention:RunInBackground", "false");
        builder.UseSetting("Chorus:Integrations:RunWorker", "false");
        builder.UseSetting("Chorus:Analytics:Counters:RunInBackground", "false");
        builder.UseSetting("Chorus:Simulator:Seed", "7");
        builder.UseSetting("Chorus:Simulator:ReplyShare", "0");
        builder.UseSetting("Chorus:Simulator:UndeliveredShare", "0");
        builder.UseSetting("Chorus:Simulator:FailedShare", "0");
        builder.ConfigureServices(services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);

            // PBKDF2 at the production work factor (100,000 rounds) took about 0.1 s of CPU per password, and most
            // tests seed several users. One round hashes and verifies through the same code; the stored hash records
            // its own round count, so nothing else changes.
            services.Configure<PasswordHasherOptions>(o => o.IterationCount = 1);

            // The simulator posts its webhooks into this very app, through the test server.
            services.AddHttpClient(Chorus.Features.Messaging.Simulator.SimulatorNetwork.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => Server.CreateHandler());
            configureServices?.Invoke(services);
        });
    }
}
