using Chorus.Features.Accounts;

namespace Chorus.UnitTests.Features.Accounts;

public sealed class ApiTokenTests
{
    [Fact]
    public void Issues_a_prefixed_token_of_at_least_32_random_bytes_and_stores_only_its_hash()
    {
        var (token, secret) = ApiToken.Issue(Guid.NewGuid(), "laptop", new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc));

        Assert.StartsWith(ApiToken.TokenPrefix, secret, StringComparison.Ordinal);
        Assert.True(secret.Length - ApiToken.TokenPrefix.Length >= 43); // 32 bytes in unpadded base64url
        Assert.Equal(ApiToken.Hash(secret), token.TokenHash);
        Assert.DoesNotContain(secret, token.TokenHash, StringComparison.Ordinal);
        Assert.StartsWith(token.Hint, secret, StringComparison.Ordinal);
    }

    [Fact]
    public void Never_issues_the_same_token_twice()
    {
        var now = new DateTime(2026, 11, 1, 0, 0, 0, DateTimeKind.Utc);

        var secrets = Enumerable.Range(0, 1000).Select(_ => ApiToken.Issue(Guid.Empty, "t", now).Secret).ToHashSet();

        Assert.Equal(1000, secrets.Count);
    }
}
