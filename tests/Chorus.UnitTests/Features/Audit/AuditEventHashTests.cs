using Chorus.Features.Audit;

namespace Chorus.UnitTests.Features.Audit;

public sealed class AuditEventHashTests
{
    private static AuditEvent AnEvent(string data = "{\"role\":\"Texter\"}") => new()
    {
        OrganizationId = Guid.Parse("0192a000-0000-7000-8000-000000000001"),
        Sequence = 1,
        OccurredUtc = new DateTime(2026, 11, 3, 14, 30, 0, DateTimeKind.Utc),
        ActorUserId = Guid.Parse("0192a000-0000-7000-8000-000000000002"),
        Actor = "owner@example.org",
        Action = "member.joined",
        Subject = "user:0192a000-0000-7000-8000-000000000003",
        Data = data,
        PreviousHash = AuditEvent.GenesisHash,
    };

    [Fact]
    public void Is_a_stable_sha256_of_the_previous_hash_and_the_canonical_content()
    {
        var hash = AnEvent().ComputeHash();

        Assert.Equal(64, hash.Length);
        Assert.Equal(hash, AnEvent().ComputeHash());
    }

    [Fact]
    public void Changes_when_any_content_changes()
    {
        var original = AnEvent().ComputeHash();

        var tampered = AnEvent("{\"role\":\"Owner\"}").ComputeHash();

        Assert.NotEqual(original, tampered);
    }

    [Fact]
    public void Changes_when_the_previous_hash_changes()
    {
        var entry = AnEvent();

        var relinked = entry.ComputeHash(new string('1', 64));

        Assert.NotEqual(entry.ComputeHash(), relinked);
    }
}
