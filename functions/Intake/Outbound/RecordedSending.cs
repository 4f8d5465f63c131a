using Intake.Tickets;

namespace Intake.Outbound;

/// <summary>The one way a message recorded pending before sending is sent and marked (acknowledgements, replies, thank-yous, escalation notices).</summary>
public static class RecordedSending
{
    /// <summary>
    /// Runs <paramref name="send"/> and marks <paramref name="record"/> with its result. A send that throws is known not to
    /// have gone out: the record is marked <see cref="OutboundStatus.Failed"/>, so that the queue's redelivery may take it
    /// again, and the exception goes on to the queue.
    /// </summary>
    public static async Task<SendResult> SendRecordedAsync(
        this TicketStore store, string ticketId, OutboundRecord record, Func<Task<SendResult>> send, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(send);
        SendResult result;
        try
        {
            result = await send().ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await store.MarkOutboundAsync(ticketId, record, OutboundStatus.Failed, null, CancellationToken.None).ConfigureAwait(false);
            throw;
        }

        await store.MarkOutboundAsync(ticketId, record, result.Status, result.ProviderMessageId, cancellationToken).ConfigureAwait(false);
        return result;
    }
}
