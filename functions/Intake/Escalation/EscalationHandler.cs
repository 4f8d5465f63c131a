using Intake.Messaging;
using Intake.Sla;
using Intake.Tickets;

namespace Intake.Escalation;

/// <summary>
/// <see cref="TicketEvent.Escalated"/>: a ticket the SLA monitor escalated. Each breach it has recorded is announced on the
/// escalation channel, once (the notices are keyed <c>sla:{target}:breached</c>, so a redelivery or a later escalation of
/// the other target sends only what is new).
/// </summary>
public sealed class EscalationHandler(EscalationNotifier escalations) : ITicketEventHandler
{
    public TicketEvent TicketEvent => TicketEvent.Escalated;

    public async Task HandleAsync(StoredTicket stored, TicketQueueMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var ticket = stored.Ticket;
        foreach (var (breach, subject, text) in Notices(ticket))
        {
            await escalations.NotifyAsync(ticket, EscalationNotifier.KeyOf(breach), subject, text, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The notices a ticket's breaches call for, in the order they were recorded. Pure.</summary>
    internal static IEnumerable<(SlaEvent Breach, string Subject, string Text)> Notices(Ticket ticket) =>
        ticket.SlaEvents.Where(e => e.Kind == SlaEventKinds.Breached).Select(e =>
        {
            var (subject, text) = EscalationNotifier.Compose(ticket, e);
            return (e, subject, text);
        });
}
