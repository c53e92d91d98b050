using Chorus.Infrastructure.Data;
using Npgsql;

namespace Chorus.UnitTests.Infrastructure;

public sealed class PostgresConnectionStringsTests
{
    [Fact]
    public void A_connection_string_without_a_choice_gets_automatic_preparation_and_keeps_everything_else()
    {
        var resolved = new NpgsqlConnectionStringBuilder(PostgresConnectionStrings.Resolve("Host=db;Port=5433;Database=chorus;Username=chorus;Password=s3cret;Maximum Pool Size=40"));

        Assert.Equal(PostgresConnectionStrings.DefaultMaxAutoPrepare, resolved.MaxAutoPrepare);
        Assert.Equal(("db", 5433, "chorus", "chorus", "s3cret", 40), (resolved.Host, resolved.Port, resolved.Database, resolved.Username, resolved.Password, resolved.MaxPoolSize));
    }

    [Theory]
    [InlineData("Host=db;Max Auto Prepare=0", 0)]
    [InlineData("Host=db;MaxAutoPrepare=0", 0)]
    [InlineData("Host=db;max auto prepare=8", 8)]
    public void A_connection_string_that_sets_automatic_preparation_keeps_its_own_setting(string configured, int expected) =>
        Assert.Equal(expected, new NpgsqlConnectionStringBuilder(PostgresConnectionStrings.Resolve(configured)).MaxAutoPrepare);
}
