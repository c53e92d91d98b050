using Microsoft.EntityFrameworkCore;

namespace Chorus.Infrastructure.Data;

public sealed class SqliteAppDbContext(DbContextOptions<SqliteAppDbContext> options, CurrentOrganization currentOrganization)
    : AppDbContext(options, currentOrganization);
