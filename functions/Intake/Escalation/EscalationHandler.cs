using Intake.Messaging;
using Intake.Sla;
using Intake.Tickets;

namespace Intake.Escalation;

/// <summary>
/// <see cref="TicketEvent.Escalated"/>: a ticket the SLA monitor warned about or escalated. Each warning (unless a breach of
/// the same target and round followed it: the breach says it all) and each breach it has recorded is announced on the
/// escalation channel, once (the notices are keyed <c>sla:{target}:{kind}</c>, so a redelivery or a later event sends only
/// what is new, and a notice whose send failed goes out on the queue's retry).
/// </summary>
public sealed class EscalationHandler(EscalationNotifier escalations) : ITicketEventHandler
{
    public TicketEvent TicketEvent => TicketEvent.Escalated;

    public async Task HandleAsync(StoredTicket stored, TicketQueueMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var ticket = stored.Ticket;
        foreach (var (sla, subject, text) in Notices(ticket))
        {
            await escalations.NotifyAsync(ticket, EscalationNotifier.KeyOf(sla), subject, text, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>The notices a ticket's warnings and breaches call for, in the order they were recorded. Pure.</summary>
    internal static IEnumerable<(SlaEvent Event, string Subject, string Text)> Notices(Ticket ticket) =>
        ticket.SlaEvents.Where(e => e.Kind == SlaEventKinds.Breached || (e.Kind == SlaEventKinds.Warning && !Superseded(ticket, e))).Select(e =>
        {
            var (subject, text) = EscalationNotifier.Compose(ticket, e);
            return (e, subject, text);
        });

    private static bool Superseded(Ticket ticket, SlaEvent warning) =>
        ticket.SlaEvents.Any(e => e.Kind == SlaEventKinds.Breached && e.Target == warning.Target && e.Round == warning.Round);
}
