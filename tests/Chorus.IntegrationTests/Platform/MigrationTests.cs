using Chorus.Infrastructure.Data;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Chorus.IntegrationTests.Platform;

public sealed class MigrationTests
{
    [Theory, BothDatabases]
    public async Task Every_model_change_has_its_migration(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);

        var pending = await app.WithDbAsync(db => Task.FromResult(db.Database.HasPendingModelChanges()));

        Assert.False(pending, $"The {provider} model has changes without a migration: run eng/add-migration.sh <Name>.");
    }

    [Theory, BothDatabases]
    public async Task The_database_is_built_by_the_migrations_of_its_own_provider(DatabaseProvider provider)
    {
        await using var app = await ChorusApp.StartAsync(provider);

        var (applied, contextType) = await app.WithScopeAsync(async sp =>
        {
            var db = sp.GetRequiredService<AppDbContext>();
            return ((await db.Database.GetAppliedMigrationsAsync()).ToList(), db.GetType());
        });

        Assert.NotEmpty(applied);
        Assert.Equal(provider == DatabaseProvider.Sqlite ? typeof(SqliteAppDbContext) : typeof(PostgresAppDbContext), contextType);
    }
}
