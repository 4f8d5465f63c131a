using System.Globalization;

namespace Intake.Sla;

/// <summary>
/// When the SLA clock runs: always (<see cref="AlwaysOpen"/>), or in weekly opening hours of one time zone, less holidays.
/// Pure and thread-safe. <see cref="Add"/> walks forward through open time; <see cref="Elapsed"/> counts the open time between two
/// instants, so that <c>Elapsed(a, Add(a, x)) == x</c> for any instant <c>a</c> during opening hours.
/// </summary>
public sealed class BusinessCalendar
{
    // Ten years of days without an open minute can only be a calendar that never opens, which validation refuses.
    private const int MaxDays = 3660;

    private readonly TimeZoneInfo? _zone;
    private readonly IReadOnlyList<(TimeOnly Open, TimeOnly Close, bool ToMidnight)>[] _week;
    private readonly HashSet<DateOnly> _holidays;

    private BusinessCalendar(TimeZoneInfo? zone, IReadOnlyList<(TimeOnly, TimeOnly, bool)>[] week, HashSet<DateOnly> holidays)
    {
        _zone = zone;
        _week = week;
        _holidays = holidays;
    }

    public static BusinessCalendar AlwaysOpen { get; } = new(null, [], []);

    public bool IsAlwaysOpen => _zone is null;

    /// <summary>The instant <paramref name="duration"/> of open time after <paramref name="start"/>.</summary>
    public DateTimeOffset Add(DateTimeOffset start, TimeSpan duration)
    {
        if (_zone is null)
        {
            return start + duration;
        }

        var remaining = duration < TimeSpan.Zero ? TimeSpan.Zero : duration;
        foreach (var (open, close) in Windows(start))
        {
            var from = open > start ? open : start;
            if (from >= close)
            {
                continue;
            }

            if (remaining <= close - from)
            {
                return from + remaining;
            }

            remaining -= close - from;
        }

        throw new InvalidOperationException("The business-hours calendar has no open time.");
    }

    /// <summary>The open time between two instants (zero when <paramref name="to"/> is not after <paramref name="from"/>).</summary>
    public TimeSpan Elapsed(DateTimeOffset from, DateTimeOffset to)
    {
        if (to <= from)
        {
            return TimeSpan.Zero;
        }

        if (_zone is null)
        {
            return to - from;
        }

        var total = TimeSpan.Zero;
        foreach (var (open, close) in Windows(from))
        {
            if (open >= to)
            {
                break;
            }

            var start = open > from ? open : from;
            var end = close < to ? close : to;
            if (end > start)
            {
                total += end - start;
            }
        }

        return total;
    }

    /// <summary>The open windows in UTC, from the local day of <paramref name="from"/> onwards.</summary>
    private IEnumerable<(DateTimeOffset Open, DateTimeOffset Close)> Windows(DateTimeOffset from)
    {
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(from, _zone!).DateTime);
        for (var i = 0; i < MaxDays; i++, day = day.AddDays(1))
        {
            if (_holidays.Contains(day))
            {
                continue;
            }

            foreach (var (open, close, toMidnight) in _week[(int)day.DayOfWeek])
            {
                var closeAt = toMidnight ? ToUtc(day.AddDays(1), TimeOnly.MinValue) : ToUtc(day, close);
                yield return (ToUtc(day, open), closeAt);
            }
        }
    }

    private DateTimeOffset ToUtc(DateOnly day, TimeOnly time)
    {
        var local = day.ToDateTime(time, DateTimeKind.Unspecified);

        // A local time skipped by a daylight-saving change opens when the clocks have gone forward.
        while (_zone!.IsInvalidTime(local))
        {
            local = local.AddMinutes(30);
        }

        return new DateTimeOffset(TimeZoneInfo.ConvertTimeToUtc(local, _zone), TimeSpan.Zero);
    }

    /// <summary>
    /// The calendar the settings describe, or why they do not describe one. No weekly hours: always open (then a time
    /// zone or holidays alone are a mistake). <paramref name="weekly"/>: <c>Mon-Fri 09:00-18:00; Sat 10:00-14:00</c>
    /// (several ranges of a day separated by commas, <c>24:00</c> for midnight); <paramref name="holidays"/>:
    /// <c>2026-12-25, 2027-01-01</c>, local dates; <paramref name="timeZone"/>: an IANA id such as <c>Europe/Berlin</c>.
    /// </summary>
    public static bool TryParse(string? timeZone, string? weekly, string? holidays, out BusinessCalendar calendar, out string? error)
    {
        calendar = AlwaysOpen;
        error = null;
        const string Prefix = "Sla:BusinessHours:";
        if (string.IsNullOrWhiteSpace(weekly))
        {
            if (!string.IsNullOrWhiteSpace(timeZone) || !string.IsNullOrWhiteSpace(holidays))
            {
                error = $"{Prefix}TimeZone and {Prefix}Holidays need {Prefix}Weekly (for example \"Mon-Fri 09:00-18:00\"); leave all three empty for 24/7.";
            }

            return error is null;
        }

        if (string.IsNullOrWhiteSpace(timeZone))
        {
            error = $"{Prefix}TimeZone is required with {Prefix}Weekly: an IANA time zone such as Europe/Berlin or Asia/Singapore.";
            return false;
        }

        TimeZoneInfo zone;
        try
        {
            zone = TimeZoneInfo.FindSystemTimeZoneById(timeZone.Trim());
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            error = $"{Prefix}TimeZone \"{timeZone}\" is not a known time zone; use an IANA id such as Europe/Berlin.";
            return false;
        }

        var week = Enumerable.Range(0, 7).Select(_ => new List<(TimeOnly, TimeOnly, bool)>()).ToArray();
        foreach (var part in weekly.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!TryParseDays(part, out var days, out var ranges))
            {
                error = $"{Prefix}Weekly: \"{part}\" is not days and hours such as \"Mon-Fri 09:00-18:00\" (days Mon..Sun).";
                return false;
            }

            foreach (var range in ranges.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!TryParseRange(range, out var open, out var close, out var toMidnight))
                {
                    error = $"{Prefix}Weekly: \"{range}\" in \"{part}\" is not a range of hours such as 09:00-18:00 (opening before closing, 24:00 for midnight).";
                    return false;
                }

                foreach (var day in days)
                {
                    week[day].Add((open, close, toMidnight));
                }
            }
        }

        foreach (var day in week)
        {
            day.Sort((a, b) => a.Item1.CompareTo(b.Item1));
            for (var i = 1; i < day.Count; i++)
            {
                if (day[i].Item1 < day[i - 1].Item2 || day[i - 1].Item3)
                {
                    error = $"{Prefix}Weekly: the hours of one day overlap.";
                    return false;
                }
            }
        }

        if (week.All(day => day.Count == 0))
        {
            error = $"{Prefix}Weekly names no open hours.";
            return false;
        }

        var dates = new HashSet<DateOnly>();
        foreach (var holiday in (holidays ?? "").Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            if (!DateOnly.TryParseExact(holiday, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
            {
                error = $"{Prefix}Holidays: \"{holiday}\" is not a date such as 2026-12-25.";
                return false;
            }

            dates.Add(date);
        }

        calendar = new BusinessCalendar(zone, [.. week.Select(d => (IReadOnlyList<(TimeOnly, TimeOnly, bool)>)d)], dates);
        return true;
    }

    private static readonly string[] DayNames = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    private static bool TryParseDays(string part, out List<int> days, out string ranges)
    {
        days = [];
        ranges = "";
        var space = part.IndexOf(' ', StringComparison.Ordinal);
        if (space < 0)
        {
            return false;
        }

        ranges = part[(space + 1)..].Trim();
        foreach (var spec in part[..space].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var ends = spec.Split('-');
            var first = Array.IndexOf(DayNames, ends[0].ToLowerInvariant());
            var last = ends.Length == 2 ? Array.IndexOf(DayNames, ends[1].ToLowerInvariant()) : first;
            if (ends.Length > 2 || first < 0 || last < 0)
            {
                return false;
            }

            // Mon-Fri, and also Fri-Mon across the weekend.
            for (var day = first; ; day = (day + 1) % 7)
            {
                days.Add(day);
                if (day == last)
                {
                    break;
                }
            }
        }

        return days.Count > 0 && ranges.Length > 0;
    }

    private static bool TryParseRange(string range, out TimeOnly open, out TimeOnly close, out bool toMidnight)
    {
        open = close = default;
        toMidnight = false;
        var ends = range.Split('-', StringSplitOptions.TrimEntries);
        if (ends.Length != 2 || !TimeOnly.TryParseExact(ends[0], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out open))
        {
            return false;
        }

        if (ends[1] == "24:00")
        {
            toMidnight = true;
            close = TimeOnly.MaxValue;
            return true;
        }

        return TimeOnly.TryParseExact(ends[1], "HH:mm", CultureInfo.InvariantCulture, DateTimeStyles.None, out close) && close > open;
    }
}
