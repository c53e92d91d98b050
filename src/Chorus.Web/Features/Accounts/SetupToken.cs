using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Chorus.Features.Accounts;

/// <summary>
/// The one-time secret that lets the first person create their account and organization on an empty instance.
/// Kept hashed in the database (not in memory) so that any instance can honour the link another one printed.
/// </summary>
public sealed class SetupToken
{
    public Guid Id { get; init; } = Guid.CreateVersion7();
    public required string TokenHash { get; init; }
    public DateTime CreatedUtc { get; init; }
}

internal sealed class SetupTokenConfiguration : IEntityTypeConfiguration<SetupToken>
{
    public void Configure(EntityTypeBuilder<SetupToken> builder)
    {
        builder.Property(t => t.TokenHash).HasMaxLength(64);
        builder.HasIndex(t => t.TokenHash).IsUnique();
    }
}
