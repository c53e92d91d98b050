using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using Microsoft.Extensions.Options;
using Twilio.Clients;
using Twilio.Exceptions;
using Twilio.Rest.Api.V2010.Account;
using Twilio.Types;

namespace Chorus.Features.Messaging.Providers;

/// <summary>
/// Sends through Twilio's Messages API (DOMAIN.md §4.1) with the official SDK, and looks messages up for the
/// reconciler. A stateless singleton: every call builds its own SDK client around a pooled HttpClient from
/// <see cref="IHttpClientFactory"/>, so organizations' credentials never meet.
/// </summary>
public sealed class TwilioSmsProvider(IHttpClientFactory httpClientFactory, IOptions<TwilioProviderOptions> options) : ISmsProvider
{
    public const string HttpClientName = "twilio";

    private const string TwilioApiOrigin = "https://api.twilio.com";

    // One page is plenty: the query is narrowed by To, From and a window of minutes.
    private const int LookupPageSize = 50;

    public string Name => "twilio";

    public async Task<SendResult> SendAsync(OutboundSms message, ProviderAccount account, CancellationToken cancellationToken)
    {
        if (message.From is null && string.IsNullOrEmpty(account.MessagingServiceSid))
        {
            return new SendResult.Refused(null, "No sending number and no Twilio messaging service is configured.", Transient: false);
        }

        var create = new CreateMessageOptions(new PhoneNumber(message.To))
        {
            Body = message.Body,
            StatusCallback = new Uri(message.StatusCallbackUrl),
        };
        if (message.From is not null)
        {
            create.From = new PhoneNumber(message.From);
        }
        else
        {
            create.MessagingServiceSid = account.MessagingServiceSid;
        }

        using var call = new Call(httpClientFactory.CreateClient(HttpClientName), account, options.Value.RequestTimeout, cancellationToken);
        try
        {
            var created = await MessageResource.CreateAsync(create, call.Client);
            return new SendResult.Accepted(created.Sid, created.From?.ToString() ?? message.From, MessageStatuses.FromTwilio(created.Status?.ToString()) ?? MessageStatus.Submitted);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return call.Outcome(exception);
        }
    }

    public async Task<LookupResult> LookupAsync(LookupQuery query, ProviderAccount account, CancellationToken cancellationToken)
    {
        var read = new ReadMessageOptions
        {
            To = new PhoneNumber(query.To),
            DateSentAfter = query.NotBefore.UtcDateTime,
            DateSentBefore = query.NotAfter.UtcDateTime,
            PageSize = LookupPageSize,
            Limit = LookupPageSize,
        };
        if (query.From is not null)
        {
            read.From = new PhoneNumber(query.From);
        }

        using var call = new Call(httpClientFactory.CreateClient(HttpClientName), account, options.Value.RequestTimeout, cancellationToken);
        try
        {
            var page = await MessageResource.ReadAsync(read, call.Client);

            // Only the first page: further pages would be fetched synchronously by the SDK's enumerator.
            page.AutoPaging = false;
            var match = page.FirstOrDefault(m => string.Equals(m.Body, query.Body, StringComparison.Ordinal) && CreatedWithin(m, query));
            return match is null
                ? new LookupResult.NotFound()
                : new LookupResult.Found(match.Sid, match.From?.ToString(), MessageStatuses.FromTwilio(match.Status?.ToString()) ?? MessageStatus.Submitted, match.ErrorCode is null or 0 ? null : match.ErrorCode);
        }
        catch (Exception exception) when (exception is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return new LookupResult.Unavailable(call.Describe(exception));
        }
    }

    // Twilio may filter DateSent by day only; the creation time narrows it to the query's window (with a minute's
    // allowance for the two clocks).
    private static bool CreatedWithin(MessageResource message, LookupQuery query)
    {
        if (message.DateCreated is not { } created)
        {
            return true;
        }

        var createdUtc = created.Kind == DateTimeKind.Unspecified
            ? new DateTimeOffset(DateTime.SpecifyKind(created, DateTimeKind.Utc))
            : new DateTimeOffset(created);
        return createdUtc >= query.NotBefore - TimeSpan.FromMinutes(1) && createdUtc <= query.NotAfter + TimeSpan.FromMinutes(1);
    }

    /// <summary>One API call: its SDK client, its deadline, and what the transport saw (to classify a failure).</summary>
    private sealed class Call : IDisposable
    {
        private readonly CancellationTokenSource _deadline;
        private readonly TimeSpan _timeout;
        private readonly Transport _transport;

        public Call(HttpClient http, ProviderAccount account, TimeSpan timeout, CancellationToken cancellationToken)
        {
            _timeout = timeout;

            // Wall-clock on purpose, not TimeProvider: a network deadline must fire even under a test's frozen clock.
            _deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            _deadline.CancelAfter(timeout);
            _transport = new Transport(http, account, _deadline.Token);
            Client = new TwilioRestClient(account.AccountSid, account.AuthToken, account.AccountSid, httpClient: _transport);
        }

        public TwilioRestClient Client { get; }

        public void Dispose() => _deadline.Dispose();

        public SendResult Outcome(Exception exception)
        {
            var status = _transport.LastResponse?.StatusCode;
            if (exception is ApiException api && status is { } http && (int)http >= 400)
            {
                int? code = api.Code == 0 ? null : api.Code;
                var transient = http == HttpStatusCode.TooManyRequests || (int)http >= 500;
                return new SendResult.Refused(code, $"Twilio answered {(int)http}: {api.Message}", transient);
            }

            if (status is null && NeverSent(exception))
            {
                return new SendResult.Refused(null, $"Could not reach Twilio: {Innermost(exception).Message}", Transient: true);
            }

            return new SendResult.Unknown(Describe(exception));
        }

        public string Describe(Exception exception) => exception switch
        {
            _ when _deadline.IsCancellationRequested => $"Twilio did not answer within {_timeout.TotalSeconds:0.###} s.",
            ApiException api when _transport.LastResponse is { } response => $"Twilio answered {(int)response.StatusCode}: {api.Message}",
            _ when _transport.LastResponse is { } response => $"Twilio answered {(int)response.StatusCode} but the answer could not be read: {Innermost(exception).Message}",
            _ => $"The call to Twilio failed: {Innermost(exception).Message}",
        };

        // True only when the request provably never left: the connection was refused or the name did not resolve.
        // Anything later (a reset, a half-read answer, a timeout) may follow an acceptance, so it is Unknown.
        private static bool NeverSent(Exception exception)
        {
            for (var e = exception; e is not null; e = e.InnerException)
            {
                if (e is HttpRequestException { HttpRequestError: HttpRequestError.NameResolutionError or HttpRequestError.ConnectionError or HttpRequestError.SecureConnectionError })
                {
                    return true;
                }

                if (e is SocketException { SocketErrorCode: SocketError.ConnectionRefused or SocketError.HostNotFound or SocketError.HostUnreachable or SocketError.NetworkUnreachable or SocketError.TryAgain })
                {
                    return true;
                }
            }

            return false;
        }

        private static Exception Innermost(Exception exception)
        {
            var e = exception;
            while (e.InnerException is not null)
            {
                e = e.InnerException;
            }

            return e;
        }
    }

    /// <summary>
    /// REST where the SDK falls short. The SDK's own <c>SystemNetHttpClient</c> cannot aim at another address (our fake
    /// Twilio on loopback, <see cref="ProviderAccount.ApiBaseUrl"/>) and passes no CancellationToken, so a deadline or a
    /// shutdown could not stop a hung call. This transport does the same HTTP (Basic auth, form body, JSON answer) with
    /// both, and leaves request building and answer parsing (errors included) to the SDK.
    /// </summary>
    private sealed class Transport(HttpClient http, ProviderAccount account, CancellationToken cancellationToken) : Twilio.Http.HttpClient
    {
        public override Twilio.Http.Response MakeRequest(Twilio.Http.Request request) =>
            throw new NotSupportedException("Chorus calls Twilio asynchronously only.");

        public override async Task<Twilio.Http.Response> MakeRequestAsync(Twilio.Http.Request request)
        {
            LastRequest = request;
            using var message = new HttpRequestMessage(new HttpMethod(request.Method.ToString()), Rebase(request.ConstructUrl()));
            message.Headers.Authorization = new AuthenticationHeaderValue("Basic", Authentication(request.Username ?? account.AccountSid, request.Password ?? account.AuthToken));
            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
            if (!Equals(request.Method, Twilio.Http.HttpMethod.Get))
            {
                message.Content = new FormUrlEncodedContent(request.PostParams);
            }

            using var response = await http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var body = await response.Content.ReadAsStringAsync(cancellationToken);
            LastResponse = new Twilio.Http.Response(response.StatusCode, body, response.Headers);
            return LastResponse;
        }

        private Uri Rebase(Uri url)
        {
            var text = url.AbsoluteUri;
            return string.IsNullOrEmpty(account.ApiBaseUrl) || !text.StartsWith(TwilioApiOrigin, StringComparison.OrdinalIgnoreCase)
                ? url
                : new Uri(account.ApiBaseUrl.TrimEnd('/') + text[TwilioApiOrigin.Length..]);
        }
    }
}
