using Azure.Messaging.ServiceBus;
using Microsoft.Extensions.Logging;

namespace Intake.Messaging;

/// <summary>What one queue's dead-letter sub-queue holds, counted up to <see cref="ServiceBusDeadLetters.CountLimit"/>.</summary>
public sealed record DeadLetterCount(string Queue, int Count, bool AtLeast);

/// <summary>
/// The ticket queues' dead-letter sub-queues (<c>&lt;queue&gt;/$DeadLetterQueue</c>): counted by peeking, which needs only
/// the listen right the app already has (the runtime count needs manage rights), and replayed onto their queue.
/// </summary>
public sealed partial class ServiceBusDeadLetters(ServiceBusClient client, ILogger<ServiceBusDeadLetters> logger)
{
    /// <summary>A count stops here: one dead letter is already an alert, and peeking a thousand costs a second of the report.</summary>
    public const int CountLimit = 100;

    private const int Batch = 50;

    public async Task<IReadOnlyList<DeadLetterCount>> CountAsync(CancellationToken cancellationToken)
    {
        var counts = new List<DeadLetterCount>();
        foreach (var queue in TicketQueues.ByPriority.Select(TicketQueues.NameFor))
        {
            await using var receiver = client.CreateReceiver(queue, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter });
            var count = 0;
            long? from = null;
            while (count < CountLimit)
            {
                var peeked = await receiver.PeekMessagesAsync(Math.Min(Batch, CountLimit - count), from, cancellationToken).ConfigureAwait(false);
                if (peeked.Count == 0)
                {
                    break;
                }

                count += peeked.Count;
                from = peeked[^1].SequenceNumber + 1;
            }

            counts.Add(new DeadLetterCount(queue, count, AtLeast: count >= CountLimit));
        }

        return counts;
    }

    /// <summary>
    /// Moves up to <paramref name="max"/> dead letters of <paramref name="queue"/> back onto it, each as a copy with a fresh
    /// retry horizon, then completes the dead letter. A copy's id is <c>{original}:replay:{dead letter's sequence number}</c>:
    /// duplicate detection drops the second copy when a crash between send and complete replays one again, and the
    /// handlers recognise anything already done, so a replay never sends a customer the same message twice.
    /// </summary>
    /// <returns>How many were replayed.</returns>
    public async Task<int> ReplayAsync(string queue, int max, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(max);
        await using var receiver = client.CreateReceiver(queue, new ServiceBusReceiverOptions { SubQueue = SubQueue.DeadLetter, PrefetchCount = 0 });
        await using var sender = client.CreateSender(queue);
        var replayed = 0;
        while (replayed < max)
        {
            var received = await receiver.ReceiveMessagesAsync(Math.Min(Batch, max - replayed), TimeSpan.FromSeconds(5), cancellationToken).ConfigureAwait(false);
            if (received.Count == 0)
            {
                break;
            }

            foreach (var message in received)
            {
                var original = ServiceBusRetry.OriginalIdOf(message);
                var copy = ServiceBusRetry.Copy(message, ServiceBusMapping.MessageIdFor($"{original}:replay:{message.SequenceNumber}"), attempt: 0);
                await sender.SendMessageAsync(copy, cancellationToken).ConfigureAwait(false);
                await receiver.CompleteMessageAsync(message, cancellationToken).ConfigureAwait(false);
                LogReplayed(logger, original, queue, message.DeadLetterReason);
                replayed++;
            }
        }

        return replayed;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Replayed dead letter {MessageId} onto {Queue} (dead-lettered: {Reason})")]
    private static partial void LogReplayed(ILogger logger, string messageId, string queue, string? reason);
}
