using System.Globalization;
using System.Text;
using Intake.HelpCenter;
using Intake.Sla;
using Intake.Surveys;
using Intake.Web.Pages;

namespace Intake.Desk.Dashboard;

/// <summary>
/// The support lead's dashboard as an HTML fragment for the desk layout to wrap: a heading, the form that picks the days
/// (GET <c>/desk/dashboard?from=&amp;to=</c>), then a section per figure, each a chart (<see cref="SvgCharts"/>) with its
/// caption and a table beside it carrying the same numbers. No script; every value goes through <see cref="PageLayout.E"/>.
/// </summary>
public static class DashboardPage
{
    public const string Action = "/desk/dashboard";

    /// <summary>The page body in <paramref name="language"/> (<c>zh-Hans</c>, else English) for <paramref name="report"/>, the form showing <paramref name="from"/> and <paramref name="to"/>.</summary>
    public static string RenderBody(DashboardReport report, string language, DateOnly from, DateOnly to)
    {
        ArgumentNullException.ThrowIfNull(report);
        var t = DeskTexts.ForDashboard(language);
        var html = new StringBuilder();
        html.Append(CultureInfo.InvariantCulture, $"""
            <h1>{PageLayout.E(t["Title"])}</h1>
            <p>{PageLayout.E(t.Format("Range", Day(report.From), Day(report.To)))}</p>
            <form action="{Action}" method="get">
            <fieldset>
            <legend>{PageLayout.E(t["Form.Legend"])}</legend>
            <label for="dash-from">{PageLayout.E(t["Form.From"])}</label>
            <input type="date" id="dash-from" name="from" value="{Day(from)}" required="required" aria-describedby="dash-range-hint" />
            <label for="dash-to">{PageLayout.E(t["Form.To"])}</label>
            <input type="date" id="dash-to" name="to" value="{Day(to)}" required="required" aria-describedby="dash-range-hint" />
            <span class="hint" id="dash-range-hint">{PageLayout.E(t.Format("Form.Hint", DashboardData.MaxDays))}</span>
            </fieldset>
            <button type="submit">{PageLayout.E(t["Form.Show"])}</button>
            </form>

            """);
        Volume(html, report, t);
        Sla(html, report.Sla, t, "first", "SlaFirst", f => f.FirstResponse);
        Sla(html, report.Sla, t, "resolution", "SlaResolution", f => f.Resolution);
        Times(html, report.Sla, t);
        Csat(html, report.Csat.ByChannel, report.Csat.Overall, t, "csat-channel", "CsatChannel", "Column.Channel");
        Csat(html, report.Csat.ByCategory, report.Csat.Overall, t, "csat-category", "CsatCategory", "Column.Category");
        if (report.Deflection is { } deflection)
        {
            Deflection(html, deflection, t);
        }

        return html.ToString();
    }

    private static void Volume(StringBuilder html, DashboardReport report, DeskTexts t)
    {
        var days = report.Volume.Select(v => Day(v.Day)).ToList();
        var series = report.Channels.Select(c => new ChartSeries(c, [.. report.Volume.Select(v => (double?)v.ByChannel[c])])).ToList();
        var chart = SvgCharts.StackedColumns(Text("volume", t, "Volume.Heading", "Axis.Day", "Axis.Tickets"), days, series);
        var rows = report.Volume.Select(v => (Day(v.Day), (IReadOnlyList<string>)[.. report.Channels.Select(c => Count(v.ByChannel[c])), Count(v.Total)]));
        Section(html, "volume", t["Volume.Heading"], t["Volume.Caption"], chart, null,
            t["Volume.TableCaption"], [t["Column.Day"], .. report.Channels, t["Column.Total"]], rows);
    }

    private static void Sla(StringBuilder html, SlaReportJson sla, DeskTexts t, string id, string texts, Func<SlaFiguresJson, TargetFiguresJson> target)
    {
        var urgencies = DashboardReport.Urgencies;
        var figures = urgencies.Select(u => target(sla.ByUrgency[u])).ToList();
        var chart = SvgCharts.GroupedColumns(
            Text("sla-" + id, t, texts + ".Heading", "Column.Urgency", "Axis.Tickets"),
            urgencies,
            [new ChartSeries(t["Sla.Met"], [.. figures.Select(f => (double?)f.Met)]), new ChartSeries(t["Sla.Breached"], [.. figures.Select(f => (double?)f.Missed)])]);
        var rows = urgencies.Zip(figures)
            .Append((t["All"], target(sla.Overall)))
            .Select(r => (r.Item1, (IReadOnlyList<string>)[Count(r.Item2.Met), Count(r.Item2.Missed), Percent(r.Item2.Attainment, t)]));
        Section(html, "sla-" + id, t[texts + ".Heading"], t[texts + ".Caption"], chart, null,
            t[texts + ".TableCaption"], [t["Column.Urgency"], t["Sla.Met"], t["Sla.Breached"], t["Sla.Attainment"]], rows);
    }

    private static void Times(StringBuilder html, SlaReportJson sla, DeskTexts t)
    {
        var groups = DashboardReport.Urgencies.Select(u => (Name: u, Figures: sla.ByUrgency[u].FirstResponse))
            .Append((Name: t["All"], Figures: sla.Overall.FirstResponse)).ToList();
        var chart = SvgCharts.GroupedColumns(
            Text("times", t, "Times.Heading", "Column.Urgency", "Axis.Minutes"),
            [.. groups.Select(g => g.Name)],
            [new ChartSeries(t["Times.Median"], [.. groups.Select(g => g.Figures.MedianMinutes)]), new ChartSeries(t["Times.P90"], [.. groups.Select(g => g.Figures.P90Minutes)])]);
        var rows = groups.Select(g => (g.Name, (IReadOnlyList<string>)[Value(g.Figures.MedianMinutes, t), Value(g.Figures.P90Minutes, t)]));
        Section(html, "times", t["Times.Heading"], t["Times.Caption"], chart, null,
            t["Times.TableCaption"], [t["Column.Urgency"], t["Times.Median"], t["Times.P90"]], rows);
    }

    private static void Csat(
        StringBuilder html, IReadOnlyDictionary<string, CsatFigures> groups, CsatFigures overall, DeskTexts t, string id, string texts, string column)
    {
        var names = groups.Keys.ToList();
        var chart = SvgCharts.HorizontalBars(
            Text(id, t, texts + ".Heading", column, "Axis.Percent") with { Unit = "%" },
            names,
            [new ChartSeries(t["Csat.Csat"], [.. names.Select(n => PercentValue(groups[n].Csat))]), new ChartSeries(t["Csat.ResponseRate"], [.. names.Select(n => PercentValue(groups[n].ResponseRate))])],
            max: 100);
        var rows = groups.Append(new KeyValuePair<string, CsatFigures>(t["All"], overall))
            .Select(g => (g.Key, (IReadOnlyList<string>)[Count(g.Value.Sent), Count(g.Value.Answered), Count(g.Value.Satisfied), Percent(g.Value.Csat, t), Percent(g.Value.ResponseRate, t)]));
        Section(html, id, t[texts + ".Heading"], t["Csat.Caption"], chart, null,
            t[texts + ".TableCaption"], [t[column], t["Csat.Sent"], t["Csat.Answered"], t["Csat.Satisfied"], t["Csat.Csat"], t["Csat.ResponseRate"]], rows);
    }

    private static void Deflection(StringBuilder html, DeflectionSummary deflection, DeskTexts t)
    {
        var chart = SvgCharts.HorizontalBars(
            Text("deflection", t, "Deflection.Heading", "Column.Category", "Axis.Percent") with { Unit = "%" },
            [.. deflection.ByCategory.Select(g => g.Key)],
            [new ChartSeries(t["Deflection.Rate"], [.. deflection.ByCategory.Select(g => PercentValue(g.Rate))])],
            max: 100);
        var rows = deflection.ByCategory.Select(g => (g.Key, g.AcknowledgementsWithArticles, g.SelfServed, g.Rate))
            .Append((t["All"], deflection.Total.AcknowledgementsWithArticles, deflection.Total.SelfServed, deflection.Total.Rate))
            .Select(g => (g.Item1, (IReadOnlyList<string>)[Count(g.Item2), Count(g.SelfServed), Percent(g.Rate, t)]));
        Section(html, "deflection", t["Deflection.Heading"], t["Deflection.Caption"], chart, null,
            t["Deflection.TableCaption"], [t["Column.Category"], t["Deflection.Offered"], t["Deflection.SelfServed"], t["Deflection.Rate"]], rows);
    }

    private static ChartText Text(string id, DeskTexts t, string title, string categoryAxis, string valueAxis) =>
        new("dash-" + id, t[title], TableId(id), t[categoryAxis], t[valueAxis], t["NoData"], t["NotAvailable"]);

    private static string TableId(string id) => $"dash-{id}-table";

    /// <summary>
    /// A figure's section: its heading, the chart and its caption in a <c>figure</c>, an optional note, and the table
    /// (first column row headers) in a region that scrolls sideways on a narrow screen and can be reached by keyboard.
    /// </summary>
    private static void Section(
        StringBuilder html, string id, string heading, string caption, string chart, string? note,
        string tableCaption, IReadOnlyList<string> columns, IEnumerable<(string Name, IReadOnlyList<string> Cells)> rows)
    {
        html.Append(CultureInfo.InvariantCulture, $"""
            <section aria-labelledby="dash-{id}-heading">
            <h2 id="dash-{id}-heading">{PageLayout.E(heading)}</h2>

            """);
        if (note is not null)
        {
            html.Append(CultureInfo.InvariantCulture, $"<p class=\"hint\">{PageLayout.E(note)}</p>\n");
        }

        html.Append(CultureInfo.InvariantCulture, $"""
            <figure>
            {chart}
            <figcaption>{PageLayout.E(caption)}</figcaption>
            </figure>
            <div role="region" aria-labelledby="dash-{id}-caption" tabindex="0" style="overflow-x:auto">
            <table id="{TableId(id)}">
            <caption id="dash-{id}-caption">{PageLayout.E(tableCaption)}</caption>
            <thead><tr>{string.Concat(columns.Select(c => $"<th scope=\"col\">{PageLayout.E(c)}</th>"))}</tr></thead>
            <tbody>

            """);
        foreach (var (name, cells) in rows)
        {
            html.Append(CultureInfo.InvariantCulture, $"<tr><th scope=\"row\">{PageLayout.E(name)}</th>{string.Concat(cells.Select(c => $"<td>{PageLayout.E(c)}</td>"))}</tr>\n");
        }

        html.Append("</tbody>\n</table>\n</div>\n</section>\n");
    }

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Count(int count) => count.ToString(CultureInfo.InvariantCulture);

    private static string Value(double? value, DeskTexts t) => value is { } v ? SvgCharts.Number(v) : t["NotAvailable"];

    /// <summary>A share (0.6667) as the percentage the charts draw (66.67).</summary>
    private static double? PercentValue(double? share) => share is { } s ? Math.Round(s * 100, 2) : null;

    private static string Percent(double? share, DeskTexts t) => PercentValue(share) is { } p ? SvgCharts.Number(p) + "%" : t["NotAvailable"];
}
