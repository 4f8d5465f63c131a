using System.Collections.Concurrent;
using Azure.Messaging.ServiceBus;
using Intake.Messaging;

namespace Intake.Functions;

/// <summary>
/// The ticket queues over Service Bus: one cached sender per queue, sending what <see cref="ServiceBusMapping"/> decides
/// (a deterministic <c>MessageId</c>, so a repeated enqueue within the duplicate-detection window is dropped).
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

        await _senders.GetOrAdd(outgoing.QueueName, client.CreateSender).SendMessageAsync(sent, cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var sender in _senders.Values)
        {
            await sender.DisposeAsync().ConfigureAwait(false);
        }
    }
}
