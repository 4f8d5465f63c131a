using Intake.Tickets;
using Intake.Triage;

namespace Intake.Tests.Tickets;

/// <summary>The 7-day rule, without storage.</summary>
public sealed class ReopeningTests
{
    private static readonly DateTimeOffset Resolved = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);

    private static Ticket Ticket(TicketStatus status, DateTimeOffset? resolvedAt = null) => new()
    {
        Id = "01KAR000000000000000W7K2QX",
        Reference = "T-W7K2QX",
        Status = status,
        Channel = "telegram",
        Contact = new Contact("telegram", "42"),
        Language = "en",
        Category = TicketCategory.General,
        Urgency = Urgency.Normal,
        CreatedAt = Resolved.AddDays(-1),
        UpdatedAt = Resolved,
        ResolvedAt = resolvedAt,
    };

    [Theory]
    [InlineData(TicketStatus.New)]
    [InlineData(TicketStatus.Open)]
    [InlineData(TicketStatus.WaitingOnCustomer)]
    public void A_ticket_still_being_worked_on_is_joined(TicketStatus status) =>
        Assert.Equal(FollowUp.Join, Reopening.Decide(Ticket(status), Resolved.AddDays(30)));

    [Theory]
    [InlineData(0, FollowUp.Reopen)]
    [InlineData(2 * 24, FollowUp.Reopen)]
    [InlineData(7 * 24, FollowUp.Reopen)]
    [InlineData((7 * 24) + 1, FollowUp.NewLinkedTicket)]
    [InlineData(8 * 24, FollowUp.NewLinkedTicket)]
    public void A_resolved_ticket_reopens_within_seven_days_of_its_resolution(int hoursLater, FollowUp expected) =>
        Assert.Equal(expected, Reopening.Decide(Ticket(TicketStatus.Resolved, Resolved), Resolved.AddHours(hoursLater)));

    [Fact]
    public void A_closed_ticket_never_reopens() =>
        Assert.Equal(FollowUp.NewLinkedTicket, Reopening.Decide(Ticket(TicketStatus.Closed, Resolved), Resolved.AddMinutes(1)));

    [Fact]
    public void A_resolved_ticket_without_a_resolution_time_counts_from_its_last_change() =>
        Assert.Equal(FollowUp.NewLinkedTicket, Reopening.Decide(Ticket(TicketStatus.Resolved), Resolved.AddDays(8)));
}
