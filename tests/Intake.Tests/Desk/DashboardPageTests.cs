using System.Xml.Linq;
using Intake.Desk.Dashboard;
using Intake.Sla;
using Intake.Triage;
using static Intake.Tests.Desk.DashboardRows;

namespace Intake.Tests.Desk;

public sealed class DashboardPageTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static readonly SlaMetricsRow[] Tickets =
        [
            Metrics("2026-03-01", "email", Urgency.Urgent, 10, resolvedAfter: 100),
            Metrics("2026-03-01", "telegram", Urgency.Normal, 75, firstBreached: true),
            Metrics("2026-03-02", "email", Urgency.High, 30),
        ];

    private static DashboardReport Report(bool deflection = true) => DashboardReport.Compute(
        Day("2026-03-01"),
        Day("2026-03-02"),
        CreatedOf(Tickets),
        Tickets,
        [Survey("2026-03-01", "email", "deposit", 5), Survey("2026-03-02", "telegram", "withdrawal", 2), Survey("2026-03-02", "telegram", "withdrawal", null)],
        deflection ? [Offer("2026-03-01", "deposit", 2, solved: true), Offer("2026-03-02", "deposit", 1, solved: false)] : [],
        BusinessCalendar.AlwaysOpen);

    /// <summary>The body is written to parse as XML too (void elements closed), so that the tests can read it.</summary>
    private static XElement Body(DashboardReport report, string language = "en") =>
        XElement.Parse("<div>" + DashboardPage.RenderBody(report, language, report.From, report.To) + "</div>");

    private static IEnumerable<string> Cells(XElement table) =>
        table.Descendants().Where(e => e.Name.LocalName is "td").Select(e => e.Value.TrimEnd('%'));

    [Fact]
    public void Every_chart_has_a_table_beside_it_with_the_same_numbers()
    {
        var body = Body(Report());

        var charts = body.Descendants(Svg + "svg").ToList();
        Assert.Equal(7, charts.Count);
        foreach (var chart in charts)
        {
            var tableId = (string?)chart.Attribute("aria-describedby");
            var section = chart.Ancestors("section").Single();
            var table = Assert.Single(section.Descendants("table"), t => (string?)t.Attribute("id") == tableId);
            var cells = Cells(table).ToHashSet(StringComparer.Ordinal);
            var values = chart.Descendants(Svg + "rect").Select(r => (string?)r.Attribute("data-value")).OfType<string>().ToList();
            Assert.NotEmpty(values);
            Assert.All(values, value => Assert.Contains(value, cells));
        }
    }

    [Fact]
    public void Each_section_has_a_heading_a_captioned_figure_and_a_captioned_table_with_header_scopes()
    {
        var body = Body(Report());

        Assert.Single(body.Elements("h1"));
        var sections = body.Elements("section").ToList();
        Assert.Equal(7, sections.Count);
        Assert.All(sections, section =>
        {
            Assert.Single(section.Elements("h2"));
            var figure = Assert.Single(section.Elements("figure"));
            Assert.Single(figure.Elements(Svg + "svg"));
            Assert.False(string.IsNullOrWhiteSpace(figure.Element("figcaption")?.Value));
            var table = Assert.Single(section.Descendants("table"));
            Assert.False(string.IsNullOrWhiteSpace(table.Element("caption")?.Value));
            Assert.All(table.Descendants("th"), th => Assert.True((string?)th.Attribute("scope") is "col" or "row"));
        });
    }

    [Fact]
    public void The_volume_table_counts_each_day_by_channel()
    {
        var table = Body(Report()).Descendants("table").Single(t => (string?)t.Attribute("id") == "dash-volume-table");

        Assert.Equal(["Day", "email", "telegram", "Total"], table.Element("thead")!.Descendants("th").Select(th => th.Value));
        Assert.Equal(
            [["2026-03-01", "1", "1", "2"], ["2026-03-02", "1", "0", "1"]],
            table.Element("tbody")!.Elements("tr").Select(tr => tr.Elements().Select(e => e.Value).ToArray()));
    }

    [Fact]
    public void The_form_asks_for_the_days_by_get_on_the_dashboard_address()
    {
        var form = Body(Report()).Descendants("form").Single();

        Assert.Equal(("/desk/dashboard", "get"), ((string?)form.Attribute("action"), (string?)form.Attribute("method")));
        var inputs = form.Descendants("input").ToList();
        Assert.Equal([("from", "date", "2026-03-01"), ("to", "date", "2026-03-02")], inputs.Select(i => ((string?)i.Attribute("name"), (string?)i.Attribute("type"), (string?)i.Attribute("value"))));
        Assert.All(inputs, i => Assert.Single(form.Descendants("label"), l => (string?)l.Attribute("for") == (string?)i.Attribute("id")));
        Assert.Equal("submit", (string?)form.Descendants("button").Single().Attribute("type"));
    }

    [Fact]
    public void The_deflection_section_shows_only_when_an_acknowledgement_offered_articles()
    {
        Assert.Contains(Body(Report()).Descendants("table"), t => (string?)t.Attribute("id") == "dash-deflection-table");
        Assert.DoesNotContain(Body(Report(deflection: false)).Descendants("table"), t => (string?)t.Attribute("id") == "dash-deflection-table");
        Assert.Equal(6, Body(Report(deflection: false)).Elements("section").Count());
    }

    [Fact]
    public void Chinese_headings_and_legends_differ_from_english_and_other_languages_read_english()
    {
        static List<string> Words(XElement body) =>
            [.. body.Descendants().Where(e => e.Name.LocalName is "h1" or "h2" or "caption" or "figcaption" or "th" && !e.HasElements).Select(e => e.Value)];

        var english = Body(Report());
        var chinese = Body(Report(), "zh-Hans");

        Assert.Equal("Support dashboard", english.Element("h1")!.Value);
        Assert.Equal("客服数据看板", chinese.Element("h1")!.Value);
        Assert.All(english.Elements("section").Zip(chinese.Elements("section")), pair => Assert.NotEqual(pair.First.Element("h2")!.Value, pair.Second.Element("h2")!.Value));
        Assert.Contains(chinese.Descendants(Svg + "text"), t => t.Value == "达标");
        Assert.Contains(chinese.Descendants(Svg + "text"), t => t.Value == "超时");
        Assert.Contains(english.Descendants(Svg + "text"), t => t.Value == "Breached");
        Assert.Equal(Words(english), Words(Body(Report(), "fr")));
        Assert.Equal(Words(english), Words(Body(Report(), "zh-Hant")));
    }

    [Fact]
    public void The_body_is_a_fragment_without_script_or_outside_resource()
    {
        var html = DashboardPage.RenderBody(Report(), "en", Day("2026-03-01"), Day("2026-03-02"));

        Assert.DoesNotContain("<html", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("http", html.Replace("http://www.w3.org/2000/svg", "", StringComparison.Ordinal), StringComparison.OrdinalIgnoreCase);
    }
}
