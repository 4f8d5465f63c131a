using Intake.HelpCenter;
using Intake.Sla;
using Intake.Surveys;
using Microsoft.Extensions.Options;

namespace Intake.Desk.Dashboard;

/// <summary>
/// Reads what the dashboard shows for a range of days: the tickets created (<see cref="TicketVolume"/>), the SLA metrics rows and the deflection rows of the tickets
/// created on those days, the surveys sent on them; then <see cref="DashboardReport.Compute"/> on the SLA calendar.
/// </summary>
public sealed class DashboardData(TicketVolume volume, SlaStore sla, SurveyStore surveys, DeflectionStore deflection, IOptions<SlaOptions> options)
{
    /// <summary>The longest range the dashboard reads, the same as the CSAT report's.</summary>
    public const int MaxDays = MetricsEndpoints.MaxDays;

    /// <summary>The report for the days <paramref name="from"/> to <paramref name="to"/> (UTC, both included, at most <see cref="MaxDays"/>).</summary>
    public async Task<DashboardReport> LoadAsync(DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        if (from > to)
        {
            throw new ArgumentOutOfRangeException(nameof(to), to, "to must not be before from.");
        }

        if (to.DayNumber - from.DayNumber + 1 > MaxDays)
        {
            throw new ArgumentOutOfRangeException(nameof(to), to, $"The range may cover at most {MaxDays} days.");
        }

        var (start, end) = Bounds(from, to);
        var created = volume.ReadAsync(from, to, cancellationToken);
        var metrics = sla.ReadMetricsAsync(start, end, cancellationToken);
        var sent = surveys.ListAsync(from, to, cancellationToken);
        var offers = deflection.ReadAsync(start, end, cancellationToken);
        return DashboardReport.Compute(from, to, await created.ConfigureAwait(false), await metrics.ConfigureAwait(false), await sent.ConfigureAwait(false), await offers.ConfigureAwait(false), options.Value.Calendar());
    }

    /// <summary>The first and the last instant of the days, UTC: the stores' bounds are both included.</summary>
    internal static (DateTimeOffset Start, DateTimeOffset End) Bounds(DateOnly from, DateOnly to) =>
        (new DateTimeOffset(from.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero), new DateTimeOffset(to.AddDays(1).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddTicks(-1));
}
