using Microsoft.Extensions.Logging;

namespace Intake.Messaging;

/// <summary>
/// Queues the messages a write causes so that none can be lost. <see cref="AroundWriteAsync"/> is the rule: the messages
/// the write is expected to cause go in the outbox before it, so that a process killed after the write still has them
/// queued by <see cref="OutboxSweeper"/>; after the write the ones it really caused are queued and every row deleted. A
/// planned message whose event then does not happen (the write refused, failed or killed before it) is harmless: every
/// handler acts on what the ticket and its records say, not on the message. <see cref="EnqueueAsync"/> is for a
/// message about something already stored. When the queue fails the row stays for the sweeper and the caller carries
/// on as if it had been queued, so that an agent or customer is not told to send again what is already stored.
/// </summary>
public sealed partial class QueueOutbox(OutboxStore outbox, ITicketQueue queue, ILogger<QueueOutbox> logger)
{
    public async Task EnqueueAsync(TicketQueueMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var entry = await outbox.AddAsync(message, cancellationToken).ConfigureAwait(false);
        await QueueAndClearAsync(entry, message, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Puts <paramref name="planned"/> in the outbox, runs <paramref name="write"/>, then queues what it says it caused
    /// (a message it caused but nobody planned is put in the outbox first, after the write: plan well). An exception from
    /// the write leaves the planned rows to the sweeper, since a write that failed may still have happened.
    /// </summary>
    public async Task<T> AroundWriteAsync<T>(
        IReadOnlyList<TicketQueueMessage> planned, Func<Task<(T Result, IReadOnlyList<TicketQueueMessage> Caused)>> write, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(planned);
        ArgumentNullException.ThrowIfNull(write);
        var entries = new List<OutboxEntry>(planned.Count);
        foreach (var message in planned)
        {
            entries.Add(await outbox.AddAsync(message, cancellationToken).ConfigureAwait(false));
        }

        var (result, caused) = await write().ConfigureAwait(false);
        foreach (var message in caused)
        {
            var entry = entries.Find(e => e.Message?.MessageId == message.MessageId);
            if (entry is null)
            {
                entry = await outbox.AddAsync(message, cancellationToken).ConfigureAwait(false);
            }
            else
            {
                entries.Remove(entry);
            }

            await QueueAndClearAsync(entry, message, cancellationToken).ConfigureAwait(false);
        }

        foreach (var unused in entries)
        {
            await ClearAsync(unused, cancellationToken).ConfigureAwait(false);
        }

        return result;
    }

    private async Task QueueAndClearAsync(OutboxEntry entry, TicketQueueMessage message, CancellationToken cancellationToken)
    {
        try
        {
            await queue.EnqueueAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            LogDeferred(logger, message.MessageId, message.TicketId, ex);
            return;
        }

        await ClearAsync(entry, cancellationToken).ConfigureAwait(false);
    }

    private async Task ClearAsync(OutboxEntry entry, CancellationToken cancellationToken)
    {
        try
        {
            await outbox.DeleteAsync(entry, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // The row left behind costs one redundant message, which its handler recognises.
            LogNotCleared(logger, entry.RowKey, ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queueing {MessageId} for ticket {TicketId} failed; it stays in the outbox for the sweeper")]
    private static partial void LogDeferred(ILogger logger, string messageId, string ticketId, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox row {RowKey} could not be deleted; the sweeper queues its message again")]
    private static partial void LogNotCleared(ILogger logger, string rowKey, Exception exception);
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
                    await queue.EnqueueAsync(Swept(message), cancellationToken).ConfigureAwait(false);
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

    /// <summary>
    /// The sweeper's copy has an id of its own (<c>{messageId}:swept</c>): a row planned before a write that stalled past
    /// the grace period is swept before its event exists (its handler finds nothing to do), and the message the write then
    /// queues must not be dropped by Service Bus's duplicate detection as a repeat of that copy. Handlers are idempotent,
    /// so the copy and the original may both run.
    /// </summary>
    internal static TicketQueueMessage Swept(TicketQueueMessage message) =>
        message.MessageId.EndsWith(":swept", StringComparison.Ordinal) ? message : message with { MessageId = message.MessageId + ":swept" };

    [LoggerMessage(Level = LogLevel.Information, Message = "Outbox sweep: {Count} messages queued again")]
    private static partial void LogRun(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox row {RowKey} holds no readable message; deleted")]
    private static partial void LogUnreadable(ILogger logger, string rowKey);
}
