using System.Collections.Concurrent;
using System.Threading.Channels;

namespace Chorus.Features.Messaging.Events;

/// <summary>Something a live screen wants to know at once: a reply arrived, a status changed.</summary>
/// <param name="OrganizationId">Whose.</param>
/// <param name="Kind">"inbound", "status", "opt-out".</param>
/// <param name="MessageId">The message.</param>
/// <param name="ContactId">Its conversation, when matched.</param>
/// <param name="TexterUserId">The texter the conversation belongs to, when known.</param>
public sealed record MessageEvent(Guid OrganizationId, string Kind, Guid MessageId, Guid? ContactId, Guid? TexterUserId);

/// <summary>
/// Publishes message events to every subscriber on every instance. On SQLite (one instance) delivery is in-process;
/// on PostgreSQL publishing goes through <c>NOTIFY</c> and each instance's listener hands events to its local
/// subscribers (<see cref="PostgresMessageEvents"/>), so a reply received by one instance shows on another's screens.
/// </summary>
public interface IMessageEvents
{
    /// <summary>Publishes after the change is committed (callers publish after their save).</summary>
    Task PublishAsync(MessageEvent message, CancellationToken ct);

    /// <summary>Events of one organization until the subscription is disposed.</summary>
    MessageSubscription Subscribe(Guid organizationId);
}

/// <summary>A subscriber's queue of events; dispose to stop.</summary>
public sealed class MessageSubscription : IDisposable
{
    private readonly Channel<MessageEvent> _channel = Channel.CreateBounded<MessageEvent>(new BoundedChannelOptions(1_000) { FullMode = BoundedChannelFullMode.DropOldest });
    private readonly Action<MessageSubscription> _unsubscribe;

    internal MessageSubscription(Guid organizationId, Action<MessageSubscription> unsubscribe)
    {
        OrganizationId = organizationId;
        _unsubscribe = unsubscribe;
    }

    public Guid OrganizationId { get; }

    public ChannelReader<MessageEvent> Reader => _channel.Reader;

    internal void Deliver(MessageEvent message) => _channel.Writer.TryWrite(message);

    public void Dispose()
    {
        _unsubscribe(this);
        _channel.Writer.TryComplete();
    }
}

/// <summary>The local fan-out every implementation ends in.</summary>
public class InProcessMessageEvents : IMessageEvents
{
    private readonly ConcurrentDictionary<MessageSubscription, byte> _subscribers = new();

    public virtual Task PublishAsync(MessageEvent message, CancellationToken ct)
    {
        DeliverLocally(message);
        return Task.CompletedTask;
    }

    public void DeliverLocally(MessageEvent message)
    {
        foreach (var subscriber in _subscribers.Keys)
        {
            if (subscriber.OrganizationId == message.OrganizationId)
            {
                subscriber.Deliver(message);
            }
        }
    }

    public MessageSubscription Subscribe(Guid organizationId)
    {
        var subscription = new MessageSubscription(organizationId, s => _subscribers.TryRemove(s, out _));
        _subscribers[subscription] = 0;
        return subscription;
    }
}
