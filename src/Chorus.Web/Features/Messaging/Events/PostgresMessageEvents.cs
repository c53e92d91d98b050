using System.Text.Json;
using Npgsql;

namespace Chorus.Features.Messaging.Events;

/// <summary>
/// Message events across instances through PostgreSQL <c>LISTEN/NOTIFY</c>: publishing sends a NOTIFY, and every
/// instance (this one included) receives it on its listening connection and delivers it to its local subscribers.
/// </summary>
public sealed class PostgresMessageEvents(string connectionString, ILogger<PostgresMessageEvents> logger) : InProcessMessageEvents
{
    public const string Channel = "chorus_messages";

    public override async Task PublishAsync(MessageEvent message, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SELECT pg_notify(@channel, @payload)", connection);
        command.Parameters.AddWithValue("channel", Channel);
        command.Parameters.AddWithValue("payload", JsonSerializer.Serialize(message));
        await command.ExecuteNonQueryAsync(ct);
    }

    /// <summary>Listens until <paramref name="ct"/> ends, reconnecting after a lost connection.</summary>
    public async Task ListenAsync(TaskCompletionSource? listening, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(ct);
                connection.Notification += (_, e) =>
                {
                    if (JsonSerializer.Deserialize<MessageEvent>(e.Payload) is { } message)
                    {
                        DeliverLocally(message);
                    }
                };
                await using (var command = new NpgsqlCommand($"LISTEN {Channel}", connection))
                {
                    await command.ExecuteNonQueryAsync(ct);
                }

                listening?.TrySetResult();
                while (!ct.IsCancellationRequested)
                {
                    await connection.WaitAsync(ct);
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                logger.LogWarning(ex, "The message event listener lost its connection; reconnecting.");
                await Task.Delay(TimeSpan.FromSeconds(1), ct);
            }
        }
    }
}

/// <summary>Runs the PostgreSQL listener for the app's lifetime.</summary>
public sealed class PostgresMessageEventListener(PostgresMessageEvents events) : BackgroundService
{
    private readonly TaskCompletionSource _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes once LISTEN is in place (tests wait for it before publishing).</summary>
    public Task Listening => _listening.Task;

    protected override Task ExecuteAsync(CancellationToken stoppingToken) => events.ListenAsync(_listening, stoppingToken);
}
