using System.Diagnostics.CodeAnalysis;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;

namespace Chorus.Infrastructure.Data;

/// <summary>
/// Hints for a query planner that has no statistics to go on. SQLite plans without <c>ANALYZE</c> data, so it guesses
/// that any equality on an index's first column selects about ten rows, and for "this organization and one of these
/// phones" it would read every contact of the organization through an organization-first index rather than seek each
/// phone. PostgreSQL keeps real statistics and gets the plain predicate.
/// </summary>
public static class QueryHints
{
    /// <summary>
    /// <paramref name="predicate"/>, marked as true for most rows (SQLite's <c>likely()</c>), so the planner does not pick
    /// an index for it when another term of the query is selective. Only for use inside queries.
    /// </summary>
    [SuppressMessage("Usage", "CA1801", Justification = "Translated to SQL; never called in memory.")]
    public static bool Likely(bool predicate) => throw new InvalidOperationException("QueryHints.Likely runs only inside a database query.");

    internal static void Register(ModelBuilder builder, bool sqlite) =>
        builder.HasDbFunction(typeof(QueryHints).GetMethod(nameof(Likely))!)
            .HasTranslation(arguments => sqlite
                ? new SqlFunctionExpression("likely", arguments, nullable: false, argumentsPropagateNullability: [false], typeof(bool), arguments[0].TypeMapping)
                : arguments[0]);
}
