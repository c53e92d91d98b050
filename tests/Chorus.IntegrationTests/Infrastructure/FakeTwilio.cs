using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Chorus.IntegrationTests.Infrastructure;

/// <summary>What <see cref="FakeTwilio"/> does instead of answering normally.</summary>
public enum FakeTwilioFault
{
    /// <summary>429 with code 20429.</summary>
    TooManyRequests,

    /// <summary>500 with code 20500.</summary>
    ServerError,

    /// <summary>400 with code 21610: the recipient replied STOP.</summary>
    Unsubscribed,

    /// <summary>400 with code 21211: invalid 'To' number.</summary>
    InvalidTo,

    /// <summary>Records the message as accepted, then waits <see cref="FakeTwilio.SlowAnswerDelay"/> before answering.</summary>
    AcceptThenTimeOut,

    /// <summary>Never answers (until the client gives up or the fake is disposed).</summary>
    Hang,
}

/// <summary>One request the fake received, as it arrived.</summary>
public sealed record FakeTwilioRequest(
    string Method,
    string Path,
    IReadOnlyDictionary<string, string> Query,
    IReadOnlyDictionary<string, string> Form,
    string? BasicUser,
    string? BasicPassword);

/// <summary>A message the fake accepted (and lists on GET).</summary>
public sealed record FakeTwilioMessage(
    string Sid,
    string To,
    string? From,
    string? MessagingServiceSid,
    string Body,
    string? StatusCallback,
    DateTimeOffset DateCreated);

/// <summary>
/// Twilio's Messages API (DOMAIN.md §4.1) on 127.0.0.1 and a free port, for <c>TwilioSmsProvider</c> to talk to over
/// real HTTP: <c>POST /2010-04-01/Accounts/{sid}/Messages.json</c> (create) and <c>GET</c> of the same path (list, by
/// To, From and <c>DateSent&gt;</c>/<c>DateSent&lt;</c>, which it applies to the creation time). It checks Basic auth,
/// records every request, and misbehaves on command (<see cref="Misbehave"/>, <see cref="RefuseConnectionsAsync"/>).
/// </summary>
public sealed class FakeTwilio : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly CancellationTokenSource _stopping = new();
    private readonly Lock _gate = new();
    private readonly List<FakeTwilioRequest> _requests = [];
    private readonly List<FakeTwilioMessage> _messages = [];
    private readonly Queue<FakeTwilioFault> _faults = new();
    private readonly TimeProvider _clock;
    private bool _stopped;

    private FakeTwilio(string accountSid, string authToken, TimeProvider clock)
    {
        AccountSid = accountSid;
        AuthToken = authToken;
        _clock = clock;
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        _app = builder.Build();
        _app.Run(HandleAsync);
    }

    public string AccountSid { get; }

    public string AuthToken { get; }

    /// <summary>e.g. http://127.0.0.1:41234, for <c>ProviderAccount.ApiBaseUrl</c>.</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>How long <see cref="FakeTwilioFault.AcceptThenTimeOut"/> waits: longer than any client timeout in tests.</summary>
    public TimeSpan SlowAnswerDelay { get; set; } = TimeSpan.FromSeconds(30);

    public IReadOnlyList<FakeTwilioRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    public IReadOnlyList<FakeTwilioMessage> Messages
    {
        get
        {
            lock (_gate)
            {
                return [.. _messages];
            }
        }
    }

    public static async Task<FakeTwilio> StartAsync(string accountSid = "AC00000000000000000000000000000001", string authToken = "fake-auth-token", TimeProvider? clock = null)
    {
        var fake = new FakeTwilio(accountSid, authToken, clock ?? TimeProvider.System);
        await fake._app.StartAsync();
        var address = fake._app.Urls.Single();
        fake.BaseUrl = address.TrimEnd('/');
        return fake;
    }

    /// <summary>The next <paramref name="times"/> requests (of any kind) get <paramref name="fault"/>.</summary>
    public void Misbehave(FakeTwilioFault fault, int times = 1)
    {
        lock (_gate)
        {
            for (var i = 0; i < times; i++)
            {
                _faults.Enqueue(fault);
            }
        }
    }

    /// <summary>Stops listening: from now on connections to <see cref="BaseUrl"/> are refused. Not reversible.</summary>
    public async Task RefuseConnectionsAsync()
    {
        _stopped = true;
        await _stopping.CancelAsync();
        await _app.StopAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_stopped)
        {
            await _stopping.CancelAsync();
            await _app.StopAsync();
        }

        await _app.DisposeAsync();
        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var form = request.HasFormContentType ? await request.ReadFormAsync(context.RequestAborted) : null;
        var (user, password) = BasicCredentials(request.Headers.Authorization.ToString());
        FakeTwilioFault? fault;
        lock (_gate)
        {
            _requests.Add(new FakeTwilioRequest(
                request.Method,
                request.Path.Value ?? "",
                request.Query.ToDictionary(q => q.Key, q => q.Value.ToString(), StringComparer.Ordinal),
                form?.ToDictionary(f => f.Key, f => f.Value.ToString(), StringComparer.Ordinal) ?? [],
                user,
                password));
            fault = _faults.Count > 0 ? _faults.Dequeue() : null;
        }

        var segments = (request.Path.Value ?? "").Split('/', StringSplitOptions.RemoveEmptyEntries);
        var isMessages = segments is ["2010-04-01", "Accounts", _, "Messages.json"];
        if (!isMessages)
        {
            await ErrorAsync(context, HttpStatusCode.NotFound, 20404, "The requested resource was not found");
            return;
        }

        if (user != AccountSid || password != AuthToken || segments[2] != AccountSid)
        {
            await ErrorAsync(context, HttpStatusCode.Unauthorized, 20003, "Authenticate");
            return;
        }

        using var aborted = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, _stopping.Token);
        try
        {
            switch (fault)
            {
                case FakeTwilioFault.TooManyRequests:
                    await ErrorAsync(context, HttpStatusCode.TooManyRequests, 20429, "Too Many Requests");
                    return;
                case FakeTwilioFault.ServerError:
                    await ErrorAsync(context, HttpStatusCode.InternalServerError, 20500, "Internal Server Error");
                    return;
                case FakeTwilioFault.Unsubscribed:
                    await ErrorAsync(context, HttpStatusCode.BadRequest, 21610, "Attempt to send to unsubscribed recipient");
                    return;
                case FakeTwilioFault.InvalidTo:
                    await ErrorAsync(context, HttpStatusCode.BadRequest, 21211, $"The 'To' number {form?["To"]} is not a valid phone number.");
                    return;
                case FakeTwilioFault.Hang:
                    await Task.Delay(Timeout.InfiniteTimeSpan, aborted.Token);
                    return;
            }

            if (HttpMethods.IsGet(request.Method))
            {
                await ListAsync(context);
                return;
            }

            if (!HttpMethods.IsPost(request.Method) || form is null)
            {
                await ErrorAsync(context, HttpStatusCode.MethodNotAllowed, 20004, "Method not allowed");
                return;
            }

            var message = Accept(form);
            if (message is null)
            {
                await ErrorAsync(context, HttpStatusCode.BadRequest, 21603, "A 'From' or 'MessagingServiceSid' parameter is required to send a message");
                return;
            }

            if (fault == FakeTwilioFault.AcceptThenTimeOut)
            {
                await Task.Delay(SlowAnswerDelay, aborted.Token);
            }

            context.Response.StatusCode = StatusCodes.Status201Created;
            await context.Response.WriteAsJsonAsync(Json(message), context.RequestAborted);
        }
        catch (OperationCanceledException) when (aborted.IsCancellationRequested)
        {
            // The client gave up (its timeout) or the test ended: nothing left to answer.
        }
    }

    private FakeTwilioMessage? Accept(IFormCollection form)
    {
        var to = form["To"].ToString();
        var from = NullIfEmpty(form["From"].ToString());
        var service = NullIfEmpty(form["MessagingServiceSid"].ToString());
        if (to.Length == 0 || (from is null && service is null))
        {
            return null;
        }

        var message = new FakeTwilioMessage(
            "SM" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)),
            to,
            from,
            service,
            form["Body"].ToString(),
            NullIfEmpty(form["StatusCallback"].ToString()),
            _clock.GetUtcNow());
        lock (_gate)
        {
            _messages.Add(message);
        }

        return message;
    }

    private async Task ListAsync(HttpContext context)
    {
        var query = context.Request.Query;
        var to = NullIfEmpty(query["To"].ToString());
        var from = NullIfEmpty(query["From"].ToString());
        var after = Date(query["DateSent>"].ToString(), endOfDay: false);
        var before = Date(query["DateSent<"].ToString(), endOfDay: true);
        List<FakeTwilioMessage> found;
        lock (_gate)
        {
            found = [.. _messages
                .Where(m => (to is null || m.To == to) && (from is null || m.From == from))
                .Where(m => (after is null || m.DateCreated >= after) && (before is null || m.DateCreated <= before))
                .OrderByDescending(m => m.DateCreated)];
        }

        var path = $"/2010-04-01/Accounts/{AccountSid}/Messages.json";
        var page = new JsonObject
        {
            ["end"] = Math.Max(found.Count - 1, 0),
            ["first_page_uri"] = path + "?PageSize=50&Page=0",
            ["next_page_uri"] = null,
            ["page"] = 0,
            ["page_size"] = 50,
            ["previous_page_uri"] = null,
            ["messages"] = new JsonArray([.. found.Select(Json)]),
            ["start"] = 0,
            ["uri"] = path + context.Request.QueryString,
        };
        await context.Response.WriteAsJsonAsync(page, context.RequestAborted);
    }

    private JsonObject Json(FakeTwilioMessage message)
    {
        var created = message.DateCreated.ToString("ddd, dd MMM yyyy HH:mm:ss '+0000'", CultureInfo.InvariantCulture);
        var uri = $"/2010-04-01/Accounts/{AccountSid}/Messages/{message.Sid}";
        return new JsonObject
        {
            ["account_sid"] = AccountSid,
            ["api_version"] = "2010-04-01",
            ["body"] = message.Body,
            ["date_created"] = created,
            ["date_sent"] = null,
            ["date_updated"] = created,
            ["direction"] = "outbound-api",
            ["error_code"] = null,
            ["error_message"] = null,

            // With a messaging service and no From, Twilio picks the sender later: "accepted", no from, 0 segments.
            ["from"] = message.From,
            ["messaging_service_sid"] = message.MessagingServiceSid,
            ["num_media"] = "0",
            ["num_segments"] = message.From is null ? "0" : "1",
            ["price"] = null,
            ["price_unit"] = "USD",
            ["sid"] = message.Sid,
            ["status"] = message.From is null ? "accepted" : "queued",
            ["subresource_uris"] = new JsonObject { ["media"] = uri + "/Media.json" },
            ["to"] = message.To,
            ["uri"] = uri + ".json",
        };
    }

    private static Task ErrorAsync(HttpContext context, HttpStatusCode status, int code, string message)
    {
        context.Response.StatusCode = (int)status;
        return context.Response.WriteAsJsonAsync(
            new JsonObject
            {
                ["code"] = code,
                ["message"] = message,
                ["more_info"] = $"https://www.twilio.com/docs/errors/{code}",
                ["status"] = (int)status,
            },
            context.RequestAborted);
    }

    private static (string? User, string? Password) BasicCredentials(string header)
    {
        if (!header.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return (null, null);
        }

        try
        {
            var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(header["Basic ".Length..]));
            var colon = decoded.IndexOf(':', StringComparison.Ordinal);
            return colon < 0 ? (decoded, null) : (decoded[..colon], decoded[(colon + 1)..]);
        }
        catch (FormatException)
        {
            return (null, null);
        }
    }

    // Twilio takes a date or a date-time; a bare date as an upper bound means the whole day.
    private static DateTimeOffset? Date(string value, bool endOfDay)
    {
        if (!DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            return null;
        }

        return endOfDay && value.Length == 10 ? parsed.AddDays(1).AddTicks(-1) : parsed;
    }

    private static string? NullIfEmpty(string value) => value.Length == 0 ? null : value;
}
