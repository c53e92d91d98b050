using System.Reflection;
using Chorus.Infrastructure.Data;
using Xunit.Sdk;
using Xunit.v3;

namespace Chorus.IntegrationTests.Infrastructure;

/// <summary>Runs a database test once on SQLite and once on PostgreSQL (bitwarden's DatabaseDataAttribute idea).</summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class BothDatabasesAttribute : DataAttribute
{
    public override ValueTask<IReadOnlyCollection<ITheoryDataRow>> GetData(MethodInfo testMethod, DisposalTracker disposalTracker) =>
        new([new TheoryDataRow(DatabaseProvider.Sqlite), new TheoryDataRow(DatabaseProvider.Postgres)]);

    public override bool SupportsDiscoveryEnumeration() => true;
}
