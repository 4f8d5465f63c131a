using System.Net;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Intake.Channels.WebForm;
using Intake.Surveys;
using Intake.Tests.Channels.WebForm;
using Intake.Tests.Integration;
using Microsoft.Playwright;
using static Intake.Tests.Agents.AgentApi;

namespace Intake.Tests.Web.Pages;

/// <summary>
/// The customer's pages in every language, in a real browser with JavaScript off (Debian's Chromium, the host on Kestrel
/// over Azurite): the support form, its error state, the status page and its error state after a real submission, and
/// the survey page of the ticket once resolved through the agent API. Each is in its language and passes axe-core's
/// WCAG 2.0/2.1 A and AA and 2.2 AA rules (run on the same markup in a page with JavaScript on: <see cref="Axe"/>). What
/// axe does not measure is checked beside it: the error summary has the focus, every page reflows at 320 px, the
/// survey's scale is one row of 44-px buttons on a 375-px phone, the language links are 44 px tall, and Chinese,
/// Japanese and Korean text asks for its own language's typeface. One host, one browser and one page for all ten
/// languages. Skipped where Chromium is not installed; runs with the other browser tests, after the parallel ones.
/// </summary>
[Collection(nameof(BrowserCollection))]
public sealed partial class PagesAccessibilityBrowserTests(AzuriteFixture azurite)
{
    private const string Chromium = "/usr/bin/chromium";

    /// <summary>The ten languages triage detects and the pages speak.</summary>
    private static readonly string[] Languages = ["en", "zh-Hans", "zh-Hant", "ru", "es", "pt", "tr", "vi", "ko", "ja"];

    /// <summary>WCAG 2.5.5's target size, which we aim for (2.2's 2.5.8 asks for 24 px).</summary>
    private const float Target = 44;

    /// <summary>The first typeface each CJK language asks for, which no other of them names (Han characters differ by language).</summary>
    private static readonly Dictionary<string, string> CjkTypefaces = new()
    {
        ["zh-Hans"] = "PingFang SC", ["zh-Hant"] = "PingFang TC", ["ja"] = "Hiragino Sans", ["ko"] = "Apple SD Gothic Neo",
    };

    /// <summary>Playwright's default viewport, which the pages are checked at apart from the narrow checks.</summary>
    private static readonly (int Width, int Height) Desktop = (1280, 720);

    [GeneratedRegex(@"/support/status/(T-[A-Z2-9]{6})\?token=[0-9]+\.[A-Za-z0-9_-]+$")]
    private static partial Regex StatusPage();

    [GeneratedRegex(@"http://127\.0\.0\.1:[0-9]+(/api/surveys\?token=\S+)")]
    private static partial Regex SurveyLink();

    [Fact]
    public async Task Every_page_in_every_language_is_in_that_language_and_passes_axe_with_its_errors_focused_and_its_targets_44_px()
    {
        if (!File.Exists(Chromium))
        {
            Assert.Skip($"{Chromium} is not installed (apt-get install -y chromium); .ci/run installs it for CI.");
        }

        Assert.Equal(Languages, PageTexts.All.Select(t => t.Code));
        // The links in our mail and the form's redirect point at the public address; the form may only post to its own
        // origin (form-action 'self', which covers redirects), so here that address is the host's.
        var port = FreePort();
        await using var host = await IntakeHost.StartAsync(azurite, Settings(new() { ["Intake:PublicBaseUrl"] = $"http://127.0.0.1:{port}" }), kestrel: true, port: port);
        using var client = host.CreateClient();
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        await using var context = await browser.NewContextAsync(new()
        {
            JavaScriptEnabled = false, Locale = "en-US", ViewportSize = new() { Width = Desktop.Width, Height = Desktop.Height },
        });
        var page = await context.NewPageAsync();
        await using var axe = await Axe.StartAsync(browser);
        var checkedPages = new List<(string Page, IReadOnlyList<AxeViolation> Violations)>();

        // The page is in its language (its own heading, not English's), reflows on the narrowest screen, and passes axe.
        async Task CheckAsync(string language, string name, string heading, string englishHeading)
        {
            Assert.Equal(language, await page.GetAttributeAsync("html", "lang"));
            Assert.Equal(heading, await page.Locator("h1").InnerTextAsync());
            if (language != "en")
            {
                Assert.NotEqual(englishHeading, heading);
            }

            await AssertReflowsAsync(page, $"{language} {name}");
            checkedPages.Add(($"{language} {name}", await axe.CheckAsync(page)));
        }

        var english = PageTexts.English;
        var tickets = new Dictionary<string, string>();
        foreach (var language in Languages)
        {
            var t = PageTexts.ForTicket(language);
            await page.GotoAsync(new Uri(host.BaseAddress, "/support?lang=" + language).ToString());
            await CheckAsync(language, "form", t.FormTitle, english.FormTitle);
            await AssertLanguageLinksAreTargetsAsync(page);
            await AssertEachLanguageIsInItsTypefaceAsync(page, language);

            var email = $"a11y-{language.ToLowerInvariant()}@example.com";
            await page.Locator("#email").FillAsync(email);
            await page.Locator("#reply_language").SelectOptionAsync(language);
            await page.Locator("form button[type=submit]").ClickAsync();
            await CheckAsync(language, "form with an error", t.FormTitle, english.FormTitle);
            await Assertions.Expect(page.Locator(".errors")).ToBeFocusedAsync();
            Assert.Equal("true", await page.Locator("#message").GetAttributeAsync("aria-invalid"));

            await page.Locator("#message").FillAsync("My deposit of 500 USDT has not arrived after three hours.");
            await page.Locator("form button[type=submit]").ClickAsync();
            await page.WaitForDocumentAsync(StatusPage());
            var reference = StatusPage().Match(page.Url).Groups[1].Value;
            await CheckAsync(language, "status page", t.StatusTitle(reference), english.StatusTitle(reference));
            await AssertLanguageLinksAreTargetsAsync(page);

            await page.Locator("form button[type=submit]").ClickAsync();
            await CheckAsync(language, "status page with an error", t.StatusTitle(reference), english.StatusTitle(reference));
            await Assertions.Expect(page.Locator(".errors")).ToBeFocusedAsync();
            Assert.Equal("true", await page.Locator("#message").GetAttributeAsync("aria-invalid"));
            tickets[language] = email;
        }

        // Resolved through the agent API, each ticket's survey goes out by mail with the link the customer opens.
        var surveys = await Task.WhenAll(Languages.Select(async language =>
        {
            var email = tickets[language];
            var acknowledgement = await IntakeHost.WaitForAsync(
                () => Task.FromResult(host.SendGrid.Mails.FirstOrDefault(m => m.ToEmail == email && m.CustomArg("ticketId") is not null)),
                $"the acknowledgement to {email}");
            var id = acknowledgement.CustomArg("ticketId")!;
            await WaitForOutboundAsync(client, id, "acknowledgement");
            Assert.Equal(HttpStatusCode.OK, (await ResolveAsync(client, id)).Status);
            await WaitForOutboundAsync(client, id, "survey");
            var mail = host.SendGrid.Mails.Single(m => m.CustomArg("ticketId") == id && SurveyLink().IsMatch(m.Text ?? ""));
            return (Language: language, Link: SurveyLink().Match(mail.Text!).Groups[1].Value);
        }));

        foreach (var (language, link) in surveys)
        {
            await page.GotoAsync(new Uri(host.BaseAddress, link).ToString());
            await CheckAsync(language, "survey page", SurveyTexts.For(language).PageTitle, SurveyTexts.English.PageTitle);
            await page.SetViewportSizeAsync(375, 812);
            await AssertScaleIsOneRowOfTargetsAsync(page);
            checkedPages.Add(($"{language} survey page on a 375-px phone", await axe.CheckAsync(page)));
            await page.SetViewportSizeAsync(Desktop.Width, Desktop.Height);
        }

        Assert.True(checkedPages.All(p => p.Violations.Count == 0), "axe-core found violations:\n" + Axe.Describe(checkedPages));
        Assert.Equal(Languages.Length * 6, checkedPages.Count);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>WCAG 1.4.10: at 320 CSS px (a 1280-px screen zoomed to 400 %) nothing needs scrolling sideways.</summary>
    private static async Task AssertReflowsAsync(IPage page, string name)
    {
        await page.SetViewportSizeAsync(320, 640);
        var (scroll, client) = (await page.EvaluateAsync<int>("document.documentElement.scrollWidth"), await page.EvaluateAsync<int>("document.documentElement.clientWidth"));
        await page.SetViewportSizeAsync(Desktop.Width, Desktop.Height);
        Assert.True(scroll <= client, $"{name} is {scroll} px wide at 320 px.");
    }

    private static async Task AssertLanguageLinksAreTargetsAsync(IPage page)
    {
        var links = await page.Locator("nav a").AllAsync();
        Assert.Equal(Languages.Length, links.Count);
        foreach (var link in links)
        {
            var box = await link.BoundingBoxAsync();
            Assert.True(box is { Height: >= Target }, $"The language link {await link.InnerTextAsync()} is {box?.Height} px tall.");
        }
    }

    /// <summary>The heading in the page's language and each name in the switcher in its own: a CJK one in that language's typeface.</summary>
    private static async Task AssertEachLanguageIsInItsTypefaceAsync(IPage page, string language)
    {
        var texts = await page.Locator("h1, nav a").EvaluateAllAsync<string[][]>(
            "elements => elements.map(e => [e.closest('[lang]').lang, getComputedStyle(e).fontFamily, e.localName])");
        Assert.Equal(Languages.Length + 1, texts.Length);
        Assert.Equal(language, Assert.Single(texts, text => text[2] == "h1")[0]);
        foreach (var text in texts)
        {
            var (lang, family) = (text[0], text[1]);
            var others = CjkTypefaces.Where(f => f.Key != lang).Select(f => f.Value);
            var named = !CjkTypefaces.TryGetValue(lang, out var own) || family.Contains(own, StringComparison.Ordinal);
            Assert.True(named && !others.Any(o => family.Contains(o, StringComparison.Ordinal)), $"Text in {lang} asks for {family}.");
        }
    }

    private static async Task AssertScaleIsOneRowOfTargetsAsync(IPage page)
    {
        var buttons = await page.Locator(".scale button").AllAsync();
        Assert.Equal(5, buttons.Count);
        var boxes = new List<LocatorBoundingBoxResult>();
        foreach (var button in buttons)
        {
            boxes.Add((await button.BoundingBoxAsync())!);
        }

        Assert.All(boxes, box => Assert.True(box.Width >= Target && box.Height >= Target, $"A score button is {box.Width}×{box.Height} px."));
        Assert.All(boxes, box => Assert.Equal(boxes[0].Y, box.Y, 0.5));
        Assert.True(boxes.Zip(boxes.Skip(1)).All(pair => pair.First.X < pair.Second.X), "The scores are not left to right.");
    }
}
