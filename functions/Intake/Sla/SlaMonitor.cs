using System.Globalization;
using Intake.Messaging;
using Intake.Tickets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Intake.Sla;

/// <summary>What one run of the monitor did: index rows due, tickets read, events recorded, escalations queued.</summary>
public sealed record SlaRunResult(int Due, int TicketsRead, int EventsRecorded, int Escalations);

/// <summary>
/// Finds the tickets due an SLA warning (80 %) or breach (100 %) through the due-time index — only rows whose check time
/// has come, never a scan of the tickets — and records the events on each ticket (one ETag-matched write, so concurrent or
/// repeated runs record each event once). A warning is announced on the escalation channel at once; a breach raises the
/// urgency one step and puts <c>{ticketId}:escalated:{n}</c> on the higher queue, whose worker announces it. The side
/// effects are redone for every due row whose events are recorded, whoever recorded them, so a run that stopped half-way
/// is finished by the next; each is idempotent (queue message id, outbound records).
/// </summary>
public sealed partial class SlaMonitor(
    TicketStore store, ITicketQueue queue, EscalationNotifier notifier, IOptionsMonitor<SlaOptions> options, TimeProvider time, ILogger<SlaMonitor> logger)
{
    private const int MaxPerRun = 500;

    public async Task<SlaRunResult> RunOnceAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var due = await store.DueSlaChecksAsync(now, MaxPerRun, cancellationToken).ConfigureAwait(false);
        int read = 0, recorded = 0, escalations = 0;
        foreach (var check in due)
        {
            read++;
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
                    recorded += ticket.SlaEvents.Count(e => e.At >= check.CheckAt);
                }

                escalations += await AnnounceAsync(ticket, check.CheckAt, cancellationToken).ConfigureAwait(false);
            }

            await store.SettleSlaCheckAsync(check, ticket, cancellationToken).ConfigureAwait(false);
        }

        if (due.Count > 0)
        {
            LogRun(logger, due.Count, recorded, escalations);
        }

        return new SlaRunResult(due.Count, read, recorded, escalations);
    }

    /// <summary>The side effects of the events recorded since the row's check time: warnings announced, breaches queued.</summary>
    private async Task<int> AnnounceAsync(Ticket ticket, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var escalations = 0;
        var fresh = ticket.SlaEvents.Where(e => e.At >= since).ToList();
        foreach (var warning in fresh.Where(e => e.Kind == SlaEventKinds.Warning))
        {
            // A warning and a breach found in the same run: the breach says it all.
            if (!fresh.Any(e => e.Target == warning.Target && e.Kind == SlaEventKinds.Breached))
            {
                var (subject, text) = EscalationNotifier.Compose(ticket, warning);
                await notifier.NotifyAsync(ticket, EscalationNotifier.KeyOf(warning), subject, text, cancellationToken).ConfigureAwait(false);
            }
        }

        if (fresh.Any(e => e.Kind == SlaEventKinds.Breached))
        {
            var n = ticket.SlaEvents.Count(e => e.Kind == SlaEventKinds.Breached);
            await queue.EnqueueAsync(
                new TicketQueueMessage(
                    $"{ticket.Id}:escalated:{n.ToString(CultureInfo.InvariantCulture)}", ticket.Id, ticket.Reference, ticket.Urgency, ticket.Channel, TicketEvent.Escalated, n),
                cancellationToken).ConfigureAwait(false);
            escalations++;
        }

        return escalations;
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "SLA monitor: {Due} tickets due a check, {Recorded} events recorded, {Escalations} escalations queued")]
    private static partial void LogRun(ILogger logger, int due, int recorded, int escalations);
}

/// <summary>
/// The server's monitor: <see cref="SlaMonitor.RunOnceAsync"/> every <c>Sla:CheckInterval</c> on the host's <see cref="TimeProvider"/>.
/// The monitor is resolved when the service runs, after start-up has settled the storage connection (it may refuse to start).
/// </summary>
public sealed partial class SlaMonitorService(IServiceProvider services, IOptions<SlaOptions> options, TimeProvider time, ILogger<SlaMonitorService> logger)
    : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var monitor = services.GetRequiredService<SlaMonitor>();
        using var timer = new PeriodicTimer(options.Value.CheckInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await monitor.RunOnceAsync(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    // The next tick tries again: every step is idempotent and the rows stay until handled.
                    LogRunFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "SLA monitor run failed; the next tick tries again")]
    private static partial void LogRunFailed(ILogger logger, Exception exception);
}
