using System.Globalization;
using Intake.Sla;
using Intake.Tickets;
using Intake.Triage;

namespace Intake.Agents;

/// <summary>What an agent asked for, decided against the ticket as stored: the change to write, or why not (409).</summary>
public sealed record AgentDecision(TicketChange? Change, string? Refusal)
{
    public static AgentDecision Changed(Ticket ticket, IReadOnlyList<TicketAudit> audit, OutboundDraft? outbound = null) =>
        new(new TicketChange(ticket, audit, outbound), null);

    public static AgentDecision Refused(string why) => new(null, why);
}

/// <summary>An agent's <c>PATCH</c>: any of status (open or waiting_on_customer), urgency and category.</summary>
public sealed record TicketPatch(string Agent, TicketStatus? Status, Urgency? Urgency, TicketCategory? Category);

/// <summary>
/// The agent workflow's rules, pure: each takes the ticket as stored and the time, and says what to write. The store
/// calls them again on a concurrent update, so they must decide from the ticket they are given and nothing else.
/// </summary>
public static class AgentDecisions
{
    /// <summary>
    /// A reply goes on any ticket (a note after resolving is still an answer). The first one stops the first-response
    /// clock; a <c>new</c> ticket becomes <c>open</c>. <paramref name="redactedText"/> has been through triage's redaction.
    /// </summary>
    public static AgentDecision Reply(Ticket ticket, string agent, string redactedText, string channel, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        var sequence = ticket.MessageCount + 1;
        List<TicketAudit> audit = [new(agent, AuditActions.Replied, $"{OutboundKinds.Reply}:{sequence.ToString(CultureInfo.InvariantCulture)}")];
        var after = ticket with { FirstRespondedAt = ticket.FirstRespondedAt ?? now };
        if (ticket.Status == TicketStatus.New)
        {
            after = after with { Status = TicketStatus.Open };
            audit.Add(Transition(agent, AuditActions.Status, ticket.Status, TicketStatus.Open));
        }

        return AgentDecision.Changed(after, audit, new OutboundDraft(OutboundKinds.Reply, channel, redactedText));
    }

    public static AgentDecision Resolve(Ticket ticket, string agent, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return ticket.Status is TicketStatus.Resolved or TicketStatus.Closed
            ? AgentDecision.Refused($"The ticket is already {ticket.Status.ToName()}.")
            : AgentDecision.Changed(
                ticket with { Status = TicketStatus.Resolved, ResolvedAt = now },
                [Transition(agent, AuditActions.Resolved, ticket.Status, TicketStatus.Resolved)]);
    }

    /// <summary>
    /// Only a resolved ticket reopens; a closed one stays closed (the customer's next message makes a new, linked ticket).
    /// The resolution clock runs again from the reopening (<see cref="SlaClock.Reopen"/>).
    /// </summary>
    public static AgentDecision Reopen(Ticket ticket, string agent, DateTimeOffset now, SlaOptions sla)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(sla);
        return ticket.Status switch
        {
            TicketStatus.Resolved => AgentDecision.Changed(
                SlaClock.Reopen(ticket with { Status = TicketStatus.Open, ResolvedAt = null }, now, sla),
                [Transition(agent, AuditActions.Reopened, ticket.Status, TicketStatus.Open)]),
            TicketStatus.Closed => AgentDecision.Refused("A closed ticket stays closed; the customer's next message opens a new ticket linked to it."),
            _ => AgentDecision.Refused($"The ticket is {ticket.Status.ToName()}, not resolved."),
        };
    }

    /// <summary>
    /// Status (open ↔ waiting_on_customer; a resolved or closed ticket must be reopened first), urgency (the due times
    /// still running are recomputed from the creation time, plus the time spent paused, and the new urgency's targets on the
    /// SLA calendar, an earlier one kept: <see cref="SlaClock.Recompute"/>) and
    /// category. Every field named is recorded, also when it confirms the value it had.
    /// </summary>
    public static AgentDecision Patch(Ticket ticket, TicketPatch patch, SlaOptions sla)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(patch);
        ArgumentNullException.ThrowIfNull(sla);
        var after = ticket;
        var audit = new List<TicketAudit>();
        if (patch.Status is { } status)
        {
            if (ticket.Status is TicketStatus.Resolved or TicketStatus.Closed)
            {
                return AgentDecision.Refused($"The ticket is {ticket.Status.ToName()}; reopen it first.");
            }

            after = after with { Status = status };
            audit.Add(Transition(patch.Agent, AuditActions.Status, ticket.Status, status));
        }

        if (patch.Urgency is { } urgency)
        {
            after = SlaClock.Recompute(after, urgency, sla);
            audit.Add(new(patch.Agent, AuditActions.Urgency, $"{ticket.Urgency.ToName()} → {urgency.ToName()}"));
        }

        if (patch.Category is { } category)
        {
            after = after with { Category = category };
            audit.Add(new(patch.Agent, AuditActions.Category, $"{ticket.Category.ToName()} → {category.ToName()}"));
        }

        return AgentDecision.Changed(after, audit);
    }

    /// <summary>
    /// Revokes every status link given out so far (a link forwarded, shown on a screen, handed to a "support agent"): a
    /// new nonce. Allowed in every status; the customer's verify link, if any, still gives them a fresh link.
    /// </summary>
    public static AgentDecision RevokeStatusLinks(Ticket ticket, string agent)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return AgentDecision.Changed(ticket with { StatusNonce = ContactVerification.NewNonce() }, [new(agent, AuditActions.StatusLinksRevoked, null)]);
    }

    private static TicketAudit Transition(string agent, string action, TicketStatus from, TicketStatus to) =>
        new(agent, action, $"{from.ToName()} → {to.ToName()}");
}
