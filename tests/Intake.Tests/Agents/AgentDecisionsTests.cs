using Intake.Agents;
using Intake.Sla;
using Intake.Tickets;
using Intake.Triage;

namespace Intake.Tests.Agents;

/// <summary>The agent workflow's rules, without storage.</summary>
public sealed class AgentDecisionsTests
{
    private static readonly DateTimeOffset Created = new(2026, 11, 23, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = Created.AddMinutes(30);

    private static Ticket Ticket(TicketStatus status = TicketStatus.New, Urgency urgency = Urgency.Normal) => new()
    {
        Id = "01KAR000000000000000W7K2QX",
        Reference = "T-W7K2QX",
        Status = status,
        Channel = "telegram",
        Contact = new Contact("telegram", "42"),
        Language = "en",
        Category = TicketCategory.General,
        Urgency = urgency,
        CreatedAt = Created,
        FirstResponseDueAt = Created + new SlaOptions().For(urgency).FirstResponse,
        ResolutionDueAt = Created + new SlaOptions().For(urgency).Resolution,
        MessageCount = 2,
    };

    [Fact]
    public void The_first_reply_stops_the_first_response_clock_and_opens_a_new_ticket()
    {
        var decision = AgentDecisions.Reply(Ticket(), "Mei", "On it.", "telegram", Now);

        var change = decision.Change!;
        Assert.Equal(Now, change.Ticket.FirstRespondedAt);
        Assert.Equal(TicketStatus.Open, change.Ticket.Status);
        Assert.Equal(new OutboundDraft("reply", "telegram", "On it."), change.Outbound);
        Assert.Equal([new TicketAudit("Mei", "replied", "reply:3"), new TicketAudit("Mei", "status", "new → open")], change.Audit);
    }

    [Fact]
    public void A_later_reply_keeps_the_first_response_time_and_the_status()
    {
        var answered = Ticket(TicketStatus.WaitingOnCustomer) with { FirstRespondedAt = Created.AddMinutes(5) };

        var change = AgentDecisions.Reply(answered, "Mei", "Any news?", "telegram", Now).Change!;

        Assert.Equal(Created.AddMinutes(5), change.Ticket.FirstRespondedAt);
        Assert.Equal(TicketStatus.WaitingOnCustomer, change.Ticket.Status);
        Assert.Single(change.Audit);
    }

    [Theory]
    [InlineData(TicketStatus.New, true)]
    [InlineData(TicketStatus.Open, true)]
    [InlineData(TicketStatus.WaitingOnCustomer, true)]
    [InlineData(TicketStatus.Resolved, false)]
    [InlineData(TicketStatus.Closed, false)]
    public void Resolve_is_for_tickets_not_yet_resolved(TicketStatus status, bool allowed)
    {
        var decision = AgentDecisions.Resolve(Ticket(status), "Mei", Now);

        Assert.Equal(allowed, decision.Change is not null);
        Assert.Equal(allowed, decision.Refusal is null);
        if (allowed)
        {
            Assert.Equal(TicketStatus.Resolved, decision.Change!.Ticket.Status);
            Assert.Equal(Now, decision.Change.Ticket.ResolvedAt);
        }
    }

    [Theory]
    [InlineData(TicketStatus.New, false)]
    [InlineData(TicketStatus.Open, false)]
    [InlineData(TicketStatus.WaitingOnCustomer, false)]
    [InlineData(TicketStatus.Resolved, true)]
    [InlineData(TicketStatus.Closed, false)]
    public void Reopen_is_for_resolved_tickets_only(TicketStatus status, bool allowed)
    {
        var decision = AgentDecisions.Reopen(Ticket(status) with { ResolvedAt = Now }, "Mei", Now, new Intake.Sla.SlaOptions());

        Assert.Equal(allowed, decision.Change is not null);
        if (allowed)
        {
            Assert.Equal(TicketStatus.Open, decision.Change!.Ticket.Status);
            Assert.Null(decision.Change.Ticket.ResolvedAt);
        }
    }

    [Theory]
    [InlineData(TicketStatus.Open)]
    [InlineData(TicketStatus.Closed)]
    public void Revoking_status_links_sets_a_new_nonce_in_any_status_and_records_who(TicketStatus status)
    {
        var ticket = Ticket(status) with { StatusNonce = "before" };

        var decision = AgentDecisions.RevokeStatusLinks(ticket, "Mei");

        var change = Assert.IsType<TicketChange>(decision.Change);
        Assert.NotEqual("before", change.Ticket.StatusNonce);
        Assert.NotNull(change.Ticket.StatusNonce);
        Assert.Equal(ticket with { StatusNonce = change.Ticket.StatusNonce }, change.Ticket);
        Assert.Equal([new TicketAudit("Mei", AuditActions.StatusLinksRevoked, null)], change.Audit);
    }

    [Fact]
    public void Patching_the_status_of_a_resolved_ticket_is_refused()
    {
        var decision = AgentDecisions.Patch(Ticket(TicketStatus.Resolved), new TicketPatch("Mei", TicketStatus.Open, null, null), new SlaOptions());

        Assert.Null(decision.Change);
        Assert.Contains("reopen", decision.Refusal, StringComparison.Ordinal);
    }

    [Fact]
    public void Raising_the_urgency_brings_the_due_times_forward_from_the_creation()
    {
        var change = AgentDecisions.Patch(Ticket(urgency: Urgency.Low), new TicketPatch("Mei", null, Urgency.Urgent, null), new SlaOptions()).Change!;

        Assert.Equal(Urgency.Urgent, change.Ticket.Urgency);
        Assert.Equal(Created.AddMinutes(15), change.Ticket.FirstResponseDueAt);
        Assert.Equal(Created.AddHours(4), change.Ticket.ResolutionDueAt);
        Assert.Equal([new TicketAudit("Mei", "urgency", "low → urgent")], change.Audit);
    }

    [Fact]
    public void Lowering_the_urgency_keeps_the_earlier_due_times()
    {
        var change = AgentDecisions.Patch(Ticket(urgency: Urgency.Urgent), new TicketPatch("Mei", null, Urgency.Low, null), new SlaOptions()).Change!;

        Assert.Equal(Urgency.Low, change.Ticket.Urgency);
        Assert.Equal(Created.AddMinutes(15), change.Ticket.FirstResponseDueAt);
        Assert.Equal(Created.AddHours(4), change.Ticket.ResolutionDueAt);
    }

    [Fact]
    public void A_first_response_already_given_is_not_due_again()
    {
        var answered = Ticket(TicketStatus.Open, Urgency.Low) with { FirstRespondedAt = Created.AddHours(2) };

        var change = AgentDecisions.Patch(answered, new TicketPatch("Mei", null, Urgency.Urgent, TicketCategory.Security), new SlaOptions()).Change!;

        Assert.Equal(answered.FirstResponseDueAt, change.Ticket.FirstResponseDueAt);
        Assert.Equal(Created.AddHours(4), change.Ticket.ResolutionDueAt);
        Assert.Equal(TicketCategory.Security, change.Ticket.Category);
        Assert.Equal(["urgency", "category"], change.Audit.Select(a => a.Action));
    }
}
