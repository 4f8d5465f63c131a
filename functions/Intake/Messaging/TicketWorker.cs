using System.Diagnostics;
using Intake.Telemetry;
using Intake.Tickets;
using Microsoft.Extensions.Logging;

namespace Intake.Messaging;

/// <summary>
/// Handles one queue message: loads its ticket and hands both to the event's handler (<see cref="TicketEventHandlers"/>).
/// Delivery is at least once, so every handler is idempotent. Exceptions propagate: the queue's redelivery (and poison
/// after 5) is the retry policy.
/// </summary>
public sealed partial class TicketWorker(TicketStore store, TicketEventHandlers handlers, ILogger<TicketWorker> logger)
{
    public async Task HandleAsync(TicketQueueMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);

        // Every defined event has a handler (checked at start-up); a number that names none is a message no one can
        // read, retried and then dead-lettered like any failure rather than completed and lost.
        var handler = handlers.For(message.Event)
            ?? throw new InvalidDataException("The queue message names an event that does not exist.");
        using var activity = IntakeTelemetry.Source.StartActivity(
            "intake.handle", ActivityKind.Consumer, ActivityContext.TryParse(message.TraceParent, null, out var parent) ? parent : default);
        activity?.SetTag("intake.ticket_id", message.TicketId);
        activity?.SetTag("intake.event", message.Event.ToString());
        activity?.SetTag("messaging.message.id", message.MessageId);
        var stored = await store.GetAsync(message.TicketId, cancellationToken).ConfigureAwait(false);
        if (stored is null)
        {
            LogMissingTicket(logger, message.TicketId, message.MessageId);
            return;
        }

        await handler.HandleAsync(stored, message, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// A Service Bus delivery's body. One that cannot be read throws, so that it is retried and then dead-lettered like
    /// any failure rather than completed and lost.
    /// </summary>
    public Task HandleServiceBusBodyAsync(BinaryData body, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(body);
        return TicketQueueMessage.TryParse(body.ToString(), out var message) && message is not null
            ? HandleAsync(message, cancellationToken)
            : throw new InvalidDataException("The queue message is not a ticket message.");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Queue message {MessageId} names ticket {TicketId}, which does not exist")]
    private static partial void LogMissingTicket(ILogger logger, string ticketId, string messageId);
}
