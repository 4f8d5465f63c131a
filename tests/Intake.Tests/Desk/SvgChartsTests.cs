using System.Globalization;
using System.Xml.Linq;
using Intake.Desk.Dashboard;

namespace Intake.Tests.Desk;

public sealed class SvgChartsTests
{
    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static readonly ChartText Text = new("chart-volume", "Tickets by channel and day", "chart-volume-table", "Day", "Tickets", "No data for these days.");

    private static IReadOnlyList<string> Days => ["2026-03-01", "2026-03-02", "2026-03-03"];

    private static IReadOnlyList<ChartSeries> TwoChannels =>
    [
        new("email", [2, 0, 1]),
        new("telegram", [1, 4, 0]),
    ];

    private static List<XElement> Bars(XDocument svg) => [.. svg.Descendants(Svg + "rect").Where(r => r.Attribute("data-value") is not null)];

    [Fact]
    public void A_chart_is_well_formed_svg_named_by_its_title_and_described_by_its_table()
    {
        var svg = XDocument.Parse(SvgCharts.StackedColumns(Text, Days, TwoChannels));

        var root = svg.Root!;
        Assert.Equal(Svg + "svg", root.Name);
        Assert.Equal("img", (string?)root.Attribute("role"));
        Assert.StartsWith("0 0 ", (string?)root.Attribute("viewBox"), StringComparison.Ordinal);
        var title = root.Elements(Svg + "title").Single();
        Assert.Equal("Tickets by channel and day", title.Value);
        Assert.Equal((string?)title.Attribute("id"), (string?)root.Attribute("aria-labelledby"));
        Assert.Equal("chart-volume-table", (string?)root.Attribute("aria-describedby"));
    }

    [Fact]
    public void Every_data_point_is_one_bar_carrying_its_value()
    {
        var stacked = XDocument.Parse(SvgCharts.StackedColumns(Text, Days, TwoChannels));
        var grouped = XDocument.Parse(SvgCharts.GroupedColumns(Text, ["urgent", "high"], [new("Met", [3, 5]), new("Breached", [1, 0])]));
        var horizontal = XDocument.Parse(SvgCharts.HorizontalBars(Text with { Unit = "%" }, ["email", "x"], [new("CSAT", [66.67, null]), new("Response rate", [50, 25])], max: 100));

        Assert.Equal(["2", "0", "1", "1", "4", "0"], Bars(stacked).OrderBy(b => (string?)b.Attribute("data-series")).Select(b => (string?)b.Attribute("data-value")));
        Assert.Equal(4, Bars(grouped).Count);

        // A missing value (CSAT with no answers) draws no bar but says so.
        Assert.Equal(["66.67", "50", "25"], Bars(horizontal).Select(b => (string?)b.Attribute("data-value")));
        Assert.Contains(horizontal.Descendants(Svg + "text"), t => t.Value == "–");
        Assert.Contains(horizontal.Descendants(Svg + "text"), t => t.Value == "66.67%");
        Assert.Equal("CSAT, email: 66.67%", Bars(horizontal)[0].Element(Svg + "title")!.Value);
    }

    [Fact]
    public void Each_series_has_a_legend_entry_and_a_pattern_of_its_own()
    {
        var svg = XDocument.Parse(SvgCharts.StackedColumns(Text, Days, TwoChannels));

        var patterns = svg.Descendants(Svg + "pattern").ToList();
        Assert.Equal(2, patterns.Count);
        Assert.NotEqual(patterns[0].Elements().Count(), patterns[1].Elements().Count());
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value == "email");
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value == "telegram");
        Assert.All(Bars(svg), b => Assert.Equal($"url(#chart-volume-s{(string?)b.Attribute("data-series")})", (string?)b.Attribute("fill")));
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value == "Day");
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value == "Tickets");
    }

    [Fact]
    public void A_chart_without_data_says_so_and_draws_no_bar()
    {
        string[] charts =
        [
            SvgCharts.StackedColumns(Text, [], []),
            SvgCharts.GroupedColumns(Text, ["urgent", "high"], [new("Met", [0, 0]), new("Breached", [0, 0])]),
            SvgCharts.HorizontalBars(Text, ["email"], [new("CSAT", [null])], max: 100),
        ];

        Assert.All(charts, chart =>
        {
            var svg = XDocument.Parse(chart);
            Assert.Equal("img", (string?)svg.Root!.Attribute("role"));
            Assert.Equal("Tickets by channel and day", svg.Root.Element(Svg + "title")!.Value);
            Assert.Empty(Bars(svg));
            Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value == "No data for these days.");
        });
    }

    [Fact]
    public void Text_is_encoded_so_a_name_cannot_become_markup()
    {
        var chart = SvgCharts.StackedColumns(Text with { Title = "Q&A <b>" }, ["<script>alert(1)</script>"], [new("<script>", [3])]);

        Assert.DoesNotContain("<script>", chart, StringComparison.Ordinal);
        var svg = XDocument.Parse(chart);
        Assert.DoesNotContain(svg.Descendants(), e => e.Name.LocalName is "script" or "b");
        Assert.Equal("Q&A <b>", svg.Root!.Element(Svg + "title")!.Value);
        Assert.Contains(svg.Descendants(Svg + "text"), t => t.Value == "<script>");
        Assert.Equal("<script>alert(1)</script>", (string?)Bars(svg).Single().Attribute("data-category"));
    }

    [Fact]
    public void Numbers_are_written_the_same_in_every_culture()
    {
        var culture = CultureInfo.CurrentCulture;
        try
        {
            CultureInfo.CurrentCulture = CultureInfo.GetCultureInfo("de-DE");
            var svg = XDocument.Parse(SvgCharts.GroupedColumns(Text, ["normal"], [new("Median", [12.5]), new("p90", [1234.25])]));

            Assert.Equal(["12.5", "1234.25"], Bars(svg).Select(b => (string?)b.Attribute("data-value")));
            Assert.DoesNotContain(svg.Descendants().SelectMany(e => e.Attributes()), a => a.Name.LocalName is "x" or "y" or "width" or "height" && a.Value.Contains(',', StringComparison.Ordinal));
        }
        finally
        {
            CultureInfo.CurrentCulture = culture;
        }
    }
}
