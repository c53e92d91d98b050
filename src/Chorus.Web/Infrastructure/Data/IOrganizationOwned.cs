namespace Chorus.Infrastructure.Data;

/// <summary>
/// An entity that belongs to one organization. <see cref="AppDbContext"/> applies a global query filter to every
/// such entity, so a query sees only the rows of the organization the request was resolved to; code that really
/// needs every organization's rows (the CLI, workers) says so with <c>IgnoreQueryFilters()</c>.
/// </summary>
public interface IOrganizationOwned
{
    Guid OrganizationId { get; }
}
