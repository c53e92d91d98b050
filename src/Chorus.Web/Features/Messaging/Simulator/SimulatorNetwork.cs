using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using Chorus.Features.Campaigns.Templates;
using Chorus.Features.Messaging.Providers;
using Microsoft.Extensions.Primitives;

namespace Chorus.Features.Messaging.Simulator;

/// <summary>
/// The simulated phone network: a schedule of Twilio-format webhook posts (status callbacks and contacts' replies) to our
/// own webhook endpoints, each signed with the account's auth token exactly as Twilio signs, so simulated traffic takes
/// the same path through verification, parsing and processing as real traffic. Thread-safe; one per process.
/// </summary>
/// <remarks>
/// Like Twilio it blocks a sending number for a contact who texts a single-word opt-out keyword (STOP, STOPALL,
/// UNSUBSCRIBE, CANCEL, END, QUIT, REVOKE, OPTOUT; case-insensitive, surrounding spaces ignored) and unblocks it on
/// START, UNSTOP or YES. Sends to a blocked pair are refused with 21610. "Stop." or "STOP ALL" do not block, as at
/// Twilio: catching those is our opt-out matcher's job. The block lives in memory and is lost on restart.
/// </remarks>
public sealed class SimulatorNetwork(IHttpClientFactory httpClients, TimeProvider clock, ILogger<SimulatorNetwork> logger) : IDisposable
{
    /// <summary>The named <see cref="HttpClient"/> the network posts with.</summary>
    public const string HttpClientName = "simulator";

    public const string ApiVersion = "2010-04-01";

    /// <summary>Attempts per webhook post (the first plus retries) before the network drops it, as a lossy network would.</summary>
    public const int MaxAttempts = 4;

    /// <summary>Wait before the first retry; each further retry waits twice as long.</summary>
    public static readonly TimeSpan FirstRetryDelay = TimeSpan.FromSeconds(1);

    private static readonly HashSet<string> StopKeywords = new(["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT"], StringComparer.OrdinalIgnoreCase);
    private static readonly HashSet<string> StartKeywords = new(["START", "UNSTOP", "YES"], StringComparer.OrdinalIgnoreCase);

    private readonly Lock _lock = new();
    private readonly PriorityQueue<ScheduledPost, (DateTimeOffset DueAt, long Sequence)> _queue = new();
    private readonly SemaphoreSlim _pass = new(1, 1);
    private readonly ConcurrentDictionary<string, byte> _blocked = new(StringComparer.Ordinal);
    private long _sequence;

    /// <summary>Webhook posts scheduled and not yet made (including ones waiting for a retry).</summary>
    public int Pending
    {
        get
        {
            lock (_lock)
            {
                return _queue.Count;
            }
        }
    }

    /// <summary>
    /// Makes every post that is due by the injected clock, in due order (ties in the order they were scheduled), one at a
    /// time so that a message's "sent" reaches us before its "delivered". A post that fails (non-2xx or exception) is
    /// scheduled again with backoff, up to <see cref="MaxAttempts"/>, then logged and dropped. Passes do not overlap: when
    /// this returns, every post due when it was called has been made, by this pass or a concurrent one.
    /// </summary>
    /// <returns>How many posts this pass made, accepted or not.</returns>
    public async Task<int> RunDueAsync(CancellationToken cancellationToken)
    {
        await _pass.WaitAsync(cancellationToken);
        try
        {
            var now = clock.GetUtcNow();
            var due = new List<ScheduledPost>();
            lock (_lock)
            {
                while (_queue.TryPeek(out _, out var key) && key.DueAt <= now)
                {
                    due.Add(_queue.Dequeue());
                }
            }

            var made = 0;
            try
            {
                foreach (var post in due)
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    await DeliverAsync(post, cancellationToken);
                    made++;
                }
            }
            finally
            {
                // Cancelled mid-pass (shutdown): put back what was not posted, so nothing is lost while the process lives.
                lock (_lock)
                {
                    foreach (var post in due.Skip(made))
                    {
                        _queue.Enqueue(post, (post.DueAt, post.Sequence));
                    }
                }
            }

            return made;
        }
        finally
        {
            _pass.Release();
        }
    }

    /// <summary>
    /// Plays a contact texting one of our numbers: posts one inbound message to the account's inbound webhook right away
    /// (not through the schedule, and without retries), signed as Twilio signs.
    /// </summary>
    /// <param name="account">Whose number was texted; its auth token signs the post.</param>
    /// <param name="from">The contact's number (E.164).</param>
    /// <param name="to">Our number (E.164).</param>
    /// <param name="body">The text, as the contact wrote it.</param>
    /// <param name="cancellationToken">Cancels the post.</param>
    /// <returns>The message's sid and the status code our endpoint answered; <c>Accepted</c> is true for 2xx.</returns>
    /// <exception cref="HttpRequestException">Our endpoint could not be reached at all.</exception>
    public async Task<SimulatedInbound> PostInboundAsync(ProviderAccount account, string from, string to, string body, CancellationToken cancellationToken)
    {
        var sid = "SM" + Guid.NewGuid().ToString("N");
        var post = InboundPost(account, sid, from, to, body, clock.GetUtcNow());
        ApplyKeywords(post);
        var status = await SendAsync(post, cancellationToken);
        return new SimulatedInbound(sid, status);
    }

    public void Dispose() => _pass.Dispose();

    /// <summary>Whether the contact <paramref name="to"/> has blocked <paramref name="from"/> with a keyword.</summary>
    internal bool IsBlocked(string accountSid, string from, string to) => _blocked.ContainsKey(BlockKey(accountSid, from, to));

    internal void ScheduleStatus(ProviderAccount account, string url, string messageSid, string status, string from, string to, int? errorCode, DateTimeOffset dueAt)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("MessageSid", messageSid),
            new("SmsSid", messageSid),
            new("MessageStatus", status),
            new("SmsStatus", status),
            new("AccountSid", account.AccountSid),
            new("From", from),
            new("To", to),
            new("ApiVersion", ApiVersion),
            new("Carrier", SimulatedCarriers.For(to)),
        };
        if (errorCode is { } code)
        {
            form.Add(new("ErrorCode", code.ToString(CultureInfo.InvariantCulture)));
        }

        if (status is "delivered" or "undelivered")
        {
            // Twilio's carrier receipt time: YYMMDDhhmm, UTC in practice, no zone.
            form.Add(new("RawDlrDoneDate", dueAt.UtcDateTime.ToString("yyMMddHHmm", CultureInfo.InvariantCulture)));
        }

        Enqueue(new ScheduledPost(url, account.AuthToken, form, IsInbound: false, dueAt, 0, Attempt: 1));
    }

    internal void ScheduleInbound(ProviderAccount account, string messageSid, string from, string to, string body, DateTimeOffset dueAt) =>
        Enqueue(InboundPost(account, messageSid, from, to, body, dueAt));

    private static ScheduledPost InboundPost(ProviderAccount account, string messageSid, string from, string to, string body, DateTimeOffset dueAt)
    {
        var form = new List<KeyValuePair<string, string>>
        {
            new("MessageSid", messageSid),
            new("SmsMessageSid", messageSid),
            new("SmsSid", messageSid),
            new("AccountSid", account.AccountSid),
            new("From", from),
            new("To", to),
            new("Body", body),
            new("NumMedia", "0"),
            new("NumSegments", Math.Max(1, SegmentCounter.Count(body).Segments).ToString(CultureInfo.InvariantCulture)),
            new("SmsStatus", "received"),
            new("ApiVersion", ApiVersion),
            new("FromCountry", "US"),
            new("ToCountry", "US"),
        };
        return new ScheduledPost(account.InboundWebhookUrl, account.AuthToken, form, IsInbound: true, dueAt, 0, Attempt: 1);
    }

    private void Enqueue(ScheduledPost post)
    {
        lock (_lock)
        {
            post = post with { Sequence = ++_sequence };
            _queue.Enqueue(post, (post.DueAt, post.Sequence));
        }
    }

    private async Task DeliverAsync(ScheduledPost post, CancellationToken cancellationToken)
    {
        if (post.IsInbound && post.Attempt == 1)
        {
            ApplyKeywords(post);
        }

        string failure;
        try
        {
            var status = await SendAsync(post, cancellationToken);
            if ((int)status is >= 200 and < 300)
            {
                return;
            }

            failure = $"HTTP {(int)status}";
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            failure = ex.GetType().Name + ": " + ex.Message;
        }

        var sid = post.Form.FirstOrDefault(p => p.Key == "MessageSid").Value;
        if (post.Attempt >= MaxAttempts)
        {
            logger.LogWarning("Simulator dropped its webhook post for {MessageSid} to {Url} after {Attempts} attempts; the last failed with {Failure}.", sid, post.Url, post.Attempt, failure);
            return;
        }

        var retryAt = clock.GetUtcNow() + FirstRetryDelay * Math.Pow(2, post.Attempt - 1);
        logger.LogInformation("Simulator webhook post for {MessageSid} to {Url} failed with {Failure}; retrying at {RetryAt:O}.", sid, post.Url, failure, retryAt);
        Enqueue(post with { DueAt = retryAt, Attempt = post.Attempt + 1 });
    }

    private async Task<HttpStatusCode> SendAsync(ScheduledPost post, CancellationToken cancellationToken)
    {
        var signature = TwilioSignature.Compute(post.Url, post.Form.Select(p => new KeyValuePair<string, StringValues>(p.Key, p.Value)), post.AuthToken);
        using var request = new HttpRequestMessage(HttpMethod.Post, post.Url) { Content = new FormUrlEncodedContent(post.Form) };
        request.Headers.TryAddWithoutValidation(TwilioSignature.Header, signature);
        using var response = await httpClients.CreateClient(HttpClientName).SendAsync(request, cancellationToken);
        return response.StatusCode;
    }

    // Twilio blocks the moment the contact's keyword arrives, then still forwards the message to us.
    private void ApplyKeywords(ScheduledPost post)
    {
        string? Field(string name) => post.Form.FirstOrDefault(p => p.Key == name).Value;
        var body = Field("Body")?.Trim() ?? "";
        var key = BlockKey(Field("AccountSid") ?? "", from: Field("To") ?? "", to: Field("From") ?? "");
        if (StopKeywords.Contains(body))
        {
            _blocked[key] = 0;
        }
        else if (StartKeywords.Contains(body))
        {
            _blocked.TryRemove(key, out _);
        }
    }

    private static string BlockKey(string accountSid, string from, string to) => accountSid + "\n" + from + "\n" + to;

    private sealed record ScheduledPost(
        string Url,
        string AuthToken,
        IReadOnlyList<KeyValuePair<string, string>> Form,
        bool IsInbound,
        DateTimeOffset DueAt,
        long Sequence,
        int Attempt);
}

/// <summary>What became of one simulated inbound text.</summary>
/// <param name="MessageSid">The sid the simulator gave it (SM…).</param>
/// <param name="StatusCode">What our inbound webhook answered.</param>
public sealed record SimulatedInbound(string MessageSid, HttpStatusCode StatusCode)
{
    public bool Accepted => (int)StatusCode is >= 200 and < 300;
}
