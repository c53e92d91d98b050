using System.Collections.Concurrent;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Chorus.Infrastructure.Data;

/// <summary>
/// A query compiled once per model with <c>EF.CompileAsyncQuery</c>, for the hot paths where EF Core's per-call work to
/// find a query's translation (building the expression tree, extracting its parameters, hashing it for the cache) costs
/// more CPU than the database spends running it (BENCHMARKS.md, send). EF Core binds a compiled query to the model it
/// was compiled against; a process has one model per provider (the tests run both), so each model gets its own.
/// </summary>
/// <typeparam name="TQuery">The delegate <c>EF.CompileAsyncQuery</c> returns.</typeparam>
public sealed class CompiledQuery<TQuery>(Func<TQuery> compile)
    where TQuery : class
{
    private readonly ConcurrentDictionary<IModel, TQuery> _byModel = new(ReferenceEqualityComparer.Instance);

    /// <summary>The query compiled for <paramref name="db"/>'s model.</summary>
    public TQuery For(AppDbContext db) => _byModel.GetOrAdd(db.Model, static (_, compile) => compile(), compile);
}
