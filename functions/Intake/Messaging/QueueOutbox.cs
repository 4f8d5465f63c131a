using Microsoft.Extensions.Logging;

namespace Intake.Messaging;

/// <summary>
/// Queues a message for something already stored (an agent's reply, a resolve, a survey's follow-up or thank-you) so that
/// it cannot be lost: the message's outbox row is written first, the queue tried, and the row deleted once the queue has
/// it. When the queue fails the row stays and <see cref="OutboxSweeper"/> sends it later; the caller carries on as if it
/// had been queued, so an agent is not told to post a reply again that is already stored.
/// </summary>
public sealed partial class QueueOutbox(OutboxStore outbox, ITicketQueue queue, ILogger<QueueOutbox> logger)
{
    public async Task EnqueueAsync(TicketQueueMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var entry = await outbox.AddAsync(message, cancellationToken).ConfigureAwait(false);
        try
        {
            await queue.EnqueueAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogDeferred(logger, message.MessageId, message.TicketId, ex);
            return;
        }

        try
        {
            await outbox.DeleteAsync(entry, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The message is queued; the row left behind costs one redundant send, which the worker recognises.
            LogNotCleared(logger, message.MessageId, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queueing {MessageId} for ticket {TicketId} failed; it stays in the outbox for the sweeper")]
    private static partial void LogDeferred(ILogger logger, string messageId, string ticketId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queued {MessageId}, but its outbox row could not be deleted; the sweeper sends it again")]
    private static partial void LogNotCleared(ILogger logger, string messageId, Exception exception);
}

/// <summary>
/// Sends what <see cref="QueueOutbox"/> could not: outbox rows older than <see cref="GracePeriod"/> (younger ones may be a
/// send still in flight) are queued again and deleted once the queue has them. A repeat is harmless: message ids are
/// deterministic and every handler is idempotent. A failing queue stops the run; the rows wait for the next.
/// </summary>
public sealed partial class OutboxSweeper(OutboxStore outbox, ITicketQueue queue, TimeProvider time, ILogger<OutboxSweeper> logger)
{
    public static readonly TimeSpan GracePeriod = TimeSpan.FromMinutes(1);

    /// <summary>How often the server sweeps (the Functions timer trigger: every minute too).</summary>
    public static readonly TimeSpan Interval = TimeSpan.FromMinutes(1);

    /// <summary>The most rows one run sends; a backlog beyond it is worked off over the next runs.</summary>
    public const int MaxPerRun = 10_000;

    internal int PageSize { get; set; } = 500;

    /// <summary>Sends the rows older than the grace period and returns how many were settled.</summary>
    public async Task<int> RunOnceAsync(CancellationToken cancellationToken)
    {
        var cutoff = time.GetUtcNow() - GracePeriod;
        var settled = 0;
        string? after = null;
        while (settled < MaxPerRun)
        {
            var page = await outbox.BeforeAsync(cutoff, Math.Min(PageSize, MaxPerRun - settled), cancellationToken, after).ConfigureAwait(false);
            foreach (var entry in page)
            {
                if (entry.Message is { } message)
                {
                    await queue.EnqueueAsync(message, cancellationToken).ConfigureAwait(false);
                }
                else
                {
                    LogUnreadable(logger, entry.RowKey);
                }

                await outbox.DeleteAsync(entry, cancellationToken).ConfigureAwait(false);
                settled++;
            }

            if (page.Count < PageSize)
            {
                break;
            }

            after = page[^1].RowKey;
        }

        if (settled > 0)
        {
            LogRun(logger, settled);
        }

        return settled;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox sweep: {Count} messages queued again")]
    private static partial void LogRun(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox row {RowKey} holds no readable message; deleted")]
    private static partial void LogUnreadable(ILogger logger, string rowKey);
}
