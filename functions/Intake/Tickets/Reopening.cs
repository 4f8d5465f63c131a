namespace Intake.Tickets;

/// <summary>What a customer's new message does to the ticket it was matched to (by contact, thread or reference).</summary>
public enum FollowUp
{
    /// <summary>The ticket is still being worked on: the message joins it.</summary>
    Join,

    /// <summary>Resolved within <see cref="Reopening.Window"/>: the message joins it and reopens it.</summary>
    Reopen,

    /// <summary>Closed, or resolved longer ago: the message makes a new ticket that links the old one.</summary>
    NewLinkedTicket,
}

/// <summary>DESIGN §3: a customer writing again within 7 days of the resolution reopens the ticket; later, it is a new one.</summary>
public static class Reopening
{
    public static TimeSpan Window { get; } = TimeSpan.FromDays(7);

    public static FollowUp Decide(Ticket ticket, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return ticket.Status switch
        {
            TicketStatus.Closed => FollowUp.NewLinkedTicket,

            // A resolved ticket always has ResolvedAt; should one lack it, its last change stands in.
            TicketStatus.Resolved => now - (ticket.ResolvedAt ?? ticket.UpdatedAt) <= Window ? FollowUp.Reopen : FollowUp.NewLinkedTicket,
            _ => FollowUp.Join,
        };
    }
}
