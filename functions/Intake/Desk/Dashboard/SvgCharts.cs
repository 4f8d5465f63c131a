using System.Globalization;
using System.Text;
using Intake.Web.Pages;

namespace Intake.Desk.Dashboard;

/// <summary>One series of a chart: its name (in the legend) and one value per category; null where there is none to show.</summary>
public sealed record ChartSeries(string Label, IReadOnlyList<double?> Values);

/// <summary>
/// What a chart says in words: its id (unique in the page; the title's and the patterns' ids derive from it), its title,
/// the id of the table beside it with the same numbers, the axis labels, what an empty chart and a missing value show,
/// and the unit after a value (<c>%</c>).
/// </summary>
public sealed record ChartText(
    string Id, string Title, string TableId, string CategoryAxis, string ValueAxis, string NoData, string NoValue = "–", string Unit = "");

/// <summary>
/// Charts as inline SVG, pure: no script and no outside resource, so that a page under a strict CSP can show them. Each
/// is an image named by its title and described by the table beside it (<c>aria-describedby</c>), sized by its
/// <c>viewBox</c>; each series has a colour from a palette safe for colour-blind readers and a pattern of its own, and a
/// legend names them, so that colour is never the only cue. Each bar is a <c>rect</c> with <c>data-value</c> and a
/// <c>title</c> (the tooltip). Every text goes through <see cref="PageLayout.E"/>; numbers are invariant.
/// </summary>
public static class SvgCharts
{
    private const double Width = 720;
    private const double FontSize = 12;
    private const string Ink = "#1b1b1b";

    // Okabe and Ito's palette: told apart with the common colour-vision deficiencies.
    private static readonly string[] Colours = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#000000"];

    /// <summary>Columns per category, the series stacked one on another (volume by day, stacked by channel).</summary>
    public static string StackedColumns(ChartText text, IReadOnlyList<string> categories, IReadOnlyList<ChartSeries> series) =>
        Columns(text, categories, series, stacked: true);

    /// <summary>Columns per category, the series side by side (met beside breached, for each urgency).</summary>
    public static string GroupedColumns(ChartText text, IReadOnlyList<string> categories, IReadOnlyList<ChartSeries> series) =>
        Columns(text, categories, series, stacked: false);

    /// <summary>
    /// Horizontal bars per category, the series side by side, each labelled with its value; the scale runs to
    /// <paramref name="max"/> when given (100 for percentages), else to a round number above the largest value.
    /// </summary>
    public static string HorizontalBars(ChartText text, IReadOnlyList<string> categories, IReadOnlyList<ChartSeries> series, double? max = null)
    {
        Check(text, categories, series);
        if (IsEmpty(categories, series))
        {
            return Empty(text);
        }

        const double left = 150, right = 64, rowGap = 10, barHeight = 16;
        var plotWidth = Width - left - right;
        var (legend, legendHeight) = Legend(text, series);
        var top = legendHeight + 8;
        var rowHeight = (series.Count * barHeight) + rowGap;
        var plotHeight = categories.Count * rowHeight;
        var height = top + plotHeight + 48;
        var (scaleMax, step) = Scale(max ?? series.SelectMany(s => s.Values).Max(v => v ?? 0));

        var svg = Open(text, height);
        svg.Append(legend);
        for (var tick = 0.0; tick <= scaleMax + (step / 2); tick += step)
        {
            var x = left + (tick / scaleMax * plotWidth);
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{N(x)}" y1="{N(top)}" x2="{N(x)}" y2="{N(top + plotHeight)}" stroke="#d0d0d0"/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{N(x)}" y="{N(top + plotHeight + 16)}" text-anchor="middle">{Number(tick)}</text>""");
        }

        for (var c = 0; c < categories.Count; c++)
        {
            var rowTop = top + (c * rowHeight) + (rowGap / 2);
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{N(left - 8)}" y="{N(rowTop + (series.Count * barHeight / 2) + 4)}" text-anchor="end">{PageLayout.E(categories[c])}</text>""");
            for (var s = 0; s < series.Count; s++)
            {
                var y = rowTop + (s * barHeight);
                if (ValueAt(series[s], c) is not { } value)
                {
                    svg.Append(CultureInfo.InvariantCulture, $"""<text x="{N(left + 4)}" y="{N(y + barHeight - 4)}">{PageLayout.E(text.NoValue)}</text>""");
                    continue;
                }

                var w = Math.Max(0, value) / scaleMax * plotWidth;
                svg.Append(Bar(text, s, categories[c], series[s].Label, value, left, y, w, barHeight - 2));
                svg.Append(CultureInfo.InvariantCulture, $"""<text x="{N(left + w + 4)}" y="{N(y + barHeight - 4)}">{Number(value)}{PageLayout.E(text.Unit)}</text>""");
            }
        }

        svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{N(left)}" y1="{N(top)}" x2="{N(left)}" y2="{N(top + plotHeight)}" stroke="#595959"/>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{N(left + (plotWidth / 2))}" y="{N(top + plotHeight + 38)}" text-anchor="middle">{PageLayout.E(text.ValueAxis)}</text>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text transform="translate(14 {N(top + (plotHeight / 2))}) rotate(-90)" text-anchor="middle">{PageLayout.E(text.CategoryAxis)}</text>""");
        return Close(svg);
    }

    /// <summary>A value as the charts and their tables write it: invariant, at most two decimals.</summary>
    public static string Number(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);

    private static string Columns(ChartText text, IReadOnlyList<string> categories, IReadOnlyList<ChartSeries> series, bool stacked)
    {
        Check(text, categories, series);
        if (IsEmpty(categories, series))
        {
            return Empty(text);
        }

        const double left = 64, right = 16, plotHeight = 240;
        var plotWidth = Width - left - right;
        var (legend, legendHeight) = Legend(text, series);
        var top = legendHeight + 8;
        var height = top + plotHeight + 56;
        var largest = stacked
            ? Enumerable.Range(0, categories.Count).Max(c => series.Sum(s => Math.Max(0, ValueAt(s, c) ?? 0)))
            : series.SelectMany(s => s.Values).Max(v => v ?? 0);
        var (scaleMax, step) = Scale(largest);
        double Y(double value) => top + plotHeight - (value / scaleMax * plotHeight);

        var svg = Open(text, height);
        svg.Append(legend);
        for (var tick = 0.0; tick <= scaleMax + (step / 2); tick += step)
        {
            svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{N(left)}" y1="{N(Y(tick))}" x2="{N(left + plotWidth)}" y2="{N(Y(tick))}" stroke="#d0d0d0"/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{N(left - 6)}" y="{N(Y(tick) + 4)}" text-anchor="end">{Number(tick)}</text>""");
        }

        var band = plotWidth / categories.Count;
        var labelEvery = (int)Math.Ceiling(categories.Count / Math.Max(1, Math.Floor(plotWidth / 90)));
        for (var c = 0; c < categories.Count; c++)
        {
            var x0 = left + (c * band);
            if (stacked)
            {
                var barWidth = band * 0.7;
                var bottom = 0.0;
                for (var s = 0; s < series.Count; s++)
                {
                    if (ValueAt(series[s], c) is not { } value)
                    {
                        continue;
                    }

                    var h = Math.Max(0, value);
                    svg.Append(Bar(text, s, categories[c], series[s].Label, value, x0 + ((band - barWidth) / 2), Y(bottom + h), barWidth, Y(bottom) - Y(bottom + h)));
                    bottom += h;
                }
            }
            else
            {
                var groupWidth = band * 0.8;
                var barWidth = groupWidth / series.Count;
                for (var s = 0; s < series.Count; s++)
                {
                    if (ValueAt(series[s], c) is { } value)
                    {
                        svg.Append(Bar(text, s, categories[c], series[s].Label, value, x0 + ((band - groupWidth) / 2) + (s * barWidth), Y(Math.Max(0, value)), barWidth, Y(0) - Y(Math.Max(0, value))));
                    }
                }
            }

            if (c % labelEvery == 0)
            {
                svg.Append(CultureInfo.InvariantCulture, $"""<text x="{N(x0 + (band / 2))}" y="{N(top + plotHeight + 18)}" text-anchor="middle">{PageLayout.E(categories[c])}</text>""");
            }
        }

        svg.Append(CultureInfo.InvariantCulture, $"""<line x1="{N(left)}" y1="{N(Y(0))}" x2="{N(left + plotWidth)}" y2="{N(Y(0))}" stroke="#595959"/>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{N(left + (plotWidth / 2))}" y="{N(top + plotHeight + 44)}" text-anchor="middle">{PageLayout.E(text.CategoryAxis)}</text>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text transform="translate(16 {N(top + (plotHeight / 2))}) rotate(-90)" text-anchor="middle">{PageLayout.E(text.ValueAxis)}</text>""");
        return Close(svg);
    }

    private static void Check(ChartText text, IReadOnlyList<string> categories, IReadOnlyList<ChartSeries> series)
    {
        ArgumentNullException.ThrowIfNull(text);
        ArgumentNullException.ThrowIfNull(categories);
        ArgumentNullException.ThrowIfNull(series);
    }

    /// <summary>Nothing to draw: no category, no series, or no value above zero.</summary>
    private static bool IsEmpty(IReadOnlyList<string> categories, IReadOnlyList<ChartSeries> series) =>
        categories.Count == 0 || series.Count == 0 || !series.Any(s => s.Values.Any(v => v > 0));

    private static double? ValueAt(ChartSeries series, int category) => category < series.Values.Count ? series.Values[category] : null;

    /// <summary>A round top for the scale and its step (1, 2 or 5 times a power of ten), about five steps; whole steps for small counts.</summary>
    private static (double Max, double Step) Scale(double largest)
    {
        if (largest <= 0 || double.IsNaN(largest) || double.IsInfinity(largest))
        {
            return (1, 1);
        }

        var raw = largest / 5;
        var magnitude = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        var step = (raw / magnitude) switch
        {
            <= 1 => 1,
            <= 2 => 2,
            <= 5 => 5,
            _ => 10,
        } * magnitude;
        step = Math.Max(step, largest >= 1 ? 1 : step);
        return (Math.Ceiling(largest / step) * step, step);
    }

    private static StringBuilder Open(ChartText text, double height)
    {
        var svg = new StringBuilder();
        svg.Append(CultureInfo.InvariantCulture, $"""<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {N(Width)} {N(height)}" width="100%" preserveAspectRatio="xMidYMid meet" role="img" aria-labelledby="{PageLayout.E(text.Id)}-title" aria-describedby="{PageLayout.E(text.TableId)}" font-family="system-ui, sans-serif" font-size="{N(FontSize)}" fill="{Ink}" style="max-width:100%;height:auto">""");
        svg.Append(CultureInfo.InvariantCulture, $"""<title id="{PageLayout.E(text.Id)}-title">{PageLayout.E(text.Title)}</title>""");
        return svg;
    }

    private static string Close(StringBuilder svg) => svg.Append("</svg>").ToString();

    /// <summary>The empty state: the title, a framed message, no bars.</summary>
    private static string Empty(ChartText text)
    {
        var svg = Open(text, 120);
        svg.Append(CultureInfo.InvariantCulture, $"""<rect x="1" y="1" width="{N(Width - 2)}" height="118" fill="#f5f5f5" stroke="#767676" stroke-dasharray="6 4"/>""");
        svg.Append(CultureInfo.InvariantCulture, $"""<text x="{N(Width / 2)}" y="66" text-anchor="middle" font-size="16">{PageLayout.E(text.NoData)}</text>""");
        return Close(svg);
    }

    /// <summary>
    /// The patterns (one per series: a colour, and solid, stripes, dots, cross-hatch, lines across or down) and the
    /// legend rows above the plot, a swatch and the series' name for each; with the height they take.
    /// </summary>
    private static (string Svg, double Height) Legend(ChartText text, IReadOnlyList<ChartSeries> series)
    {
        var svg = new StringBuilder("<defs>");
        for (var s = 0; s < series.Count; s++)
        {
            var colour = Colours[s % Colours.Length];
            var mark = (s % 6) switch
            {
                0 => "",
                1 => """<path d="M0 0L0 8" stroke="#fff" stroke-width="3"/>""",
                2 => """<circle cx="4" cy="4" r="1.6" fill="#fff"/>""",
                3 => """<path d="M0 0L0 8M0 0L8 0" stroke="#fff" stroke-width="2"/>""",
                4 => """<path d="M0 4L8 4" stroke="#fff" stroke-width="2"/>""",
                _ => """<path d="M4 0L4 8" stroke="#fff" stroke-width="2"/>""",
            };
            var rotate = s % 6 is 1 or 3 ? """ patternTransform="rotate(45)" """ : " ";
            svg.Append(CultureInfo.InvariantCulture, $"""<pattern id="{PageLayout.E(text.Id)}-s{s}" patternUnits="userSpaceOnUse" width="8" height="8"{rotate}><rect width="8" height="8" fill="{colour}"/>{mark}</pattern>""");
        }

        svg.Append("</defs>");
        double x = 8, y = 8;
        foreach (var (item, s) in series.Select((item, s) => (item, s)))
        {
            var itemWidth = 24 + (item.Label.Length * FontSize * 0.62) + 16;
            if (x > 8 && x + itemWidth > Width - 8)
            {
                x = 8;
                y += 22;
            }

            svg.Append(CultureInfo.InvariantCulture, $"""<rect x="{N(x)}" y="{N(y)}" width="16" height="16" fill="url(#{PageLayout.E(text.Id)}-s{s})" stroke="{Ink}"/>""");
            svg.Append(CultureInfo.InvariantCulture, $"""<text x="{N(x + 22)}" y="{N(y + 12.5)}">{PageLayout.E(item.Label)}</text>""");
            x += itemWidth;
        }

        return (svg.ToString(), y + 16 + 8);
    }

    private static string Bar(ChartText text, int series, string category, string label, double value, double x, double y, double width, double height) =>
        string.Create(CultureInfo.InvariantCulture, $"""<rect x="{N(x)}" y="{N(y)}" width="{N(width)}" height="{N(Math.Max(0, height))}" fill="url(#{PageLayout.E(text.Id)}-s{series})" stroke="#fff" stroke-width="1" data-series="{series}" data-category="{PageLayout.E(category)}" data-value="{Number(value)}"><title>{PageLayout.E(label)}, {PageLayout.E(category)}: {Number(value)}{PageLayout.E(text.Unit)}</title></rect>""");

    /// <summary>A coordinate: invariant, two decimals at most.</summary>
    private static string N(double value) => Math.Round(value, 2).ToString("0.##", CultureInfo.InvariantCulture);
}
