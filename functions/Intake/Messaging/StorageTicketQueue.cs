using Azure.Storage.Queues;
using Azure.Storage.Queues.Models;
using Intake.Triage;

namespace Intake.Messaging;

/// <summary>A message taken from a queue, to be completed, or left to reappear after its visibility timeout.</summary>
public sealed record ReceivedTicketMessage(
    Urgency Urgency, TicketQueueMessage? Message, string QueueMessageId, string PopReceipt, long DequeueCount, string Body, DateTimeOffset? InsertedOn = null);

/// <summary>
/// The ticket queues over Azure Storage queues (Azurite locally): <c>tickets-urgent|high|normal|low</c>, and
/// <c>&lt;queue&gt;-poison</c> for a message that failed <see cref="TicketQueues.MaxDeliveries"/> times or cannot be read.
/// </summary>
public sealed class StorageTicketQueue(QueueServiceClient queues, string prefix = "") : ITicketQueue
{
    private readonly Dictionary<string, QueueClient> _clients = new(StringComparer.Ordinal);
    private TaskCompletionSource _enqueued = NewSignal();

    /// <summary>
    /// Completes when this instance next enqueues a message, so that a worker in the same process, idle between polls,
    /// takes it at once. Other instances' messages are found by polling.
    /// </summary>
    public Task NextEnqueue => Volatile.Read(ref _enqueued).Task;

    public async Task CreateQueuesAsync(CancellationToken cancellationToken)
    {
        foreach (var urgency in TicketQueues.ByPriority)
        {
            await Client(TicketQueues.NameFor(urgency)).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
            await Client(TicketQueues.PoisonNameFor(urgency)).CreateIfNotExistsAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        }
    }

    public async Task EnqueueAsync(TicketQueueMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        await Client(TicketQueues.NameFor(message.Urgency)).SendMessageAsync(message.ToJson(), cancellationToken).ConfigureAwait(false);
        Interlocked.Exchange(ref _enqueued, NewSignal()).TrySetResult();
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Up to <paramref name="maxMessages"/> messages of one urgency, hidden from others for <paramref name="visibility"/>.</summary>
    public async Task<IReadOnlyList<ReceivedTicketMessage>> ReceiveAsync(Urgency urgency, int maxMessages, TimeSpan visibility, CancellationToken cancellationToken)
    {
        var response = await Client(TicketQueues.NameFor(urgency))
            .ReceiveMessagesAsync(maxMessages, visibility, cancellationToken).ConfigureAwait(false);
        return [.. response.Value.Select(m => ToReceived(urgency, m))];
    }

    public async Task CompleteAsync(ReceivedTicketMessage received, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(received);
        await Client(TicketQueues.NameFor(received.Urgency))
            .DeleteMessageAsync(received.QueueMessageId, received.PopReceipt, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Makes a message that failed visible again after <paramref name="delay"/> (its retry backoff).</summary>
    public async Task ReleaseAsync(ReceivedTicketMessage received, TimeSpan delay, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(received);
        await Client(TicketQueues.NameFor(received.Urgency))
            .UpdateMessageAsync(received.QueueMessageId, received.PopReceipt, visibilityTimeout: delay, cancellationToken: cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Copies the message to the poison queue, then removes it from its queue: at worst it is in both, never in neither.</summary>
    public async Task MoveToPoisonAsync(ReceivedTicketMessage received, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(received);
        await Client(TicketQueues.PoisonNameFor(received.Urgency)).SendMessageAsync(received.Body, cancellationToken).ConfigureAwait(false);
        await CompleteAsync(received, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Moves up to <paramref name="max"/> messages of a poison queue back onto their queue, once the cause is fixed: each is
    /// sent again, then removed from the poison queue (at worst in both, never in neither; every handler is idempotent and
    /// message ids are deterministic, so a message handled twice acts once). Returns how many were moved.
    /// </summary>
    public async Task<int> ReplayPoisonAsync(Urgency urgency, int max, CancellationToken cancellationToken)
    {
        var poison = Client(TicketQueues.PoisonNameFor(urgency));
        var target = Client(TicketQueues.NameFor(urgency));
        var moved = 0;
        while (moved < max)
        {
            var batch = (await poison.ReceiveMessagesAsync(Math.Min(32, max - moved), TimeSpan.FromMinutes(1), cancellationToken).ConfigureAwait(false)).Value;
            if (batch.Length == 0)
            {
                break;
            }

            foreach (var message in batch)
            {
                await target.SendMessageAsync(message.Body, cancellationToken: cancellationToken).ConfigureAwait(false);
                await poison.DeleteMessageAsync(message.MessageId, message.PopReceipt, cancellationToken).ConfigureAwait(false);
                moved++;
            }
        }

        return moved;
    }

    public async Task<int> ApproximateDepthAsync(string queueName, CancellationToken cancellationToken)
    {
        var properties = await Client(queueName).GetPropertiesAsync(cancellationToken).ConfigureAwait(false);
        return properties.Value.ApproximateMessagesCount;
    }

    private static ReceivedTicketMessage ToReceived(Urgency urgency, QueueMessage message)
    {
        var body = message.Body.ToString();
        var parsed = TicketQueueMessage.TryParse(body, out var read) ? read : null;
        return new ReceivedTicketMessage(urgency, parsed, message.MessageId, message.PopReceipt, message.DequeueCount, body, message.InsertedOn);
    }

    private QueueClient Client(string name)
    {
        lock (_clients)
        {
            if (!_clients.TryGetValue(name, out var client))
            {
                // A prefix lets several instances (or test runs) share one storage account.
                client = queues.GetQueueClient(prefix.Length == 0 ? name : prefix + "-" + name);
                _clients.Add(name, client);
            }

            return client;
        }
    }
}
