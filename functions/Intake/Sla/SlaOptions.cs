using System.ComponentModel.DataAnnotations;
using System.Globalization;
using Intake.Tickets;
using Intake.Triage;

namespace Intake.Sla;

/// <summary>
/// Response-time targets per urgency (DESIGN §8 defaults; 24/7 unless <see cref="BusinessHours"/> are set), how often the
/// monitor looks, and where escalations go. Bound from <c>Sla:Urgent:FirstResponse</c> and so on; checked at start-up.
/// </summary>
public sealed class SlaOptions : IValidatableObject
{
    public const string Section = "Sla";

    /// <summary>The share of a target after which the monitor warns.</summary>
    public const double WarningShare = 0.8;

    public SlaTarget Urgent { get; set; } = new() { FirstResponse = TimeSpan.FromMinutes(15), Resolution = TimeSpan.FromHours(4) };

    public SlaTarget High { get; set; } = new() { FirstResponse = TimeSpan.FromHours(1), Resolution = TimeSpan.FromHours(24) };

    public SlaTarget Normal { get; set; } = new() { FirstResponse = TimeSpan.FromHours(4), Resolution = TimeSpan.FromHours(72) };

    public SlaTarget Low { get; set; } = new() { FirstResponse = TimeSpan.FromHours(24), Resolution = TimeSpan.FromDays(7) };

    /// <summary>How often the server's monitor looks for tickets due a warning or a breach (the Functions timer has its own schedule).</summary>
    public TimeSpan CheckInterval { get; set; } = TimeSpan.FromMinutes(1);

    public EscalationOptions Escalation { get; set; } = new();

    public BusinessHoursOptions BusinessHours { get; set; } = new();

    private BusinessCalendar? _calendar;

    public SlaTarget For(Urgency urgency) => urgency switch
    {
        Urgency.Urgent => Urgent,
        Urgency.High => High,
        Urgency.Normal => Normal,
        _ => Low,
    };

    /// <summary>The calendar the clock runs on (validated at start-up; 24/7 without business hours).</summary>
    public BusinessCalendar Calendar() =>
        _calendar ??= BusinessCalendar.TryParse(BusinessHours.TimeZone, BusinessHours.Weekly, BusinessHours.Holidays, out var calendar, out var error)
            ? calendar
            : throw new InvalidOperationException(error);

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        foreach (var urgency in TicketQueuesOrder)
        {
            var target = For(urgency);
            var name = CultureInfo.InvariantCulture.TextInfo.ToTitleCase(urgency.ToName());
            if (target.FirstResponse <= TimeSpan.Zero || target.Resolution <= TimeSpan.Zero)
            {
                yield return new($"{Section}:{name}:FirstResponse and {Section}:{name}:Resolution must be positive durations such as 00:15:00 or 3.00:00:00.", [name]);
            }
            else if (target.FirstResponse > target.Resolution)
            {
                yield return new($"{Section}:{name}:FirstResponse ({target.FirstResponse}) is longer than {Section}:{name}:Resolution ({target.Resolution}).", [name]);
            }
        }

        if (CheckInterval < TimeSpan.FromSeconds(0.05) || CheckInterval > TimeSpan.FromHours(1))
        {
            yield return new($"{Section}:{nameof(CheckInterval)} must be between 00:00:00.05 and 01:00:00 (default 00:01:00).", [nameof(CheckInterval)]);
        }

        if (!BusinessCalendar.TryParse(BusinessHours.TimeZone, BusinessHours.Weekly, BusinessHours.Holidays, out _, out var error))
        {
            yield return new(error, [nameof(BusinessHours)]);
        }

        if (!string.IsNullOrWhiteSpace(Escalation.Email) && !Mailboxes.IsBareAddress(Escalation.Email.Trim()))
        {
            yield return new($"{Section}:Escalation:Email must be a plain email address such as support-leads@example.com.", [nameof(Escalation)]);
        }

        if (!string.IsNullOrWhiteSpace(Escalation.TelegramChatId) && !long.TryParse(Escalation.TelegramChatId, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out _))
        {
            yield return new($"{Section}:Escalation:TelegramChatId must be a numeric Telegram chat id (a group's is negative, such as -1001234567890).", [nameof(Escalation)]);
        }
    }

    private static readonly Urgency[] TicketQueuesOrder = [Urgency.Urgent, Urgency.High, Urgency.Normal, Urgency.Low];
}

public sealed class SlaTarget
{
    public TimeSpan FirstResponse { get; set; }

    public TimeSpan Resolution { get; set; }
}

/// <summary>Where warnings and breaches are announced: an email address (through SendGrid) and/or a Telegram chat (through the bot). Neither: recorded only.</summary>
public sealed class EscalationOptions
{
    public string? Email { get; set; }

    public string? TelegramChatId { get; set; }
}

/// <summary>The optional business-hours calendar; all empty means 24/7. See <see cref="BusinessCalendar.TryParse"/>.</summary>
public sealed class BusinessHoursOptions
{
    /// <summary>An IANA time zone id (<c>Europe/Berlin</c>).</summary>
    public string? TimeZone { get; set; }

    /// <summary><c>Mon-Fri 09:00-18:00; Sat 10:00-14:00</c>.</summary>
    public string? Weekly { get; set; }

    /// <summary><c>2026-12-25, 2027-01-01</c>: local dates on which the clock does not run.</summary>
    public string? Holidays { get; set; }
}
