using System.Net;
using Chorus.Features.Messaging;
using Chorus.Features.Messaging.Providers;
using Chorus.Features.Messaging.Simulator;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Primitives;
using Microsoft.Extensions.Time.Testing;

namespace Chorus.UnitTests.Features.Messaging;

/// <summary>
/// The simulator through its DI registration, with the network's HttpClient captured and a fake clock: what it posts,
/// where, when, and whether our webhook code (signature check and parser) would take it.
/// </summary>
public sealed class SimulatorTests : IDisposable
{
    private const string AuthToken = "simulator-token-123";
    private const string OurNumber = "+12025550111";
    private const string Contact = "+13125550142";

    private static readonly int[] UndeliveredCodes = [30003, 30005, 30006, 30007];

    private readonly ProviderAccount _account = new(
        Guid.NewGuid(), "acme", "simulator", "AC0123456789abcdef0123456789abcdef", AuthToken, null, [OurNumber], null, "https://chorus.example.org/");

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(2026, 3, 3, 15, 0, 0, TimeSpan.Zero));
    private readonly CapturingHandler _handler;
    private ServiceProvider? _services;

    public SimulatorTests() => _handler = new CapturingHandler(_clock);

    public void Dispose() => _services?.Dispose();

    [Fact]
    public async Task A_send_posts_sent_then_delivered_to_the_status_url_one_step_apart_each_signed()
    {
        var (provider, network) = Build();

        var result = await provider.SendAsync(Message(), _account, TestContext.Current.CancellationToken);
        _clock.Advance(TimeSpan.FromSeconds(1));
        await network.RunDueAsync(TestContext.Current.CancellationToken);
        _clock.Advance(TimeSpan.FromSeconds(1));
        await network.RunDueAsync(TestContext.Current.CancellationToken);

        var accepted = Assert.IsType<SendResult.Accepted>(result);
        Assert.Matches("^SM[0-9a-f]{32}$", accepted.ProviderMessageId);
        Assert.Equal(OurNumber, accepted.From);
        Assert.Equal(MessageStatus.Submitted, accepted.Status);
        Assert.Collection(
            _handler.Posts,
            sent => AssertStatus(sent, accepted.ProviderMessageId, "sent", TimeSpan.FromSeconds(1)),
            delivered => AssertStatus(delivered, accepted.ProviderMessageId, "delivered", TimeSpan.FromSeconds(2)));
        Assert.Equal(0, network.Pending);
    }

    [Fact]
    public async Task Nothing_is_posted_before_its_time()
    {
        var (provider, network) = Build(o => o.ReplyShare = 1);
        await provider.SendAsync(Message(), _account, TestContext.Current.CancellationToken);

        var atOnce = await network.RunDueAsync(TestContext.Current.CancellationToken);
        _clock.Advance(TimeSpan.FromMilliseconds(999));
        var justBefore = await network.RunDueAsync(TestContext.Current.CancellationToken);

        Assert.Equal(0, atOnce);
        Assert.Equal(0, justBefore);
        Assert.Empty(_handler.Posts);
        Assert.Equal(3, network.Pending);
    }

    [Fact]
    public async Task With_every_message_undelivered_the_callback_carries_a_realistic_carrier_error()
    {
        var (provider, network) = Build(o => o.UndeliveredShare = 1);
        for (var i = 0; i < 40; i++)
        {
            await provider.SendAsync(Message(to: "+1312555" + (1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture)), _account, TestContext.Current.CancellationToken);
        }

        _clock.Advance(TimeSpan.FromSeconds(2));
        await network.RunDueAsync(TestContext.Current.CancellationToken);

        var finals = _handler.Posts.Select(p => Status(p)).Where(s => s.ProviderStatus != "sent").ToList();
        Assert.Equal(40, finals.Count);
        Assert.All(finals, s =>
        {
            Assert.Equal(MessageStatus.Undelivered, s.Status);
            Assert.Contains(s.ErrorCode!.Value, UndeliveredCodes);
        });
        Assert.True(finals.Select(s => s.ErrorCode).Distinct().Count() >= 3, "a mix of codes, not one");
    }

    [Fact]
    public async Task A_failed_message_gets_only_a_failed_callback_with_an_error_code()
    {
        var (provider, network) = Build(o => o.FailedShare = 1);

        await provider.SendAsync(Message(), _account, TestContext.Current.CancellationToken);
        _clock.Advance(TimeSpan.FromSeconds(5));
        await network.RunDueAsync(TestContext.Current.CancellationToken);

        var only = Status(Assert.Single(_handler.Posts));
        Assert.Equal(MessageStatus.Failed, only.Status);
        Assert.Contains(only.ErrorCode!.Value, new[] { 30008, 30001 });
    }

    [Fact]
    public async Task A_reply_reaches_the_inbound_url_from_the_contact_to_our_number_after_the_reply_delay()
    {
        var (provider, network) = Build(o =>
        {
            o.ReplyShare = 1;
            o.ReplyDelayMin = TimeSpan.FromSeconds(10);
            o.ReplyDelayMax = TimeSpan.FromSeconds(10);
        });
        await provider.SendAsync(Message(), _account, TestContext.Current.CancellationToken);

        _clock.Advance(TimeSpan.FromSeconds(11.9));
        await network.RunDueAsync(TestContext.Current.CancellationToken);
        var beforeReply = _handler.Posts.Count;
        _clock.Advance(TimeSpan.FromSeconds(0.1));
        await network.RunDueAsync(TestContext.Current.CancellationToken);

        Assert.Equal(2, beforeReply);
        var post = _handler.Posts[2];
        Assert.Equal(_account.InboundWebhookUrl, post.Url);
        Assert.Equal(TimeSpan.FromSeconds(12), post.At - Start);
        Assert.True(TwilioSignature.IsValid(post.Url, post.Form, AuthToken, post.Signature));
        var inbound = TwilioWebhook.ReadInbound(post.Form, out var error);
        Assert.Null(error);
        Assert.Equal(Contact, inbound!.From);
        Assert.Equal(OurNumber, inbound.To);
        Assert.Contains(inbound.Body, SimulatedReplies.OptOuts.Concat(SimulatedReplies.Others));
        Assert.Matches("^SM[0-9a-f]{32}$", inbound.ProviderMessageId);
    }

    [Fact]
    public async Task Undelivered_messages_get_no_reply()
    {
        var (provider, network) = Build(o =>
        {
            o.UndeliveredShare = 1;
            o.ReplyShare = 1;
        });

        await provider.SendAsync(Message(), _account, TestContext.Current.CancellationToken);
        _clock.Advance(TimeSpan.FromMinutes(5));
        await network.RunDueAsync(TestContext.Current.CancellationToken);

        Assert.DoesNotContain(_handler.Posts, p => p.Url == _account.InboundWebhookUrl);
    }

    [Theory]
    [InlineData("3125550142", "Hello", 21211)]
    [InlineData("+1 312 555 0142", "Hello", 21211)]
    [InlineData("", "Hello", 21211)]
    [InlineData(Contact, "", 21602)]
    [InlineData(Contact, "   ", 21602)]
    public async Task An_invalid_message_is_refused_with_twilios_code_and_nothing_is_scheduled(string to, string body, int code)
    {
        var (provider, network) = Build();

        var result = await provider.SendAsync(Message(to: to, body: body), _account, TestContext.Current.CancellationToken);

        var refused = Assert.IsType<SendResult.Refused>(result);
        Assert.Equal(code, refused.ErrorCode);
        Assert.False(refused.Transient);
        Assert.Equal(0, network.Pending);
    }

    [Fact]
    public async Task A_body_over_1600_characters_is_refused_with_21617()
    {
        var (provider, _) = Build();

        var result = await provider.SendAsync(Message(body: new string('a', 1601)), _account, TestContext.Current.CancellationToken);

        Assert.Equal(21617, Assert.IsType<SendResult.Refused>(result).ErrorCode);
    }

    [Fact]
    public async Task The_sending_number_is_the_messages_then_the_accounts_first_then_the_simulators_own()
    {
        var (provider, _) = Build();
        var ct = TestContext.Current.CancellationToken;

        var explicitFrom = await provider.SendAsync(Message() with { From = "+12025550199" }, _account, ct);
        var pooled = await provider.SendAsync(Message(), _account, ct);
        var fallback = await provider.SendAsync(Message(), _account with { Numbers = [] }, ct);

        Assert.Equal("+12025550199", Assert.IsType<SendResult.Accepted>(explicitFrom).From);
        Assert.Equal(OurNumber, Assert.IsType<SendResult.Accepted>(pooled).From);
        Assert.Equal(SimulatorOptions.DefaultNumber, Assert.IsType<SendResult.Accepted>(fallback).From);
    }

    [Fact]
    public async Task PostInboundAsync_posts_at_once_and_signed()
    {
        var (_, network) = Build();

        var result = await network.PostInboundAsync(_account, Contact, OurNumber, "Where do I vote?", TestContext.Current.CancellationToken);

        Assert.True(result.Accepted);
        var post = Assert.Single(_handler.Posts);
        Assert.Equal(_account.InboundWebhookUrl, post.Url);
        Assert.Equal(Start, post.At);
        Assert.True(TwilioSignature.IsValid(post.Url, post.Form, AuthToken, post.Signature));
        Assert.False(TwilioSignature.IsValid(post.Url, post.Form, "another-token", post.Signature));
        var inbound = TwilioWebhook.ReadInbound(post.Form, out _);
        Assert.Equal(new TwilioWebhook.Inbound(result.MessageSid, Contact, OurNumber, "Where do I vote?", 0), inbound);
        Assert.Equal(0, network.Pending);
    }

    [Fact]
    public async Task PostInboundAsync_reports_the_status_our_endpoint_answered()
    {
        var (_, network) = Build();
        _handler.Respond = _ => HttpStatusCode.Forbidden;

        var result = await network.PostInboundAsync(_account, Contact, OurNumber, "Hi", TestContext.Current.CancellationToken);

        Assert.False(result.Accepted);
        Assert.Equal(HttpStatusCode.Forbidden, result.StatusCode);
    }

    [Fact]
    public async Task A_post_our_endpoint_rejects_is_retried_with_backoff_then_dropped()
    {
        var (provider, network) = Build();
        _handler.Respond = _ => HttpStatusCode.ServiceUnavailable;
        await provider.SendAsync(Message(), _account, TestContext.Current.CancellationToken);

        for (var second = 0; second < 30; second++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            await network.RunDueAsync(TestContext.Current.CancellationToken);
        }

        var sentAttempts = _handler.Posts.Where(p => p.Form["MessageStatus"] == "sent").Select(p => p.At - Start).ToList();
        Assert.Equal([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8)], sentAttempts);
        Assert.Equal(2 * SimulatorNetwork.MaxAttempts, _handler.Posts.Count);
        Assert.Equal(0, network.Pending);
    }

    [Fact]
    public async Task A_post_that_fails_once_is_delivered_on_the_retry()
    {
        var (provider, network) = Build();
        var failures = 1;
        _handler.Respond = _ => failures-- > 0 ? HttpStatusCode.InternalServerError : HttpStatusCode.OK;
        await provider.SendAsync(Message(), _account, TestContext.Current.CancellationToken);

        for (var second = 0; second < 10; second++)
        {
            _clock.Advance(TimeSpan.FromSeconds(1));
            await network.RunDueAsync(TestContext.Current.CancellationToken);
        }

        Assert.Equal(3, _handler.Posts.Count);
        Assert.Equal(0, network.Pending);
    }

    [Fact]
    public async Task Lookup_finds_an_accepted_message_with_its_current_status_and_not_an_unknown_one()
    {
        var (provider, _) = Build();
        var ct = TestContext.Current.CancellationToken;
        var accepted = Assert.IsType<SendResult.Accepted>(await provider.SendAsync(Message(body: "Hi Ana"), _account, ct));
        var window = new LookupQuery(Contact, OurNumber, "Hi Ana", Start.AddMinutes(-1), Start.AddMinutes(1));

        var atOnce = await provider.LookupAsync(window, _account, ct);
        _clock.Advance(TimeSpan.FromSeconds(2));
        var later = await provider.LookupAsync(window with { From = null }, _account, ct);
        var otherBody = await provider.LookupAsync(window with { Body = "Hi Bob" }, _account, ct);
        var otherNumber = await provider.LookupAsync(window with { To = "+13125550199" }, _account, ct);
        var otherTime = await provider.LookupAsync(window with { NotBefore = Start.AddSeconds(1) }, _account, ct);
        var otherAccount = await provider.LookupAsync(window, _account with { AccountSid = "AC" + new string('f', 32) }, ct);

        Assert.Equal(new LookupResult.Found(accepted.ProviderMessageId, OurNumber, MessageStatus.Submitted, null), atOnce);
        Assert.Equal(new LookupResult.Found(accepted.ProviderMessageId, OurNumber, MessageStatus.Delivered, null), later);
        Assert.IsType<LookupResult.NotFound>(otherBody);
        Assert.IsType<LookupResult.NotFound>(otherNumber);
        Assert.IsType<LookupResult.NotFound>(otherTime);
        Assert.IsType<LookupResult.NotFound>(otherAccount);
    }

    [Fact]
    public async Task With_blocking_on_after_a_contact_texts_STOP_sends_to_them_are_refused_with_21610_until_they_text_START()
    {
        var (provider, network) = Build(o => o.BlockAfterStop = true);
        var ct = TestContext.Current.CancellationToken;

        await network.PostInboundAsync(_account, Contact, OurNumber, " stop ", ct);
        var blocked = await provider.SendAsync(Message(), _account, ct);
        var otherNumber = await provider.SendAsync(Message() with { From = "+12025550199" }, _account, ct);
        await network.PostInboundAsync(_account, Contact, OurNumber, "START", ct);
        var unblocked = await provider.SendAsync(Message(), _account, ct);

        Assert.Equal(21610, Assert.IsType<SendResult.Refused>(blocked).ErrorCode);
        Assert.IsType<SendResult.Accepted>(otherNumber);
        Assert.IsType<SendResult.Accepted>(unblocked);
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_sids_outcomes_and_replies()
    {
        async Task<List<string>> RunAsync()
        {
            using var test = new SimulatorTests();
            var (provider, network) = test.Build(o => o.ReplyShare = 0.5);
            for (var i = 0; i < 10; i++)
            {
                await provider.SendAsync(test.Message(), test._account, TestContext.Current.CancellationToken);
            }

            test._clock.Advance(TimeSpan.FromMinutes(1));
            await network.RunDueAsync(TestContext.Current.CancellationToken);
            return [.. test._handler.Posts.Select(p => string.Join("&", p.Form.Where(f => f.Key != "AccountSid").Select(f => f.Key + "=" + f.Value)))];
        }

        var first = await RunAsync();
        var second = await RunAsync();

        Assert.Equal(first, second);
        Assert.Contains(first, p => p.Contains("Body=", StringComparison.Ordinal));
    }

    [Fact]
    public async Task By_default_the_opt_out_confirmation_chorus_sends_after_STOP_gets_through()
    {
        var (provider, network) = Build();
        var ct = TestContext.Current.CancellationToken;

        await network.PostInboundAsync(_account, Contact, OurNumber, "STOP", ct);
        var confirmation = await provider.SendAsync(Message(), _account, ct);

        Assert.IsType<SendResult.Accepted>(confirmation);
    }

    [Fact]
    public void The_reply_bank_has_STOP_in_several_spellings_and_Spanish_opt_outs()
    {
        var optOuts = SimulatedReplies.OptOuts;

        Assert.Contains("STOP", optOuts);
        Assert.Contains("stop", optOuts);
        Assert.Contains("Stop.", optOuts);
        Assert.Contains("STOP ALL", optOuts);
        Assert.Contains("unsubscribe", optOuts);
        Assert.Contains("ALTO", optOuts);
        Assert.Contains("Alto", optOuts);
        Assert.Contains("Parar", optOuts);
        Assert.Contains("¿Quién es?", SimulatedReplies.Others);
        Assert.DoesNotContain(SimulatedReplies.Others, r => r.Contains("stop", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public void A_number_always_gets_the_same_plausible_carrier()
    {
        var carriers = Enumerable.Range(0, 200).Select(i => SimulatedCarriers.For("+1312555" + (1000 + i).ToString(System.Globalization.CultureInfo.InvariantCulture))).ToList();

        Assert.Equal(SimulatedCarriers.For(Contact), SimulatedCarriers.For(Contact));
        Assert.Subset(new HashSet<string> { "Verizon Wireless", "AT&T Wireless", "T-Mobile USA", "US Cellular" }, carriers.ToHashSet());
        Assert.True(carriers.Distinct().Count() >= 3);
    }

    private static DateTimeOffset Start => new(2026, 3, 3, 15, 0, 0, TimeSpan.Zero);

    private (ISmsProvider Provider, SimulatorNetwork Network) Build(Action<SimulatorOptions>? configure = null)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<TimeProvider>(_clock);
        services.AddSimulatorProvider(new ConfigurationBuilder().Build());
        services.Configure<SimulatorOptions>(o =>
        {
            o.Seed = 20_260_303;
            o.RunInBackground = false;
            o.UndeliveredShare = 0;
            o.FailedShare = 0;
            o.ReplyShare = 0;
            configure?.Invoke(o);
        });
        services.AddHttpClient(SimulatorNetwork.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => _handler);
        _services = services.BuildServiceProvider();
        return (_services.GetServices<ISmsProvider>().Single(p => p.Name == "simulator"), _services.GetRequiredService<SimulatorNetwork>());
    }

    private OutboundSms Message(string to = Contact, string body = "Hi, it's Sam with Citizens for Parks. Can we count on your vote Tuesday?") =>
        new(Guid.NewGuid(), to, null, body, _account.StatusWebhookUrl);

    private void AssertStatus(CapturedPost post, string sid, string status, TimeSpan after)
    {
        Assert.Equal(_account.StatusWebhookUrl, post.Url);
        Assert.Equal(after, post.At - Start);
        Assert.True(TwilioSignature.IsValid(post.Url, post.Form, AuthToken, post.Signature), "signed with the account's token");
        var report = Status(post);
        Assert.Equal(sid, report.ProviderMessageId);
        Assert.Equal(status, report.ProviderStatus);
        Assert.Equal(OurNumber, report.From);
        Assert.Equal(Contact, report.To);
        Assert.Null(report.ErrorCode);
        Assert.Equal(SimulatedCarriers.For(Contact), report.Carrier);
        Assert.Equal(_account.AccountSid, post.Form["AccountSid"]);
        Assert.Equal("2010-04-01", post.Form["ApiVersion"]);
        Assert.Equal(sid, post.Form["SmsSid"]);
    }

    private static TwilioWebhook.StatusReport Status(CapturedPost post)
    {
        var report = TwilioWebhook.ReadStatus(post.Form, out var error);
        Assert.Null(error);
        return report!;
    }

    private sealed record CapturedPost(string Url, Dictionary<string, StringValues> Form, string? Signature, DateTimeOffset At);

    private sealed class CapturingHandler(TimeProvider clock) : HttpMessageHandler
    {
        public List<CapturedPost> Posts { get; } = [];

        public Func<CapturedPost, HttpStatusCode> Respond { get; set; } = _ => HttpStatusCode.OK;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Assert.Equal(HttpMethod.Post, request.Method);
            Assert.Equal("application/x-www-form-urlencoded", request.Content!.Headers.ContentType!.MediaType);
            var form = QueryHelpers.ParseQuery(await request.Content.ReadAsStringAsync(cancellationToken));
            var post = new CapturedPost(
                request.RequestUri!.ToString(),
                form,
                request.Headers.TryGetValues(TwilioSignature.Header, out var values) ? values.Single() : null,
                clock.GetUtcNow());
            Posts.Add(post);
            return new HttpResponseMessage(Respond(post));
        }
    }
}
