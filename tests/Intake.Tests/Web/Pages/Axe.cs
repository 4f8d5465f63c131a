using System.Text;
using System.Text.Json;
using Intake.Server.Storage;
using Microsoft.Playwright;

namespace Intake.Tests.Web.Pages;

/// <summary>One rule axe-core found broken on a page, with the elements that break it.</summary>
internal sealed record AxeViolation(string Id, string? Impact, string Help, IReadOnlyList<string> Targets)
{
    public override string ToString() => $"{Id} ({Impact ?? "no impact"}): {Help}" + string.Concat(Targets.Select(t => "\n    at " + t));
}

/// <summary>
/// axe-core, pinned in the repository's package.json, run on what a page shows: WCAG 2.0 and 2.1 A and AA and WCAG 2.2 AA.
/// The browser tests keep JavaScript off, and there axe cannot finish (a page without script runs no timers, and axe waits
/// on them); the pages have no script of their own, so a second page with JavaScript on is served the same markup at the
/// same address and at the same size, and axe runs there.
/// </summary>
internal sealed class Axe : IAsyncDisposable
{
    public static IReadOnlyList<string> Tags { get; } = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"];

    private static readonly Lazy<string> Source = new(() =>
    {
        var root = Azurite.FindRepositoryRoot(AppContext.BaseDirectory)
            ?? throw new InvalidOperationException($"No package.json with azurite above {AppContext.BaseDirectory}.");
        var path = Path.Combine(root, "node_modules", "axe-core", "axe.min.js");
        return File.Exists(path)
            ? File.ReadAllText(path)
            : throw new InvalidOperationException($"{path} is missing: run npm ci in {root}, with no Azurite running from it (package.json pins axe-core).");
    });

    private const string Run = """
        async tags => {
            const results = await axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] });
            return results.violations.map(v => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                targets: v.nodes.map(n => n.target.join(' ') + ': ' + (n.failureSummary || '').replace(/\s+/g, ' ')),
            }));
        }
        """;

    private readonly IBrowserContext context;
    private readonly IPage page;
    private string markup = "";

    private Axe(IBrowserContext context, IPage page)
    {
        this.context = context;
        this.page = page;
    }

    /// <summary>A page with JavaScript on in <paramref name="browser"/>, which answers every request with the markup to check.</summary>
    public static async Task<Axe> StartAsync(IBrowser browser)
    {
        ArgumentNullException.ThrowIfNull(browser);
        var context = await browser.NewContextAsync(new() { JavaScriptEnabled = true });
        var axe = new Axe(context, await context.NewPageAsync());
        await context.RouteAsync("**/*", route => route.FulfillAsync(new() { Status = 200, ContentType = "text/html; charset=utf-8", Body = axe.markup }));
        return axe;
    }

    /// <summary>The violations on <paramref name="shown"/> as it is now; empty when it passes.</summary>
    public async Task<IReadOnlyList<AxeViolation>> CheckAsync(IPage shown)
    {
        ArgumentNullException.ThrowIfNull(shown);
        markup = await shown.ContentAsync();
        if (shown.ViewportSize is { } size)
        {
            await page.SetViewportSizeAsync(size.Width, size.Height);
        }

        await page.GotoAsync(shown.Url);
        await page.EvaluateAsync(Source.Value);
        var violations = await page.EvaluateAsync<JsonElement>(Run, Tags);
        return
        [
            .. violations.EnumerateArray().Select(v => new AxeViolation(
                v.GetProperty("id").GetString()!,
                v.GetProperty("impact").ValueKind == JsonValueKind.String ? v.GetProperty("impact").GetString() : null,
                v.GetProperty("help").GetString()!,
                [.. v.GetProperty("targets").EnumerateArray().Select(t => t.GetString()!)])),
        ];
    }

    /// <summary>Every violation of every page checked, one page a paragraph, for a failure message.</summary>
    public static string Describe(IEnumerable<(string Page, IReadOnlyList<AxeViolation> Violations)> pages)
    {
        var text = new StringBuilder();
        foreach (var (name, violations) in pages.Where(p => p.Violations.Count > 0))
        {
            text.Append(name).Append(":\n");
            foreach (var violation in violations)
            {
                text.Append("  ").Append(violation).Append('\n');
            }
        }

        return text.ToString();
    }

    public ValueTask DisposeAsync() => context.DisposeAsync();
}
