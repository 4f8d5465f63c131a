using System.Globalization;

namespace Intake.Web;

/// <summary>
/// The <c>from</c> and <c>to</c> of a metrics report (ISO 8601; a date alone is midnight UTC): by default the last 30
/// days, at most 92; the field errors of a range that cannot be read, runs backwards or is too long.
/// </summary>
public static class MetricsRange
{
    public static readonly TimeSpan DefaultRange = TimeSpan.FromDays(30);
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(92);

    /// <summary>The range the query asks for, or null with <paramref name="errors"/> filled.</summary>
    public static (DateTimeOffset Start, DateTimeOffset End)? Read(string? from, string? to, DateTimeOffset now, out Dictionary<string, string[]> errors)
    {
        errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var end = Parse(to, "to", errors) ?? now;
        var start = Parse(from, "from", errors) ?? end - DefaultRange;
        if (errors.Count == 0 && start > end)
        {
            errors["to"] = ["Must not be before from."];
        }
        else if (errors.Count == 0 && end - start > MaxRange)
        {
            errors["from"] = [$"The range is at most {MaxRange.TotalDays.ToString(CultureInfo.InvariantCulture)} days."];
        }

        return errors.Count == 0 ? (start, end) : null;
    }

    private static DateTimeOffset? Parse(string? value, string name, Dictionary<string, string[]> errors)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        if (value.Length <= 40 && DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var parsed))
        {
            return parsed;
        }

        errors[name] = ["An ISO 8601 date or time, such as 2026-11-01 or 2026-11-01T09:00:00Z."];
        return null;
    }
}
