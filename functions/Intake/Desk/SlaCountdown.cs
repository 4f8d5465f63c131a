using Intake.Tickets;

namespace Intake.Desk;

/// <summary>Where a ticket's SLA stands for the queue: <see cref="SlaState"/> (shown by colour and by words) and the time left or over.</summary>
public enum SlaState
{
    /// <summary>Nothing left to meet: resolved, closed, or no targets.</summary>
    Done,

    /// <summary>The clock stands still: waiting on the customer.</summary>
    Paused,
    Ok,

    /// <summary>Past the warning time (80 % of the target), not yet due.</summary>
    Warning,
    Breached,
}

/// <summary>The SLA countdown of a ticket at <see cref="At"/>: which target is next, its state, how long until (or since) it is due.</summary>
public sealed record SlaCountdown(SlaState State, string? Target, DateTimeOffset? DueAt, TimeSpan Remaining)
{
    public const string FirstResponse = "first_response";
    public const string Resolution = "resolution";

    public static SlaCountdown Of(Ticket ticket, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(ticket);
        if (TicketListing.NextDueAt(ticket) is not { } due)
        {
            return new SlaCountdown(SlaState.Done, null, null, TimeSpan.Zero);
        }

        var firstResponse = ticket.FirstRespondedAt is null && ticket.FirstResponseDueAt is not null;
        var target = firstResponse ? FirstResponse : Resolution;
        var warning = firstResponse ? ticket.FirstResponseWarningAt : ticket.ResolutionWarningAt;
        if (ticket.PausedAt is not null)
        {
            return new SlaCountdown(SlaState.Paused, target, due, due - now);
        }

        var state = now >= due ? SlaState.Breached : warning is { } warnAt && now >= warnAt ? SlaState.Warning : SlaState.Ok;
        return new SlaCountdown(state, target, due, due - now);
    }

    /// <summary>The countdown in the agent's words: "Warning: first response due in 12 min", "Resolution breached 2 h 5 min ago".</summary>
    public string Describe(DeskTexts t)
    {
        ArgumentNullException.ThrowIfNull(t);
        var what = Target == FirstResponse ? t["Sla.FirstResponse"] : t["Sla.Resolution"];
        return State switch
        {
            SlaState.Done => t["Sla.Done"],
            SlaState.Paused => t.Format("Sla.Paused", what),
            SlaState.Breached => t.Format("Sla.Breached", what, Duration(t, -Remaining)),
            SlaState.Warning => t.Format("Sla.Warning", what, Duration(t, Remaining)),
            _ => t.Format("Sla.Due", what, Duration(t, Remaining)),
        };
    }

    public string CssClass => State switch
    {
        SlaState.Breached => "sla-breach",
        SlaState.Warning => "sla-warn",
        SlaState.Ok => "sla-ok",
        SlaState.Paused => "sla-paused",
        _ => "sla-done",
    };

    /// <summary>A duration the way a person reads it: days and hours, hours and minutes, or minutes (at least one).</summary>
    public static string Duration(DeskTexts t, TimeSpan span)
    {
        ArgumentNullException.ThrowIfNull(t);
        if (span < TimeSpan.Zero)
        {
            span = TimeSpan.Zero;
        }

        var minutes = (long)Math.Ceiling(span.TotalMinutes);
        return minutes switch
        {
            >= 24 * 60 => t.Format("Duration.DaysHours", minutes / (24 * 60), minutes % (24 * 60) / 60),
            >= 60 => t.Format("Duration.HoursMinutes", minutes / 60, minutes % 60),
            _ => t.Format("Duration.Minutes", Math.Max(minutes, 1)),
        };
    }
}
