using Azure;
using Intake.Messaging;

namespace Intake.Tests.Integration;

/// <summary>
/// The real Storage queue, which a test can take down: while <see cref="Down"/> it fails as an unreachable storage
/// account does (the storage client's give-up after its tries, each a refused connection), which intake counts as an outage.
/// </summary>
internal sealed class SwitchableQueue(StorageTicketQueue queue) : ITicketQueue
{
    public volatile bool Down;

    public Task EnqueueAsync(TicketQueueMessage message, CancellationToken cancellationToken) =>
        Down
            ? throw new AggregateException(
                "Retry failed after 4 tries.",
                Enumerable.Range(0, 4).Select(_ => new RequestFailedException(0, "Connection refused (127.0.0.1:10001)")))
            : queue.EnqueueAsync(message, cancellationToken);
}
