using Microsoft.EntityFrameworkCore;

namespace Chorus.Infrastructure.Data;

public sealed class PostgresAppDbContext(DbContextOptions<PostgresAppDbContext> options, CurrentOrganization currentOrganization)
    : AppDbContext(options, currentOrganization);
