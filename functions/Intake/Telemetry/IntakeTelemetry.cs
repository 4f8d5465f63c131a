using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Intake.Telemetry;

/// <summary>
/// What Intake reports to OpenTelemetry, through the runtime's own APIs (<see cref="ActivitySource"/>,
/// <see cref="Meter"/>), both named <see cref="Name"/>: a host that exports them (docs/operations.md) subscribes to that
/// name; without one they cost next to nothing. One trace follows a message from the webhook through the queue to its
/// acknowledgement (the queue message carries the trace context). No tag carries what a customer wrote, an address or a
/// token: only ids, channels, kinds and statuses.
/// </summary>
public static class IntakeTelemetry
{
    public const string Name = "Intake";

    public static readonly ActivitySource Source = new(Name);

    private static readonly Meter Meter = new(Name);

    /// <summary>Messages to customers and to on-call, once marked: tags <c>kind</c>, <c>channel</c>, <c>status</c> (sent, failed, suppressed…).</summary>
    public static readonly Counter<long> Outbound = Meter.CreateCounter<long>(
        "intake.outbound", "{message}", "Messages to customers and on-call, by kind, channel and the status they were marked with.");

    /// <summary>Messages taken over from an attempt that failed or died: tags <c>kind</c>, <c>channel</c>, <c>after</c> (failed, lease).</summary>
    public static readonly Counter<long> OutboundRetried = Meter.CreateCounter<long>(
        "intake.outbound.retried", "{message}", "Messages sent again after an attempt that failed or was cut short.");

    /// <summary>Acknowledgements a rule withheld: tag <c>reason</c>.</summary>
    public static readonly Counter<long> AcknowledgementsWithheld = Meter.CreateCounter<long>(
        "intake.acknowledgements.withheld", "{message}", "Acknowledgements a rule withheld (automatic mail, spam, a closed ticket…).");

    /// <summary>Queue messages whose handling failed and that will be tried again: tag <c>queue</c>.</summary>
    public static readonly Counter<long> QueueRetried = Meter.CreateCounter<long>(
        "intake.queue.retried", "{message}", "Queue messages whose handling failed and that will be tried again.");

    /// <summary>Queue messages given up (poison queue, dead letter): tag <c>queue</c>.</summary>
    public static readonly Counter<long> QueuePoisoned = Meter.CreateCounter<long>(
        "intake.queue.poisoned", "{message}", "Queue messages given up after their retries, to be replayed by an operator.");

    /// <summary>Seconds from a message's enqueueing to its first handling: tags <c>queue</c>, <c>event</c>.</summary>
    public static readonly Histogram<double> QueueLag = Meter.CreateHistogram<double>(
        "intake.queue.lag", "s", "Time from enqueueing a queue message to its first handling.");

    /// <summary>SLA warnings and breaches recorded: tags <c>target</c>, <c>kind</c>.</summary>
    public static readonly Counter<long> SlaEvents = Meter.CreateCounter<long>(
        "intake.sla.events", "{event}", "SLA warnings and breaches recorded on tickets.");
}
