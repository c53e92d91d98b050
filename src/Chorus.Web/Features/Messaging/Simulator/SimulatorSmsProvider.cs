using System.Text.RegularExpressions;
using Chorus.Features.Messaging.Providers;
using Microsoft.Extensions.Options;

namespace Chorus.Features.Messaging.Simulator;

/// <summary>
/// The built-in provider, and the default: it accepts messages as Twilio would (same validation codes, SM… sids) and
/// plays the network through <see cref="SimulatorNetwork"/>: status callbacks, then sometimes a contact's reply, all
/// posted to our own webhooks in Twilio's format. Nothing leaves the machine.
/// </summary>
public sealed partial class SimulatorSmsProvider : ISmsProvider
{
    public const string ProviderName = "simulator";

    private static readonly int[] UndeliveredCodes = [30003, 30003, 30003, 30006, 30006, 30005, 30005, 30007];
    private static readonly int[] FailedCodes = [30008, 30008, 30008, 30001];

    private readonly SimulatorNetwork _network;
    private readonly TimeProvider _clock;
    private readonly SimulatorOptions _options;
    private readonly Random _random;
    private readonly Lock _lock = new();
    private readonly LinkedList<Remembered> _remembered = new();

    public SimulatorSmsProvider(SimulatorNetwork network, TimeProvider clock, IOptions<SimulatorOptions> options)
    {
        _network = network;
        _clock = clock;
        _options = options.Value;
        _random = _options.Seed is { } seed ? new Random(seed) : new Random();
    }

    public string Name => ProviderName;

    public Task<SendResult> SendAsync(OutboundSms message, ProviderAccount account, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var from = message.From ?? (account.Numbers.Count > 0 ? account.Numbers[0] : SimulatorOptions.DefaultNumber);
        SendResult? refusal =
            !E164().IsMatch(message.To) ? new SendResult.Refused(21211, $"Invalid 'To' Phone Number: {message.To}", false)
            : !E164().IsMatch(from) ? new SendResult.Refused(21212, $"Invalid 'From' Phone Number: {from}", false)
            : string.IsNullOrWhiteSpace(message.Body) ? new SendResult.Refused(21602, "Message body is required.", false)
            : message.Body.Length > 1600 ? new SendResult.Refused(21617, "The concatenated message body exceeds the 1600 character limit.", false)
            : _options.BlockAfterStop && _network.IsBlocked(account.AccountSid, from, message.To) ? new SendResult.Refused(21610, "Attempt to send to unsubscribed recipient", false)
            : null;
        if (refusal is not null)
        {
            return Task.FromResult(refusal);
        }

        var now = _clock.GetUtcNow();
        var step = _options.StatusDelay;
        var url = string.IsNullOrEmpty(message.StatusCallbackUrl) ? account.StatusWebhookUrl : message.StatusCallbackUrl;
        string sid;
        MessageStatus final;
        int? errorCode = null;
        DateTimeOffset finalAt;
        lock (_lock)
        {
            sid = NewSid();
            var roll = _random.NextDouble();
            if (roll < _options.FailedShare)
            {
                // "failed" means it never left the provider: no "sent" first.
                final = MessageStatus.Failed;
                errorCode = FailedCodes[_random.Next(FailedCodes.Length)];
                finalAt = now + step;
                _network.ScheduleStatus(account, url, sid, "failed", from, message.To, errorCode, finalAt);
            }
            else
            {
                var undelivered = roll < _options.FailedShare + _options.UndeliveredShare;
                final = undelivered ? MessageStatus.Undelivered : MessageStatus.Delivered;
                errorCode = undelivered ? UndeliveredCodes[_random.Next(UndeliveredCodes.Length)] : null;
                finalAt = now + step + step;
                _network.ScheduleStatus(account, url, sid, "sent", from, message.To, null, now + step);
                _network.ScheduleStatus(account, url, sid, undelivered ? "undelivered" : "delivered", from, message.To, errorCode, finalAt);
                if (!undelivered && _random.NextDouble() < _options.ReplyShare)
                {
                    var delay = _options.ReplyDelayMin + (_options.ReplyDelayMax - _options.ReplyDelayMin) * _random.NextDouble();
                    var reply = SimulatedReplies.Pick(_random, _options.OptOutShare);
                    _network.ScheduleInbound(account, NewSid(), from: message.To, to: from, reply, finalAt + delay);
                }
            }

            _remembered.AddLast(new Remembered(sid, account.AccountSid, message.To, from, message.Body, now, now + step, finalAt, final, errorCode));
            while (_remembered.Count > _options.RememberedMessages)
            {
                _remembered.RemoveFirst();
            }
        }

        return Task.FromResult<SendResult>(new SendResult.Accepted(sid, from, MessageStatus.Submitted));
    }

    public Task<LookupResult> LookupAsync(LookupQuery query, ProviderAccount account, CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        var now = _clock.GetUtcNow();
        lock (_lock)
        {
            // Newest first: a resubmission of the same text is the one the caller is most likely asking about.
            for (var node = _remembered.Last; node is not null; node = node.Previous)
            {
                var m = node.Value;
                if (m.AccountSid == account.AccountSid && m.To == query.To && (query.From is null || m.From == query.From)
                    && m.Body == query.Body && m.CreatedAt >= query.NotBefore && m.CreatedAt <= query.NotAfter)
                {
                    var (status, code) = now >= m.FinalAt ? (m.Final, m.ErrorCode)
                        : now >= m.SentAt && m.Final != MessageStatus.Failed ? (MessageStatus.Sent, (int?)null)
                        : (MessageStatus.Submitted, null);
                    return Task.FromResult<LookupResult>(new LookupResult.Found(m.Sid, m.From, status, code));
                }
            }
        }

        return Task.FromResult<LookupResult>(new LookupResult.NotFound());
    }

    // Twilio's shape: "SM" and 32 lowercase hex digits. From the (seedable) random so seeded runs repeat exactly.
    private string NewSid()
    {
        Span<byte> bytes = stackalloc byte[16];
        _random.NextBytes(bytes);
        return "SM" + Convert.ToHexStringLower(bytes);
    }

    [GeneratedRegex(@"^\+[1-9][0-9]{6,14}$", RegexOptions.CultureInvariant)]
    private static partial Regex E164();

    private sealed record Remembered(
        string Sid,
        string AccountSid,
        string To,
        string From,
        string Body,
        DateTimeOffset CreatedAt,
        DateTimeOffset SentAt,
        DateTimeOffset FinalAt,
        MessageStatus Final,
        int? ErrorCode);
}
