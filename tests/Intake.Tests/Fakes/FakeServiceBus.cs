using System.Collections.Concurrent;
using Azure.Messaging.ServiceBus;

namespace Intake.Tests.Fakes;

/// <summary>
/// Service Bus at the SDK's boundary, for what cannot run here (the emulator needs Docker): the SDK's own mockable
/// <see cref="ServiceBusClient"/>, <see cref="ServiceBusSender"/> and <see cref="ServiceBusReceiver"/> (protected
/// constructors, virtual members, as its documentation intends for tests), recording what is sent per queue and holding
/// each queue's dead letters as the SDK's model factory builds them.
/// </summary>
public sealed class FakeServiceBus : ServiceBusClient
{
    private readonly ConcurrentDictionary<string, ConcurrentQueue<ServiceBusMessage>> _sent = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, List<ServiceBusReceivedMessage>> _deadLetters = new(StringComparer.Ordinal);
    private Exception? _fail;

    public IReadOnlyList<ServiceBusMessage> SentTo(string queue) => _sent.TryGetValue(queue, out var sent) ? [.. sent] : [];

    public IReadOnlyList<ServiceBusReceivedMessage> DeadLettersOf(string queue)
    {
        var list = _deadLetters.GetOrAdd(queue, _ => []);
        lock (list)
        {
            return [.. list];
        }
    }

    public void AddDeadLetter(string queue, ServiceBusReceivedMessage message)
    {
        var list = _deadLetters.GetOrAdd(queue, _ => []);
        lock (list)
        {
            list.Add(message);
        }
    }

    /// <summary>Nothing to close: the SDK's own dispose would reach for a connection this fake never opens.</summary>
#pragma warning disable CA2215
    public override ValueTask DisposeAsync() => ValueTask.CompletedTask;
#pragma warning restore CA2215

    public override ServiceBusSender CreateSender(string queueOrTopicName) => new Sender(this, queueOrTopicName);

    public override ServiceBusReceiver CreateReceiver(string queueName, ServiceBusReceiverOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return options.SubQueue == SubQueue.DeadLetter
            ? new DeadLetterReceiver(this, queueName)
            : throw new NotSupportedException("Only dead-letter sub-queues are read here.");
    }

    private void Record(string queue, ServiceBusMessage message)
    {
        if (Interlocked.Exchange(ref _fail, null) is { } failure)
        {
            throw failure;
        }

        _sent.GetOrAdd(queue, _ => new ConcurrentQueue<ServiceBusMessage>()).Enqueue(message);
    }

    /// <summary>The next send throws <paramref name="exception"/> and records nothing.</summary>
    public void FailNext(Exception exception) => _fail = exception;

    private sealed class Sender(FakeServiceBus bus, string queue) : ServiceBusSender
    {
        public override string EntityPath => queue;

        public override Task CloseAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public override Task SendMessageAsync(ServiceBusMessage message, CancellationToken cancellationToken = default)
        {
            bus.Record(queue, message);
            return Task.CompletedTask;
        }
    }

    private sealed class DeadLetterReceiver(FakeServiceBus bus, string queue) : ServiceBusReceiver
    {
        private readonly HashSet<long> _locked = [];

        public override string EntityPath => queue + "/$DeadLetterQueue";

        public override Task CloseAsync(CancellationToken cancellationToken = default) => Task.CompletedTask;

        public override Task<IReadOnlyList<ServiceBusReceivedMessage>> PeekMessagesAsync(int maxMessages, long? fromSequenceNumber = null, CancellationToken cancellationToken = default) =>
            Task.FromResult<IReadOnlyList<ServiceBusReceivedMessage>>(
                [.. bus.DeadLettersOf(queue).Where(m => m.SequenceNumber >= (fromSequenceNumber ?? long.MinValue)).OrderBy(m => m.SequenceNumber).Take(maxMessages)]);

        public override Task<IReadOnlyList<ServiceBusReceivedMessage>> ReceiveMessagesAsync(int maxMessages, TimeSpan? maxWaitTime = null, CancellationToken cancellationToken = default)
        {
            var taken = bus.DeadLettersOf(queue).Where(m => !_locked.Contains(m.SequenceNumber)).OrderBy(m => m.SequenceNumber).Take(maxMessages).ToList();
            _locked.UnionWith(taken.Select(m => m.SequenceNumber));
            return Task.FromResult<IReadOnlyList<ServiceBusReceivedMessage>>(taken);
        }

        public override Task CompleteMessageAsync(ServiceBusReceivedMessage message, CancellationToken cancellationToken = default)
        {
            ArgumentNullException.ThrowIfNull(message);
            var list = bus._deadLetters.GetOrAdd(queue, _ => []);
            lock (list)
            {
                list.RemoveAll(m => m.SequenceNumber == message.SequenceNumber);
            }

            return Task.CompletedTask;
        }
    }
}
