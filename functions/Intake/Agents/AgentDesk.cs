using Azure;
using Intake.Messaging;
using Intake.Outbound;
using Intake.Sla;
using Intake.Tickets;
using Intake.Triage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Intake.Agents;

/// <summary>How an agent's write went: the store's result, and when it wrote nothing because the rules said no, why.</summary>
public sealed record AgentOutcome(ChangeResult Result, string? Refusal);

/// <summary>
/// The agent's writes: each loads the ticket, decides with <see cref="AgentDecisions"/>, and writes the change with its
/// audit entries in one transaction (<see cref="TicketStore.ChangeAsync"/>). A reply is redacted first, recorded as
/// pending in that transaction, and queued for the worker to send on the ticket's channel with its outbox row written
/// before the transaction (<see cref="QueueOutbox.AroundWriteAsync"/>): neither a queue that is down nor a process killed
/// after the write loses it or fails the agent's request.
/// </summary>
public sealed partial class AgentDesk(
    TicketStore store, QueueOutbox queue, TriageEngine triage, ReplyRouter replies, IOptions<SlaOptions> sla, TimeProvider time, ILogger<AgentDesk> logger)
{
    public async Task<AgentOutcome> ReplyAsync(string id, ETag? ifMatch, string agent, string text, CancellationToken cancellationToken)
    {
        // An agent must not be able to store what a customer must not: a pasted recovery phrase goes the way of theirs.
        var redacted = triage.Triage(text).RedactedText;
        var outcome = await ChangeAndQueueAsync(
            id,
            ifMatch,
            (ticket, now) => AgentDecisions.Reply(ticket, agent, redacted, replies.For(ticket).Channel, now),
            // The reply is the thread's newest entry.
            ticket => TicketQueueMessage.AgentReplied(ticket.Id, ticket.Reference, ticket.Urgency, ticket.Channel, ticket.MessageCount),
            cancellationToken).ConfigureAwait(false);
        if (outcome.Result is { Status: ChangeStatus.Changed, Stored.Ticket: { } written, Outbound: { } record })
        {
            LogReplyQueued(logger, written.Id, record.Key, record.Channel);
        }

        return outcome;
    }

    /// <summary>
    /// Resolves the ticket and queues <see cref="TicketEvent.Resolved"/> (<c>{ticketId}:resolved:{n}</c>, n the ticket's
    /// audit count after the change, so each resolve has its own id), for the worker to send the survey.
    /// </summary>
    public Task<AgentOutcome> ResolveAsync(string id, ETag? ifMatch, string agent, CancellationToken cancellationToken) =>
        ChangeAndQueueAsync(
            id,
            ifMatch,
            (ticket, now) => AgentDecisions.Resolve(ticket, agent, now),
            ticket => TicketQueueMessage.Resolved(ticket.Id, ticket.Reference, ticket.Urgency, ticket.Channel, ticket.EventCount),
            cancellationToken);

    /// <summary>
    /// A change that causes a queue message (<paramref name="message"/>, of the ticket as written), with that message in
    /// the outbox before the write (<see cref="QueueOutbox.AroundWriteAsync"/>): planned by deciding on the ticket as it
    /// is now, as the store will decide unless someone changes it first. A kill between the write and the queue then
    /// delays the reply or the survey by the sweeper's minute and loses neither.
    /// </summary>
    private async Task<AgentOutcome> ChangeAndQueueAsync(
        string id, ETag? ifMatch, Func<Ticket, DateTimeOffset, AgentDecision> decide, Func<Ticket, TicketQueueMessage> message, CancellationToken cancellationToken)
    {
        var current = await store.GetAsync(id, cancellationToken).ConfigureAwait(false);
        var now = time.GetUtcNow();
        var planned = current is not null && WithClock(current.Ticket, decide(current.Ticket, now).Change, now) is { } change
            ? [message(change.Ticket with
            {
                EventCount = current.Ticket.EventCount + change.Audit.Count,
                MessageCount = current.Ticket.MessageCount + (change.Outbound is null ? 0 : 1),
            })]
            : (IReadOnlyList<TicketQueueMessage>)[];
        return await queue.AroundWriteAsync(
            planned,
            async () =>
            {
                var outcome = await ChangeAsync(id, ifMatch, decide, cancellationToken).ConfigureAwait(false);
                return (outcome, outcome.Result is { Status: ChangeStatus.Changed, Stored.Ticket: { } written } ? [message(written)] : (IReadOnlyList<TicketQueueMessage>)[]);
            },
            cancellationToken).ConfigureAwait(false);
    }

    public Task<AgentOutcome> ReopenAsync(string id, ETag? ifMatch, string agent, CancellationToken cancellationToken) =>
        ChangeAsync(id, ifMatch, (ticket, now) => AgentDecisions.Reopen(ticket, agent, now, sla.Value), cancellationToken);

    public Task<AgentOutcome> RevokeStatusLinksAsync(string id, ETag? ifMatch, string agent, CancellationToken cancellationToken) =>
        ChangeAsync(id, ifMatch, (ticket, _) => AgentDecisions.RevokeStatusLinks(ticket, agent), cancellationToken);

    public Task<AgentOutcome> PatchAsync(string id, ETag? ifMatch, TicketPatch patch, CancellationToken cancellationToken) =>
        ChangeAsync(id, ifMatch, (ticket, _) => AgentDecisions.Patch(ticket, patch, sla.Value), cancellationToken);

    private async Task<AgentOutcome> ChangeAsync(string id, ETag? ifMatch, Func<Ticket, DateTimeOffset, AgentDecision> decide, CancellationToken cancellationToken)
    {
        // The store may decide more than once (a concurrent update in between): the last decision is the one that counts.
        AgentDecision? last = null;
        var result = await store.ChangeAsync(id, ifMatch, (ticket, now) => WithClock(ticket, (last = decide(ticket, now)).Change, now), cancellationToken).ConfigureAwait(false);
        var refusal = result.Status == ChangeStatus.Unchanged ? last?.Refusal : null;
        LogChange(logger, id, result.Status, refusal is not null);
        return new AgentOutcome(result, refusal);
    }

    /// <summary>The SLA clock follows every agent change: paused while waiting on the customer, resumed after, <c>met</c> recorded.</summary>
    private TicketChange? WithClock(Ticket before, TicketChange? change, DateTimeOffset now)
    {
        if (change is null)
        {
            return null;
        }

        var after = SlaClock.Track(before, change.Ticket, now, sla.Value);
        return change with { Ticket = after, Audit = [.. change.Audit, .. SlaClock.AuditOf(change.Ticket, after)] };
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent change to ticket {TicketId}: {Status} (refused: {Refused})")]
    private static partial void LogChange(ILogger logger, string ticketId, ChangeStatus status, bool refused);

    [LoggerMessage(Level = LogLevel.Information, Message = "Agent reply {Key} to ticket {TicketId} recorded and queued for {Channel}")]
    private static partial void LogReplyQueued(ILogger logger, string ticketId, string key, string channel);
}
