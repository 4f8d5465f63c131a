namespace Intake.Tickets;

/// <summary>
/// Rows outside a ticket's partition kept in step with each ticket write — the status listing, the SLA due-time index,
/// the SLA metrics — in two steps around the write, so that a process killed at any point never leaves a ticket missing
/// from them. <see cref="BeforeWriteAsync"/> adds the rows the ticket will need (its listing row, its next due-time row)
/// before it is written: should the write then fail or never happen, such a row is harmless, because readers check every
/// row against the ticket (the listing skips it, the monitor moves it to the ticket's own). <see cref="AfterWriteAsync"/>
/// removes the rows the write made stale (a stale row is harmless in the same way) and records what must follow a write
/// that happened (the metrics). <c>before</c> is the ticket as stored before the write, null when the write creates it.
/// </summary>
public interface ITicketProjection
{
    Task BeforeWriteAsync(Ticket? before, Ticket after, CancellationToken cancellationToken);

    Task AfterWriteAsync(Ticket? before, Ticket after, CancellationToken cancellationToken);
}
