namespace Intake.Tickets;

/// <summary>
/// Rows outside a ticket's partition kept in step with each ticket write — the status listing, the SLA due-time index,
/// the SLA metrics. <see cref="TicketStore"/> calls each projection after the ticket is written, with the ticket before the
/// write (null when this write created it) and after. They are written after the ticket, not with it, so each must be
/// safe to repeat, and readers check what they find against the ticket.
/// </summary>
public interface ITicketProjection
{
    Task ProjectAsync(Ticket? before, Ticket after, CancellationToken cancellationToken);
}
