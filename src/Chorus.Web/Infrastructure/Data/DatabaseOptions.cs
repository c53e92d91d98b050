using System.ComponentModel.DataAnnotations;

namespace Chorus.Infrastructure.Data;

public enum DatabaseProvider
{
    Sqlite,
    Postgres,
}

/// <summary>Bound from the <c>Database</c> section; the connection string is <c>ConnectionStrings:Chorus</c>.</summary>
public sealed class DatabaseOptions
{
    public const string Section = "Database";

    [Required]
    public DatabaseProvider Provider { get; set; } = DatabaseProvider.Sqlite;

    /// <summary>
    /// Apply pending migrations when the app starts. On by default, which is what the embedded SQLite set-up wants;
    /// production PostgreSQL deployments set it to false and run the <c>migrate</c> verb (or an idempotent script).
    /// </summary>
    public bool MigrateOnStartup { get; set; } = true;
}
