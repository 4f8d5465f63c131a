using Intake.Tickets;
using Intake.Triage;

namespace Intake.Sla;

/// <summary>The two targets a ticket is held to, by the names its events and audit entries use.</summary>
public static class SlaTargets
{
    public const string FirstResponse = "first_response";
    public const string Resolution = "resolution";
}

public static class SlaEventKinds
{
    public const string Warning = "warning";
    public const string Breached = "breached";
    public const string Met = "met";
}

/// <summary>
/// The SLA clock's rules, pure: due and warning times from a ticket's creation, urgency and paused time on the configured
/// calendar; the pause while the ticket waits on the customer and the push-out on resume; which events are due. Each
/// kind of event is recorded once per target and a target with <c>met</c> or <c>breached</c> is watched no longer.
/// </summary>
public static class SlaClock
{
    /// <summary>The name the clock's audit entries carry as their agent.</summary>
    public const string Agent = "sla";

    public const string AuditAction = "sla";

    /// <summary>A new ticket's due and warning times, counted from its creation.</summary>
    public static Ticket Start(Ticket ticket, SlaOptions options)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(options);
        var calendar = options.Calendar();
        var target = options.For(ticket.Urgency);
        return ticket with
        {
            FirstResponseDueAt = calendar.Add(ticket.CreatedAt, target.FirstResponse),
            FirstResponseWarningAt = calendar.Add(ticket.CreatedAt, Warning(target.FirstResponse)),
            ResolutionDueAt = calendar.Add(ticket.CreatedAt, target.Resolution),
            ResolutionWarningAt = calendar.Add(ticket.CreatedAt, Warning(target.Resolution)),
        };
    }

    /// <summary>
    /// A new urgency: the times of the targets still running (not answered or resolved, not yet met or breached: a breached
    /// target keeps the due time it missed) are counted again from the creation (plus the time spent
    /// paused) with the new urgency's targets, never later than they were (a lower urgency does not give back time).
    /// </summary>
    public static Ticket Recompute(Ticket ticket, Urgency urgency, SlaOptions options)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(options);
        var calendar = options.Calendar();
        DateTimeOffset At(TimeSpan span) => calendar.Add(ticket.CreatedAt, span + ticket.PausedFor);

        // A reopened ticket's resolution clock counts from the reopening (pauses since are not added: never later is the rule).
        return Recount(ticket, urgency, options, At, span => ticket.ReopenedAt is { } reopened ? calendar.Add(reopened, span) : At(span));
    }

    /// <summary>
    /// A customer's message that raises the urgency: the targets still running are due no later than the new urgency's
    /// targets counted from now, when the new facts arrived (an agent's change counts from the creation: <see cref="Recompute"/>).
    /// </summary>
    public static Ticket Raise(Ticket ticket, Urgency urgency, DateTimeOffset now, SlaOptions options)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(options);
        var calendar = options.Calendar();
        return Recount(ticket, urgency, options, span => calendar.Add(now, span), span => calendar.Add(now, span));
    }

    private static Ticket Recount(
        Ticket ticket, Urgency urgency, SlaOptions options, Func<TimeSpan, DateTimeOffset> firstResponseAt, Func<TimeSpan, DateTimeOffset> resolutionAt)
    {
        var target = options.For(urgency);
        var running = ticket.Status is not (TicketStatus.Resolved or TicketStatus.Closed);
        var firstRunning = running && ticket.FirstRespondedAt is null && !IsSettled(Current(ticket, ticket.SlaEvents), SlaTargets.FirstResponse);
        var resolutionRunning = running && !IsSettled(Current(ticket, ticket.SlaEvents), SlaTargets.Resolution);
        return ticket with
        {
            Urgency = urgency,
            FirstResponseDueAt = firstRunning ? Earliest(ticket.FirstResponseDueAt, firstResponseAt(target.FirstResponse)) : ticket.FirstResponseDueAt,
            FirstResponseWarningAt = firstRunning ? Earliest(ticket.FirstResponseWarningAt, firstResponseAt(Warning(target.FirstResponse))) : ticket.FirstResponseWarningAt,
            ResolutionDueAt = resolutionRunning ? Earliest(ticket.ResolutionDueAt, resolutionAt(target.Resolution)) : ticket.ResolutionDueAt,
            ResolutionWarningAt = resolutionRunning ? Earliest(ticket.ResolutionWarningAt, resolutionAt(Warning(target.Resolution))) : ticket.ResolutionWarningAt,
        };
    }

    /// <summary>
    /// Keeps the clock in step with a change from <paramref name="before"/> to <paramref name="after"/> at
    /// <paramref name="now"/>: it stops when the ticket starts waiting on the customer, and on resume the paused (business)
    /// time is added to the total and every running due and warning time moves out by it; a first response or a
    /// resolution within its target records <c>met</c>, one after it records <c>breached</c> unless the monitor did already
    /// (a late answer does not escalate: the ticket has its answer).
    /// </summary>
    public static Ticket Track(Ticket before, Ticket after, DateTimeOffset now, SlaOptions options)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        ArgumentNullException.ThrowIfNull(options);
        var ticket = after;
        if (ticket.Status == TicketStatus.WaitingOnCustomer)
        {
            if (ticket.PausedAt is null)
            {
                ticket = ticket with { PausedAt = now };
            }
        }
        else if (ticket.PausedAt is { } pausedAt)
        {
            var calendar = options.Calendar();
            var paused = calendar.Elapsed(pausedAt, now);
            DateTimeOffset? Shift(DateTimeOffset? at) => at is { } value ? calendar.Add(value, paused) : null;
            var firstRunning = before.FirstRespondedAt is null;
            var resolutionRunning = before.ResolvedAt is null;
            ticket = ticket with
            {
                PausedAt = null,
                PausedFor = ticket.PausedFor + paused,
                FirstResponseDueAt = firstRunning ? Shift(ticket.FirstResponseDueAt) : ticket.FirstResponseDueAt,
                FirstResponseWarningAt = firstRunning ? Shift(ticket.FirstResponseWarningAt) : ticket.FirstResponseWarningAt,
                ResolutionDueAt = resolutionRunning ? Shift(ticket.ResolutionDueAt) : ticket.ResolutionDueAt,
                ResolutionWarningAt = resolutionRunning ? Shift(ticket.ResolutionWarningAt) : ticket.ResolutionWarningAt,
            };
        }

        // Reached in time records met; reached late, with no breach recorded yet (the monitor was down, or had not run since
        // the due time), records the breach at the moment it lands, so that the history and the report agree either way.
        var events = ticket.SlaEvents.ToList();
        if (before.FirstRespondedAt is null && ticket.FirstRespondedAt is { } responded && ticket.FirstResponseDueAt is { } firstDue
            && !IsSettled(Current(ticket, events), SlaTargets.FirstResponse))
        {
            events.Add(new SlaEvent(SlaTargets.FirstResponse, responded <= firstDue ? SlaEventKinds.Met : SlaEventKinds.Breached, responded, ticket.Urgency.ToName(), firstDue));
        }

        if (before.ResolvedAt is null && ticket.ResolvedAt is { } resolved && ticket.ResolutionDueAt is { } resolutionDue && !IsSettled(Current(ticket, events), SlaTargets.Resolution))
        {
            events.Add(new SlaEvent(SlaTargets.Resolution, resolved <= resolutionDue ? SlaEventKinds.Met : SlaEventKinds.Breached, resolved, ticket.Urgency.ToName(), resolutionDue, ticket.Reopens));
        }

        // What the clock had stood still when each target was reached: the metrics row is then a function of the ticket.
        if (before.FirstRespondedAt is null && ticket.FirstRespondedAt is not null)
        {
            ticket = ticket with { FirstResponsePausedFor = ticket.PausedFor };
        }

        if (before.ResolvedAt is null && ticket.ResolvedAt is not null)
        {
            ticket = ticket with { ResolutionPausedFor = ticket.PausedFor };
        }

        return events.Count == ticket.SlaEvents.Count ? ticket : ticket with { SlaEvents = events };
    }

    /// <summary>
    /// What the monitor records at <paramref name="now"/>: a warning past 80 % of a running target, a breach past 100 %; a
    /// breach also raises the urgency one step (when not urgent already) and recomputes the running times for it. Null
    /// when nothing is due (also while paused, or once resolved), so a second run changes nothing.
    /// </summary>
    public static (Ticket Ticket, IReadOnlyList<TicketAudit> Audit)? Check(Ticket ticket, DateTimeOffset now, SlaOptions options)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(options);
        if (ticket.Status is TicketStatus.Resolved or TicketStatus.Closed || ticket.PausedAt is not null)
        {
            return null;
        }

        var events = ticket.SlaEvents.ToList();
        var breached = false;
        foreach (var (target, warningAt, dueAt, running) in Targets(ticket))
        {
            if (!running || IsSettled(Current(ticket, events), target))
            {
                continue;
            }

            if ((warningAt ?? dueAt) <= now && !Has(Current(ticket, events), target, SlaEventKinds.Warning))
            {
                events.Add(new SlaEvent(target, SlaEventKinds.Warning, now, ticket.Urgency.ToName(), dueAt, RoundOf(ticket, target)));
            }

            if (dueAt <= now)
            {
                events.Add(new SlaEvent(target, SlaEventKinds.Breached, now, ticket.Urgency.ToName(), dueAt, RoundOf(ticket, target)));
                breached = true;
            }
        }

        if (events.Count == ticket.SlaEvents.Count)
        {
            return null;
        }

        var after = ticket with { SlaEvents = events };
        List<TicketAudit> audit = [.. events.Skip(ticket.SlaEvents.Count).Select(e => new TicketAudit(Agent, AuditAction, $"{e.Target} {e.Kind}"))];
        if (breached && ticket.Urgency < Urgency.Urgent)
        {
            var raised = ticket.Urgency + 1;
            after = Recompute(after, raised, options);
            audit.Add(new TicketAudit(Agent, AuditActions.Urgency, $"{ticket.Urgency.ToName()} → {raised.ToName()}"));
        }

        return (after, audit);
    }

    /// <summary>
    /// When the monitor must next look at the ticket: the earliest warning or due time of a running target that has not had
    /// that event; null while paused, once resolved or closed, or when every target is settled.
    /// </summary>
    public static DateTimeOffset? NextCheck(Ticket ticket)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        if (ticket.Status is TicketStatus.Resolved or TicketStatus.Closed || ticket.PausedAt is not null)
        {
            return null;
        }

        DateTimeOffset? next = null;
        foreach (var (target, warningAt, dueAt, running) in Targets(ticket))
        {
            if (!running || dueAt is null || IsSettled(Current(ticket, ticket.SlaEvents), target))
            {
                continue;
            }

            var at = Has(Current(ticket, ticket.SlaEvents), target, SlaEventKinds.Warning) ? dueAt.Value : warningAt ?? dueAt.Value;
            next = next is { } earlier && earlier <= at ? earlier : at;
        }

        return next;
    }

    /// <summary>The audit entries for the events <paramref name="after"/> has and <paramref name="before"/> had not.</summary>
    public static IReadOnlyList<TicketAudit> AuditOf(Ticket before, Ticket after)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        return [.. after.SlaEvents.Skip(before.SlaEvents.Count).Select(e => new TicketAudit(Agent, AuditAction, $"{e.Target} {e.Kind}"))];
    }

    /// <summary>
    /// Reopening: the resolution clock runs again from <paramref name="now"/> with the full target of the ticket's urgency,
    /// as round <see cref="Ticket.Reopens"/> (its warning and breach are watched again; the earlier rounds' events stay in
    /// the history). The first response, once given, stays as it was.
    /// </summary>
    public static Ticket Reopen(Ticket ticket, DateTimeOffset now, SlaOptions options)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        ArgumentNullException.ThrowIfNull(options);
        var calendar = options.Calendar();
        var target = options.For(ticket.Urgency);
        return ticket with
        {
            Reopens = ticket.Reopens + 1,
            ReopenedAt = now,
            ResolutionDueAt = calendar.Add(now, target.Resolution),
            ResolutionWarningAt = calendar.Add(now, Warning(target.Resolution)),
        };
    }

    /// <summary>The events of the clocks now running: every first-response event, the resolution events of the current round.</summary>
    public static IEnumerable<SlaEvent> Current(Ticket ticket, IEnumerable<SlaEvent> events)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        return events.Where(e => e.Target != SlaTargets.Resolution || e.Round == ticket.Reopens);
    }

    private static int RoundOf(Ticket ticket, string target) => target == SlaTargets.Resolution ? ticket.Reopens : 0;

    public static bool Has(IEnumerable<SlaEvent> events, string target, string kind) =>
        events.Any(e => e.Target == target && e.Kind == kind);

    /// <summary>Met or breached: the target is decided and watched no longer.</summary>
    public static bool IsSettled(IEnumerable<SlaEvent> events, string target) =>
        events.Any(e => e.Target == target && e.Kind is SlaEventKinds.Met or SlaEventKinds.Breached);

    private static IEnumerable<(string Target, DateTimeOffset? WarningAt, DateTimeOffset? DueAt, bool Running)> Targets(Ticket ticket)
    {
        yield return (SlaTargets.FirstResponse, ticket.FirstResponseWarningAt, ticket.FirstResponseDueAt, ticket.FirstRespondedAt is null && ticket.FirstResponseDueAt is not null);
        yield return (SlaTargets.Resolution, ticket.ResolutionWarningAt, ticket.ResolutionDueAt, ticket.ResolvedAt is null && ticket.ResolutionDueAt is not null);
    }

    /// <summary>80 % of a target, to the second.</summary>
    public static TimeSpan Warning(TimeSpan target) => TimeSpan.FromSeconds(Math.Floor(target.TotalSeconds * SlaOptions.WarningShare));

    private static DateTimeOffset Earliest(DateTimeOffset? current, DateTimeOffset candidate) =>
        current is { } due && due < candidate ? due : candidate;
}
