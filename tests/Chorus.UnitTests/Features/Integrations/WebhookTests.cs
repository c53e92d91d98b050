using System.Text;
using Chorus.Features.Integrations.Webhooks;

namespace Chorus.UnitTests.Features.Integrations;

public sealed class WebhookTests
{
    private const string Secret = "whsec-test-0123456789-abcdefghijklmnopqrstuv";
    private const string Body = """{"type":"ping","phone":"+1"}""";

    // Computed with the README's shell line:
    // { printf '%s.' 1764200000; printf '%s' "$BODY"; } | openssl dgst -sha256 -hmac "$SECRET" -r
    private const string Expected = "v1=0d74e721d8187cbf339ec4c833c040888b310dfc3b46b7ead85f34a93b128f9d";

    [Fact]
    public void The_signature_is_the_hex_hmac_of_timestamp_dot_body_that_openssl_computes()
    {
        Assert.Equal(Expected, WebhookSignature.Sign(Secret, 1764200000, Encoding.UTF8.GetBytes(Body)));
        Assert.NotEqual(Expected, WebhookSignature.Sign(Secret, 1764200001, Encoding.UTF8.GetBytes(Body)));
        Assert.NotEqual(Expected, WebhookSignature.Sign(Secret, 1764200000, Encoding.UTF8.GetBytes(Body.Replace("+1", "+2", StringComparison.Ordinal))));
        Assert.NotEqual(Expected, WebhookSignature.Sign(Secret + "x", 1764200000, Encoding.UTF8.GetBytes(Body)));
    }

    [Fact]
    public void New_secrets_are_43_base64url_characters_and_differ_each_time()
    {
        var secrets = Enumerable.Range(0, 20).Select(_ => WebhookSignature.NewSecret()).ToList();

        Assert.All(secrets, s => Assert.Matches("^[A-Za-z0-9_-]{43}$", s));
        Assert.Equal(secrets.Count, secrets.Distinct(StringComparer.Ordinal).Count());
    }

    [Theory]
    [InlineData("https://hooks.example.org/chorus?team=1")]
    [InlineData("https://10.0.0.5:8443/warehouse")]
    public void Https_addresses_are_accepted(string url) => Assert.Null(WebhookHandler.CheckUrl(url, allowLoopbackHttp: false));

    [Theory]
    [InlineData("http://localhost:5000/hook")]
    [InlineData("http://127.0.0.1:5000/hook")]
    [InlineData("http://[::1]:5000/hook")]
    public void Plain_http_to_this_machine_is_accepted_only_when_the_server_allows_it(string url)
    {
        Assert.Null(WebhookHandler.CheckUrl(url, allowLoopbackHttp: true));
        Assert.Contains("https://", WebhookHandler.CheckUrl(url, allowLoopbackHttp: false), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://example.com/hook", "must use https://")]
    [InlineData("http://localhost.example.com/hook", "must use https://")]
    [InlineData("http://10.0.0.5/hook", "must use https://")]
    [InlineData("javascript:alert(1)", "not a web address")]
    [InlineData("data:text/html,<script>alert(1)</script>", "not a web address")]
    [InlineData("file:///etc/passwd", "not a web address")]
    [InlineData("/relative/path", "not a web address")]
    [InlineData("https://user:secret@example.com/hook", "user name or password")]
    [InlineData("", "Say where to send events")]
    public void Other_addresses_are_refused_with_the_reason(string url, string reason) =>
        Assert.Contains(reason, WebhookHandler.CheckUrl(url, allowLoopbackHttp: true), StringComparison.Ordinal);
}
