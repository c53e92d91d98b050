using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Chorus.IntegrationTests.Features.Integrations.Webhooks;

/// <summary>One request the receiver got, as it arrived, and whether it passed the documented checks.</summary>
public sealed record ReceivedWebhook(string Path, string Id, string Timestamp, string Signature, string? ContentType, string Body, bool Verified, bool Fresh);

/// <summary>
/// A webhook receiver on 127.0.0.1 and a free port, written the way the README tells receivers to be: it verifies
/// <c>Chorus-Webhook-Signature</c> with its own HMAC code (not the server's), refuses timestamps more than five minutes
/// from its clock, answers 401 to what fails either check, and otherwise 200 — or what a test tells it to answer next.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public static readonly TimeSpan ReplayWindow = TimeSpan.FromMinutes(5);

    private readonly WebApplication _app;
    private readonly TimeProvider _clock;
    private readonly Lock _gate = new();
    private readonly List<ReceivedWebhook> _received = [];
    private readonly Queue<int> _answers = new();

    private WebhookReceiver(string secret, TimeProvider clock)
    {
        Secret = secret;
        _clock = clock;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    /// <summary>The secret the receiver verifies with (a test changes it after a rotation).</summary>
    public string Secret { get; set; }

    public string BaseUrl { get; private set; } = "";

    public IReadOnlyList<ReceivedWebhook> Received
    {
        get
        {
            lock (_gate)
            {
                return [.. _received];
            }
        }
    }

    public static async Task<WebhookReceiver> StartAsync(string secret, TimeProvider clock)
    {
        var receiver = new WebhookReceiver(secret, clock);
        await receiver._app.StartAsync();
        receiver.BaseUrl = receiver._app.Urls.Single().TrimEnd('/');
        return receiver;
    }

    public string Url(string path) => BaseUrl + path;

    /// <summary>The next <paramref name="times"/> requests that pass the checks are answered with <paramref name="status"/>.</summary>
    public void AnswerNext(int status, int times = 1)
    {
        lock (_gate)
        {
            for (var i = 0; i < times; i++)
            {
                _answers.Enqueue(status);
            }
        }
    }

    /// <summary>The documented check: <c>v1=</c> + hex HMAC-SHA256 with the secret's UTF-8 bytes over "{timestamp}." and the raw body, compared in constant time.</summary>
    public static bool Verify(string secret, string timestamp, byte[] body, string signatureHeader)
    {
        using var hmac = new HMACSHA256(Encoding.UTF8.GetBytes(secret));
        var prefix = Encoding.UTF8.GetBytes(timestamp + ".");
        hmac.TransformBlock(prefix, 0, prefix.Length, null, 0);
        hmac.TransformFinalBlock(body, 0, body.Length);
        var expected = Encoding.ASCII.GetBytes("v1=" + Convert.ToHexString(hmac.Hash!).ToLowerInvariant());
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(signatureHeader));
    }

    public static bool Verify(string secret, ReceivedWebhook webhook, string? body = null) =>
        Verify(secret, webhook.Timestamp, Encoding.UTF8.GetBytes(body ?? webhook.Body), webhook.Signature);

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private async Task HandleAsync(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        var id = context.Request.Headers["Chorus-Webhook-Id"].ToString();
        var timestamp = context.Request.Headers["Chorus-Webhook-Timestamp"].ToString();
        var signature = context.Request.Headers["Chorus-Webhook-Signature"].ToString();
        var verified = Verify(Secret, timestamp, body, signature);
        var fresh = long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            && (_clock.GetUtcNow() - DateTimeOffset.FromUnixTimeSeconds(seconds)).Duration() <= ReplayWindow;
        int status;
        lock (_gate)
        {
            _received.Add(new ReceivedWebhook(context.Request.Path, id, timestamp, signature, context.Request.ContentType, Encoding.UTF8.GetString(body), verified, fresh));
            status = !verified || !fresh ? StatusCodes.Status401Unauthorized : _answers.TryDequeue(out var next) ? next : StatusCodes.Status200OK;
        }

        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(status switch
        {
            200 => """{"ok":true}""",
            401 => """{"error":"signature or timestamp refused"}""",
            410 => """{"error":"this endpoint is gone"}""",
            _ => """{"error":"receiver failure"}""",
        });
    }
}
