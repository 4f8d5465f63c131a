using System.Text.RegularExpressions;
using Intake.Tests.Integration;
using Intake.Tests.Web.Pages;
using Microsoft.Playwright;

namespace Intake.Tests.Channels.WebForm;

/// <summary>
/// The form in a real browser with JavaScript off: Debian's Chromium driven by Playwright, the host on Kestrel over
/// Azurite. Skipped where Chromium is not installed (<c>.ci/run</c> installs it). They run on their own, after the
/// parallel tests: a browser, a host and Azurite sharing two cores with a thousand other tests once waited past
/// Playwright's 30 s for a page.
/// </summary>
[Collection(nameof(BrowserCollection))]
public sealed partial class SupportPagesBrowserTests(AzuriteFixture azurite)
{
    private const string Chromium = "/usr/bin/chromium";
    private const string Password = "Hunter2-Secret!";

    [Fact]
    public async Task A_customer_without_javascript_corrects_an_error_sends_the_form_and_lands_on_the_status_page()
    {
        if (!File.Exists(Chromium))
        {
            Assert.Skip($"{Chromium} is not installed (apt-get install -y chromium); .ci/run installs it for CI.");
        }

        await using var host = await IntakeHost.StartAsync(azurite, kestrel: true);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        await using var context = await browser.NewContextAsync(new() { JavaScriptEnabled = false, Locale = "zh-TW" });
        var page = await context.NewPageAsync();

        await page.GotoAsync(new Uri(host.BaseAddress, "/support").ToString());
        Assert.Equal("zh-Hant", await page.GetAttributeAsync("html", "lang"));
        await page.GetByLabel("電子郵件").FillAsync("lin@example.com");
        await page.GetByRole(AriaRole.Button, new() { Name = "送出" }).ClickAsync();

        var alert = page.GetByRole(AriaRole.Alert);
        Assert.Contains("請填寫您的訊息。", await alert.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("lin@example.com", await page.GetByLabel("電子郵件").InputValueAsync());
        Assert.Equal("true", await page.GetByLabel("您的訊息").GetAttributeAsync("aria-invalid"));

        await page.GetByLabel("您的訊息").FillAsync($"我的提幣已經三個小時還沒到帳\n密碼是 {Password}");
        await page.GetByRole(AriaRole.Button, new() { Name = "送出" }).ClickAsync();
        await page.WaitForDocumentAsync(StatusPage());

        Assert.Matches("^工單 T-[A-Z2-9]{6}$", await page.Locator("h1").InnerTextAsync());
        var text = await page.Locator("main").InnerTextAsync();
        Assert.Contains("我的提幣已經三個小時還沒到帳\n密碼是 [REDACTED:password]", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Password, await page.ContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_customer_sends_the_english_form_and_sees_the_reference_on_the_status_page()
    {
        if (!File.Exists(Chromium))
        {
            Assert.Skip($"{Chromium} is not installed (apt-get install -y chromium); .ci/run installs it for CI.");
        }

        await using var host = await IntakeHost.StartAsync(azurite, kestrel: true);
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        await using var context = await browser.NewContextAsync(new() { JavaScriptEnabled = false, Locale = "en-US" });
        var page = await context.NewPageAsync();

        await page.GotoAsync(new Uri(host.BaseAddress, "/support").ToString());
        Assert.Equal("en", await page.GetAttributeAsync("html", "lang"));
        await page.GetByLabel("Email").FillAsync("sam@example.com");
        await page.GetByLabel("Your message").FillAsync($"My deposit of 500 USDT is not credited. password: {Password}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send" }).ClickAsync();
        await page.WaitForDocumentAsync(StatusPage());

        Assert.Matches("^Ticket T-[A-Z2-9]{6}$", await page.Locator("h1").InnerTextAsync());
        Assert.Contains("password: [REDACTED:password]", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        Assert.DoesNotContain(Password, await page.ContentAsync(), StringComparison.Ordinal);
    }

    [GeneratedRegex(@"/support/status/T-[A-Z2-9]{6}\?token=[0-9]+\.[A-Za-z0-9_-]+$")]
    private static partial Regex StatusPage();
}

[CollectionDefinition(DisableParallelization = true)]
public sealed class BrowserCollection;
