using Intake.Messaging;
using Intake.Sla;
using Intake.Telemetry;
using Intake.Tickets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Intake.Escalation;

/// <summary>
/// What one run of the monitor did: index rows due, tickets read, events recorded, escalations queued, pages read, and
/// metrics rows written for writes that had left them owed.
/// </summary>
public sealed record SlaRunResult(int Due, int TicketsRead, int EventsRecorded, int Escalations, int Pages = 1, int MetricsRepaired = 0);

/// <summary>
/// Finds the tickets due an SLA warning (80 %) or breach (100 %) through the due-time index — only rows whose check time
/// has come, never a scan of the tickets — and records the events on each ticket (one ETag-matched write, so concurrent or
/// repeated runs record each event once). A warning puts <c>{ticketId}:warned:{n}</c> on the ticket's queue; a breach
/// raises the urgency one step and puts <c>{ticketId}:escalated:{n}</c> on the higher queue; the worker announces either
/// (<see cref="EscalationHandler"/>), with the queue's retries behind a notice that fails, and through the outbox, so a
/// queue outage loses none. The side effects are redone for every due row whose events are recorded, whoever recorded
/// them, so a run that stopped half-way is finished by the next; each is idempotent (queue message id, outbound records).
/// A run reads the due rows in pages of <see cref="PageSize"/> (500), oldest first, until none are left, at most
/// <see cref="MaxPerRun"/> rows or <see cref="TimeBudget"/> of work: what is left waits for the next run, oldest first.
/// </summary>
public sealed partial class SlaMonitor(
    TicketStore store, SlaStore sla, QueueOutbox queue, IOptionsMonitor<SlaOptions> options, TimeProvider time, ILogger<SlaMonitor> logger)
{
    /// <summary>The most rows one run handles; a backlog beyond it is worked off over the next runs.</summary>
    public const int MaxPerRun = 20_000;

    /// <summary>A run starts no new page after this much work, so that it ends well within the timer's minute.</summary>
    public static readonly TimeSpan TimeBudget = TimeSpan.FromSeconds(45);

    /// <summary>Rows read per page; small in tests, to page without creating hundreds of tickets.</summary>
    internal int PageSize { get; set; } = 500;

    /// <summary>How old a metrics marker must be before the monitor settles it: a younger one may belong to a write under way.</summary>
    public static readonly TimeSpan OwedMetricsGrace = TimeSpan.FromMinutes(1);

    public async Task<SlaRunResult> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var started = time.GetTimestamp();
        var repaired = await SettleOwedMetricsAsync(now - OwedMetricsGrace, cancellationToken).ConfigureAwait(false);
        int due = 0, read = 0, recorded = 0, escalations = 0, pages = 0;
        string? after = null;
        while (due < MaxPerRun && (pages == 0 || time.GetElapsedTime(started) < TimeBudget))
        {
            var page = await sla.DueChecksAsync(now, Math.Min(PageSize, MaxPerRun - due), cancellationToken, after).ConfigureAwait(false);
            pages++;
            due += page.Count;
            foreach (var check in page)
            {
                read++;
                var (events, escalated) = await HandleAsync(check, cancellationToken).ConfigureAwait(false);
                recorded += events;
                escalations += escalated;
            }

            if (page.Count < PageSize)
            {
                break;
            }

            after = page[^1].RowKey;
        }

        if (due > 0)
        {
            LogRun(logger, due, recorded, escalations);
        }

        return new SlaRunResult(due, read, recorded, escalations, pages, repaired);
    }

    /// <summary>
    /// The metrics rows that writes left owed (a crash or an error between a ticket write and its metrics): each written
    /// from the ticket as it is, its marker removed; at most <see cref="MaxPerRun"/> a run.
    /// </summary>
    private async Task<int> SettleOwedMetricsAsync(DateTimeOffset cutoff, CancellationToken cancellationToken)
    {
        var settled = 0;
        while (settled < MaxPerRun)
        {
            var owed = await sla.OwedMetricsAsync(cutoff, Math.Min(PageSize, MaxPerRun - settled), cancellationToken).ConfigureAwait(false);
            foreach (var marker in owed)
            {
                var ticket = await store.GetAsync(marker.TicketId, cancellationToken).ConfigureAwait(false);
                await sla.SettleOwedMetricsAsync(marker, ticket?.Ticket, cancellationToken).ConfigureAwait(false);
                settled++;
            }

            if (owed.Count < PageSize)
            {
                break;
            }
        }

        if (settled > 0)
        {
            LogOwedMetrics(logger, settled);
        }

        return settled;
    }

    /// <summary>One due row: the events recorded on its ticket, their side effects, and the row moved to the ticket's next check.</summary>
    private async Task<(int Recorded, int Escalations)> HandleAsync(SlaCheck check, CancellationToken cancellationToken)
    {
        int recorded = 0, escalations = 0;
        var result = await store.ChangeAsync(
            check.TicketId,
            null,
            (ticket, at) => SlaClock.Check(ticket, at, options.CurrentValue) is { } change ? new TicketChange(change.Ticket, change.Audit) : null,
            cancellationToken).ConfigureAwait(false);
        var ticket = result.Stored?.Ticket;
        if (ticket is not null)
        {
            if (result.Status == ChangeStatus.Changed)
            {
                var events = ticket.SlaEvents.Where(e => e.At >= check.CheckAt).ToList();
                recorded = events.Count;
                foreach (var e in events)
                {
                    IntakeTelemetry.SlaEvents.Add(1, new("target", e.Target), new("kind", e.Kind));
                }
            }

            escalations = await AnnounceAsync(ticket, check.CheckAt, cancellationToken).ConfigureAwait(false);
        }

        await sla.SettleCheckAsync(check, ticket, cancellationToken).ConfigureAwait(false);
        return (recorded, escalations);
    }

    /// <summary>The side effects of the events recorded since the row's check time: warnings announced, breaches queued.</summary>
    private async Task<int> AnnounceAsync(Ticket ticket, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var escalations = 0;
        // A breach recorded when a late answer landed is history, not an alarm: the ticket has its answer.
        var fresh = ticket.SlaEvents.Where(e => e.At >= since && !LandedLate(ticket, e)).ToList();
        // A warning and a breach found in the same run: the breach says it all.
        if (fresh.Any(w => w.Kind == SlaEventKinds.Warning && !fresh.Any(e => e.Target == w.Target && e.Kind == SlaEventKinds.Breached)))
        {
            var n = ticket.SlaEvents.Count(e => e.Kind == SlaEventKinds.Warning);
            await queue.EnqueueAsync(TicketQueueMessage.Warned(ticket.Id, ticket.Reference, ticket.Urgency, ticket.Channel, n), cancellationToken)
                .ConfigureAwait(false);
        }

        if (fresh.Any(e => e.Kind == SlaEventKinds.Breached))
        {
            var n = ticket.SlaEvents.Count(e => e.Kind == SlaEventKinds.Breached);
            await queue.EnqueueAsync(
                TicketQueueMessage.Escalated(ticket.Id, ticket.Reference, ticket.Urgency, ticket.Channel, n),
                cancellationToken).ConfigureAwait(false);
            escalations++;
        }

        return escalations;
    }

    private static bool LandedLate(Ticket ticket, SlaEvent e) =>
        e.Kind == SlaEventKinds.Breached
        && e.At == (e.Target == SlaTargets.FirstResponse ? ticket.FirstRespondedAt : ticket.ResolvedAt);

    [LoggerMessage(Level = LogLevel.Warning, Message = "SLA monitor: {Count} metrics rows were owed by interrupted ticket writes; written from the tickets")]
    private static partial void LogOwedMetrics(ILogger logger, int count);

    [LoggerMessage(Level = LogLevel.Information, Message = "SLA monitor: {Due} tickets due a check, {Recorded} events recorded, {Escalations} escalations queued")]
    private static partial void LogRun(ILogger logger, int due, int recorded, int escalations);
}
