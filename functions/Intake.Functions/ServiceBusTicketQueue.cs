using System.Collections.Concurrent;
using Azure.Messaging.ServiceBus;
using Intake.Messaging;

namespace Intake.Functions;

/// <summary>
/// The ticket queues over Service Bus: one cached sender per queue, sending what <see cref="ServiceBusMapping"/> decides
/// (a deterministic <c>MessageId</c>, so a repeated enqueue within the duplicate-detection window is dropped). A refusal
/// becomes a <see cref="TicketQueueUnavailableException"/> that says whether waiting helps.
/// </summary>
public sealed class ServiceBusTicketQueue(ServiceBusClient client) : ITicketQueue, IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, ServiceBusSender> _senders = new(StringComparer.Ordinal);

    public async Task EnqueueAsync(TicketQueueMessage message, CancellationToken cancellationToken)
    {
        var outgoing = ServiceBusMapping.ToOutgoing(message);
        var sent = new ServiceBusMessage(outgoing.Body)
        {
            MessageId = outgoing.MessageId,
            Subject = outgoing.Subject,
            ContentType = outgoing.ContentType,
        };
        foreach (var (name, value) in outgoing.Properties)
        {
            sent.ApplicationProperties[name] = value;
        }

        await SendAsync(outgoing.QueueName, sent, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Sends <paramref name="message"/> as it is (a retry's scheduled copy) to <paramref name="queue"/>.</summary>
    public async Task SendAsync(string queue, ServiceBusMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        try
        {
            await _senders.GetOrAdd(queue, client.CreateSender).SendMessageAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (ServiceBusException ex)
        {
            // The SDK marks busy, timeout and communication failures transient; a full queue drains too.
            throw Unavailable(queue, message.MessageId, ex, ex.IsTransient || ex.Reason == ServiceBusFailureReason.QuotaExceeded);
        }
        catch (UnauthorizedAccessException ex)
        {
            throw Unavailable(queue, message.MessageId, ex, transient: false);
        }
    }

    private static TicketQueueUnavailableException Unavailable(string queue, string messageId, Exception ex, bool transient) =>
        new(queue, transient, $"Service Bus queue {queue} did not take message {messageId} ({Reason(ex)}){(transient ? "" : "; an operator must fix the namespace")}.", ex);

    private static string Reason(Exception ex) => ex switch
    {
        ServiceBusException bus => bus.Reason.ToString(),
        UnauthorizedAccessException => "Unauthorized",
        _ => ex.GetType().Name,
    };

    public async ValueTask DisposeAsync()
    {
        foreach (var sender in _senders.Values)
        {
            await sender.DisposeAsync().ConfigureAwait(false);
        }
    }
}
