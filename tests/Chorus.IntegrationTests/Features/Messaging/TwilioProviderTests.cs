using System.Diagnostics;
using Chorus.Features.Messaging;
using Chorus.Features.Messaging.Providers;
using Chorus.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace Chorus.IntegrationTests.Features.Messaging;

/// <summary>The real <see cref="TwilioSmsProvider"/> over real HTTP against <see cref="FakeTwilio"/>.</summary>
public sealed class TwilioProviderTests : IAsyncLifetime
{
    // Generous enough for a loaded CI machine answering on loopback; the hang tests wait this long.
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(3);
    private const string Voter = "+15005550006";
    private const string OurNumber = "+15017122661";
    private const string Callback = "https://chorus.example.org/webhooks/twilio/friends-of-maria/status";

    private readonly ServiceProvider _services = new ServiceCollection().AddHttpClient().BuildServiceProvider();
    private FakeTwilio _twilio = null!;
    private TwilioSmsProvider _provider = null!;

    public async ValueTask InitializeAsync()
    {
        _twilio = await FakeTwilio.StartAsync();
        _provider = new TwilioSmsProvider(
            _services.GetRequiredService<IHttpClientFactory>(),
            Options.Create(new TwilioProviderOptions { RequestTimeout = RequestTimeout }));
    }

    public async ValueTask DisposeAsync()
    {
        await _twilio.DisposeAsync();
        await _services.DisposeAsync();
    }

    [Fact]
    public async Task Sends_to_body_and_status_callback_from_our_number_with_basic_auth()
    {
        var result = await _provider.SendAsync(Sms("Hi Ana, it's Sam with Friends of María."), Account(), Ct);

        var accepted = Assert.IsType<SendResult.Accepted>(result);
        var request = Assert.Single(_twilio.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal($"/2010-04-01/Accounts/{_twilio.AccountSid}/Messages.json", request.Path);
        Assert.Equal((_twilio.AccountSid, _twilio.AuthToken), (request.BasicUser, request.BasicPassword));
        Assert.Equal(Voter, request.Form["To"]);
        Assert.Equal(OurNumber, request.Form["From"]);
        Assert.Equal("Hi Ana, it's Sam with Friends of María.", request.Form["Body"]);
        Assert.Equal(Callback, request.Form["StatusCallback"]);
        Assert.False(request.Form.ContainsKey("MessagingServiceSid"));
        Assert.Equal(Assert.Single(_twilio.Messages).Sid, accepted.ProviderMessageId);
        Assert.Equal(OurNumber, accepted.From);
        Assert.Equal(MessageStatus.Submitted, accepted.Status);
    }

    [Fact]
    public async Task Sends_through_the_messaging_service_when_no_number_is_given()
    {
        var result = await _provider.SendAsync(Sms("Hello") with { From = null }, Account(), Ct);

        Assert.IsType<SendResult.Accepted>(result);
        var request = Assert.Single(_twilio.Requests);
        Assert.Equal("MG00000000000000000000000000000001", request.Form["MessagingServiceSid"]);
        Assert.False(request.Form.ContainsKey("From"));
    }

    [Fact]
    public async Task Refuses_for_good_without_calling_twilio_when_there_is_neither_number_nor_service()
    {
        var result = await _provider.SendAsync(Sms("Hello") with { From = null }, Account() with { MessagingServiceSid = null }, Ct);

        var refused = Assert.IsType<SendResult.Refused>(result);
        Assert.False(refused.Transient);
        Assert.Empty(_twilio.Requests);
    }

    [Theory]
    [InlineData(FakeTwilioFault.TooManyRequests, 20429)]
    [InlineData(FakeTwilioFault.ServerError, 20500)]
    public async Task A_busy_or_failing_twilio_is_a_transient_refusal(FakeTwilioFault fault, int code)
    {
        _twilio.Misbehave(fault);

        var result = await _provider.SendAsync(Sms("Hello"), Account(), Ct);

        var refused = Assert.IsType<SendResult.Refused>(result);
        Assert.True(refused.Transient);
        Assert.Equal(code, refused.ErrorCode);
        Assert.Empty(_twilio.Messages);
    }

    [Theory]
    [InlineData(FakeTwilioFault.Unsubscribed, 21610)]
    [InlineData(FakeTwilioFault.InvalidTo, 21211)]
    public async Task A_rejected_message_is_a_final_refusal_with_twilios_code(FakeTwilioFault fault, int code)
    {
        _twilio.Misbehave(fault);

        var result = await _provider.SendAsync(Sms("Hello"), Account(), Ct);

        var refused = Assert.IsType<SendResult.Refused>(result);
        Assert.False(refused.Transient);
        Assert.Equal(code, refused.ErrorCode);
    }

    [Fact]
    public async Task Wrong_credentials_are_a_final_refusal_with_code_20003()
    {
        var result = await _provider.SendAsync(Sms("Hello"), Account() with { AuthToken = "not-the-token" }, Ct);

        var refused = Assert.IsType<SendResult.Refused>(result);
        Assert.False(refused.Transient);
        Assert.Equal(20003, refused.ErrorCode);
    }

    [Fact]
    public async Task An_answer_that_comes_too_late_is_unknown_and_a_lookup_then_finds_the_message()
    {
        var before = TimeProvider.System.GetUtcNow();
        _twilio.Misbehave(FakeTwilioFault.AcceptThenTimeOut);

        var result = await _provider.SendAsync(Sms("Polls open at 7am"), Account(), Ct);
        var lookup = await _provider.LookupAsync(new LookupQuery(Voter, OurNumber, "Polls open at 7am", before.AddSeconds(-5), TimeProvider.System.GetUtcNow().AddSeconds(5)), Account(), Ct);

        Assert.IsType<SendResult.Unknown>(result);
        var found = Assert.IsType<LookupResult.Found>(lookup);
        Assert.Equal(Assert.Single(_twilio.Messages).Sid, found.ProviderMessageId);
        Assert.Equal(MessageStatus.Submitted, found.Status);
        var list = _twilio.Requests[^1];
        Assert.Equal(("GET", Voter, OurNumber), (list.Method, list.Query["To"], list.Query["From"]));
    }

    [Fact]
    public async Task A_hung_call_is_unknown_once_the_timeout_passes()
    {
        _twilio.Misbehave(FakeTwilioFault.Hang);
        var clock = Stopwatch.StartNew();

        var result = await _provider.SendAsync(Sms("Hello"), Account(), Ct);

        Assert.IsType<SendResult.Unknown>(result);
        Assert.InRange(clock.Elapsed, RequestTimeout * 0.9, RequestTimeout * 4);
    }

    [Fact]
    public async Task A_refused_connection_is_a_transient_refusal()
    {
        await _twilio.RefuseConnectionsAsync();

        var result = await _provider.SendAsync(Sms("Hello"), Account(), Ct);

        var refused = Assert.IsType<SendResult.Refused>(result);
        Assert.True(refused.Transient);
        Assert.Null(refused.ErrorCode);
    }

    [Fact]
    public async Task Looking_up_a_message_twilio_never_accepted_finds_nothing()
    {
        await _provider.SendAsync(Sms("Another text"), Account(), Ct);
        var now = TimeProvider.System.GetUtcNow();

        var lookup = await _provider.LookupAsync(new LookupQuery(Voter, OurNumber, "Never sent", now.AddMinutes(-5), now.AddMinutes(1)), Account(), Ct);

        Assert.IsType<LookupResult.NotFound>(lookup);
    }

    [Fact]
    public async Task A_lookup_that_cannot_reach_twilio_is_unavailable()
    {
        await _twilio.RefuseConnectionsAsync();
        var now = TimeProvider.System.GetUtcNow();

        var lookup = await _provider.LookupAsync(new LookupQuery(Voter, OurNumber, "Hello", now.AddMinutes(-5), now), Account(), Ct);

        Assert.IsType<LookupResult.Unavailable>(lookup);
    }

    [Fact]
    public async Task Cancelling_the_callers_token_throws_instead_of_answering()
    {
        _twilio.Misbehave(FakeTwilioFault.Hang);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(Ct);
        cancel.CancelAfter(TimeSpan.FromMilliseconds(200));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => _provider.SendAsync(Sms("Hello"), Account(), cancel.Token));
    }

    [Fact]
    public async Task AddTwilioProvider_registers_a_provider_named_twilio_with_its_timeout_from_configuration()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Chorus:Twilio:RequestTimeout"] = "00:00:07" }).Build();
        await using var services = new ServiceCollection().AddSingleton<IConfiguration>(configuration).AddTwilioProvider().BuildServiceProvider();

        var provider = Assert.Single(services.GetServices<ISmsProvider>());

        Assert.IsType<TwilioSmsProvider>(provider);
        Assert.Equal("twilio", provider.Name);
        Assert.Equal(TimeSpan.FromSeconds(7), services.GetRequiredService<IOptions<TwilioProviderOptions>>().Value.RequestTimeout);
    }

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static OutboundSms Sms(string body) => new(Guid.CreateVersion7(), Voter, OurNumber, body, Callback);

    private ProviderAccount Account() => new(
        Guid.CreateVersion7(),
        "friends-of-maria",
        "twilio",
        _twilio.AccountSid,
        _twilio.AuthToken,
        "MG00000000000000000000000000000001",
        [OurNumber],
        _twilio.BaseUrl,
        "https://chorus.example.org");
}
