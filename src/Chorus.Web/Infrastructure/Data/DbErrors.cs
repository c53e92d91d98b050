using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Chorus.Infrastructure.Data;

/// <summary>What a refused save means, for the callers that answer a lost race differently from a failure.</summary>
public static class DbErrors
{
    /// <summary>
    /// Whether a unique index or a primary key refused the save: another writer stored the same key first. Anything else
    /// (a foreign key, a full disk, a dropped connection) is a failure, not a lost race, and must not be answered as one.
    /// </summary>
    public static bool IsUniqueViolation(DbUpdateException exception) => IsUniqueViolation(exception.InnerException);

    /// <inheritdoc cref="IsUniqueViolation(DbUpdateException)"/>
    public static bool IsUniqueViolation(Exception? exception) => exception switch
    {
        SqliteException sqlite => sqlite.SqliteExtendedErrorCode is SQLitePCL.raw.SQLITE_CONSTRAINT_UNIQUE or SQLitePCL.raw.SQLITE_CONSTRAINT_PRIMARYKEY,
        PostgresException postgres => postgres.SqlState == PostgresErrorCodes.UniqueViolation,
        _ => false,
    };
}
