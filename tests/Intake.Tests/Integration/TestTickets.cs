using Intake.Tickets;
using Intake.Triage;

namespace Intake.Tests.Integration;

/// <summary>A ticket as intake would make it, for tests that write to a store directly: a pending withdrawal, high urgency.</summary>
internal static class TestTickets
{
    public static Ticket Withdrawal(TimeProvider time, string channel = "web", string? contactId = null)
    {
        ArgumentNullException.ThrowIfNull(time);
        var id = TicketIds.NewId(time);
        return new Ticket
        {
            Id = id,
            Reference = TicketIds.ReferenceOf(id),
            Channel = channel,
            Contact = new Contact(channel, contactId ?? (channel == "email" ? "lena@example.com" : Guid.NewGuid().ToString("N")), "Lena", "lena@example.com"),
            Language = "en",
            Category = TicketCategory.Withdrawal,
            Urgency = Urgency.High,
            Subject = "Withdrawal pending",
            CreatedAt = time.GetUtcNow(),
        };
    }
}
