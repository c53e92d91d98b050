using Chorus.Infrastructure.Data;
using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Chorus.UnitTests.Infrastructure;

public sealed class DbErrorsTests
{
    [Theory]
    [InlineData(19, 2067, true)] // SQLITE_CONSTRAINT_UNIQUE
    [InlineData(19, 1555, true)] // SQLITE_CONSTRAINT_PRIMARYKEY
    [InlineData(19, 787, false)] // SQLITE_CONSTRAINT_FOREIGNKEY
    [InlineData(19, 1299, false)] // SQLITE_CONSTRAINT_NOTNULL
    [InlineData(13, 13, false)] // SQLITE_FULL
    public void On_sqlite_only_a_unique_index_or_primary_key_refusal_is_a_lost_race(int code, int extendedCode, bool expected) =>
        Assert.Equal(expected, DbErrors.IsUniqueViolation(new DbUpdateException("save failed", new SqliteException("refused", code, extendedCode))));

    [Theory]
    [InlineData("23505", true)] // unique_violation
    [InlineData("23503", false)] // foreign_key_violation
    [InlineData("40001", false)] // serialization_failure
    [InlineData("53100", false)] // disk_full
    public void On_postgresql_only_a_unique_violation_is_a_lost_race(string sqlState, bool expected) =>
        Assert.Equal(expected, DbErrors.IsUniqueViolation(new DbUpdateException("save failed", new PostgresException("refused", "ERROR", "ERROR", sqlState))));

    [Fact]
    public void A_save_that_failed_without_a_database_error_is_not_a_lost_race() =>
        Assert.False(DbErrors.IsUniqueViolation(new DbUpdateException("save failed", new TimeoutException())));
}
