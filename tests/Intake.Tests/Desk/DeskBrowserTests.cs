using System.Net;
using System.Text.RegularExpressions;
using Intake.Tests.Channels.WebForm;
using Intake.Tests.Integration;
using Intake.Tests.Web.Pages;
using Microsoft.Playwright;
using static Intake.Tests.Agents.AgentApi;

namespace Intake.Tests.Desk;

/// <summary>
/// The desk in a real browser with JavaScript off (Debian's Chromium driven by Playwright, the host on Kestrel over
/// Azurite), in English and in simplified Chinese: sign-in and its lockout, the queue, a reply, a resolve that meets a
/// change made meanwhile, blocking and unblocking, the dashboard; every page passes axe-core's WCAG A and AA rules
/// (<see cref="Axe"/>). Skipped where Chromium is not installed; runs with the other browser tests, after the parallel ones.
/// </summary>
[Collection(nameof(BrowserCollection))]
public sealed class DeskBrowserTests(AzuriteFixture azurite)
{
    private const string Chromium = "/usr/bin/chromium";

    [Fact]
    public async Task An_agent_signs_in_past_a_lockout_works_a_ticket_meets_a_conflict_blocks_a_contact_and_reads_the_dashboard()
    {
        if (!File.Exists(Chromium))
        {
            Assert.Skip($"{Chromium} is not installed (apt-get install -y chromium); .ci/run installs it for CI.");
        }

        await using var host = await IntakeHost.StartAsync(azurite, Settings(new() { ["Desk:MaxFailedSignIns"] = "3" }), kestrel: true);
        using var client = host.CreateClient();
        var theft = await SubmitAsync(client, "Someone logged into my account and withdrew all my BTC, it was not me!", email: "victim@example.com");
        var spam = await SubmitAsync(client, "Buy followers cheap, visit our site", email: "spammer@example.com");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        await using var context = await browser.NewContextAsync(new() { JavaScriptEnabled = false, Locale = "en-US" });
        var page = await context.NewPageAsync();
        await using var axe = await Axe.StartAsync(browser);
        var checkedPages = new List<(string Page, IReadOnlyList<AxeViolation> Violations)>();
        async Task CheckAsync(string name) => checkedPages.Add((name, await axe.CheckAsync(page)));

        // Sign-in: the queue sends a stranger there; three wrong keys lock Ana's name, whatever key comes next.
        await page.GotoAsync(new Uri(host.BaseAddress, "/desk").ToString());
        Assert.EndsWith("/desk/sign-in", page.Url, StringComparison.Ordinal);
        await CheckAsync("sign-in");
        for (var i = 0; i < 3; i++)
        {
            await SignInAsync(page, "Ana", "a-wrong-key-for-ana-00000000000000000");
        }

        Assert.Contains("locked until", await page.GetByRole(AriaRole.Alert).InnerTextAsync(), StringComparison.Ordinal);
        await SignInAsync(page, "Ana", KeyOf("Ana"));
        Assert.Contains("locked until", await page.GetByRole(AriaRole.Alert).InnerTextAsync(), StringComparison.Ordinal);
        await CheckAsync("sign-in, locked");

        await SignInAsync(page, "Mei", ApiKey);
        await page.WaitForURLAsync(new Regex("/desk$"), new() { WaitUntil = WaitUntilState.Commit });
        Assert.Equal("Queue", await page.Locator("h1").InnerTextAsync());
        var rows = page.Locator("tbody tr");
        Assert.Equal(theft.Reference, await rows.First.Locator("th a").InnerTextAsync());
        Assert.Contains("first response due in", await rows.First.InnerTextAsync(), StringComparison.Ordinal);
        await CheckAsync("queue");

        // A reply from the ticket page.
        await page.GetByRole(AriaRole.Link, new() { Name = theft.Reference, Exact = true }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/desk/tickets/"), new() { WaitUntil = WaitUntilState.Commit });
        await CheckAsync("ticket");
        await page.GetByLabel(new Regex("^Your reply")).FillAsync("We have frozen your account; a specialist is on your case.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send reply" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("done=reply$"), new() { WaitUntil = WaitUntilState.Commit });
        Assert.Contains("Your reply is recorded", await page.GetByRole(AriaRole.Status).First.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("We have frozen your account", await page.Locator("ol.thread").InnerTextAsync(), StringComparison.Ordinal);

        // Sam changes the ticket while Mei's page is open: her resolve is a conflict and saves nothing.
        Assert.Equal(HttpStatusCode.OK, (await PatchAsync(client, theft.TicketId, new { agent = "Sam", category = "account_access" })).Status);
        await page.GetByRole(AriaRole.Button, new() { Name = "Resolve" }).ClickAsync();
        Assert.Contains("Someone else changed this ticket", await page.GetByRole(AriaRole.Alert).InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("open", (await GetAsync(client, theft.TicketId)).String("status"));
        await CheckAsync("ticket, conflict");
        await page.GetByRole(AriaRole.Button, new() { Name = "Resolve" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("done=resolve$"), new() { WaitUntil = WaitUntilState.Commit });
        Assert.Equal("resolved", (await GetAsync(client, theft.TicketId)).String("status"));

        // Blocking the spammer: their next message opens no ticket and shows on the blocked list.
        await page.GotoAsync(new Uri(host.BaseAddress, "/desk/tickets/" + spam.TicketId).ToString());
        await page.GetByLabel("Reason (spam, abuse…)").FillAsync("advertising");
        await page.GetByRole(AriaRole.Button, new() { Name = "Block contact" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("done=blocked$"), new() { WaitUntil = WaitUntilState.Commit });
        var tickets = await host.CountTicketsAsync();
        await SubmitAsync(client, "Buy followers cheap, second offer", email: "spammer@example.com");
        Assert.Equal(tickets, await host.CountTicketsAsync());
        await page.GetByRole(AriaRole.Link, new() { Name = "Blocked contacts" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/desk/blocked$"), new() { WaitUntil = WaitUntilState.Commit });
        var blocked = await page.Locator("tbody").InnerTextAsync();
        Assert.Contains("spammer@example.com", blocked, StringComparison.Ordinal);
        Assert.Contains("advertising", blocked, StringComparison.Ordinal);
        Assert.Contains("1 blocked", blocked, StringComparison.Ordinal);
        await CheckAsync("blocked contacts");
        await page.GetByRole(AriaRole.Button, new() { Name = "Unblock" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("done=unblocked$"), new() { WaitUntil = WaitUntilState.Commit });
        Assert.Contains("No contact is blocked.", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);

        // The dashboard: a chart and its table for each figure.
        await page.GetByRole(AriaRole.Link, new() { Name = "Dashboard" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/desk/dashboard$"), new() { WaitUntil = WaitUntilState.Commit });
        Assert.True(await page.Locator("figure svg[role=img]").CountAsync() >= 4);
        Assert.Equal(await page.Locator("figure").CountAsync(), await page.Locator("section table").CountAsync());
        await CheckAsync("dashboard");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/desk/sign-in$"), new() { WaitUntil = WaitUntilState.Commit });
        await page.GotoAsync(new Uri(host.BaseAddress, "/desk").ToString());
        Assert.EndsWith("/desk/sign-in", page.Url, StringComparison.Ordinal);
        Assert.True(checkedPages.All(p => p.Violations.Count == 0), "axe-core found violations:\n" + Axe.Describe(checkedPages));
    }

    [Fact]
    public async Task The_desk_in_simplified_chinese_from_sign_in_to_the_dashboard()
    {
        if (!File.Exists(Chromium))
        {
            Assert.Skip($"{Chromium} is not installed (apt-get install -y chromium); .ci/run installs it for CI.");
        }

        await using var host = await IntakeHost.StartAsync(azurite, Settings(), kestrel: true);
        using var client = host.CreateClient();
        var accepted = await SubmitAsync(client, "我的提币三个小时还没到账，交易哈希 0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060", email: "lin@example.com");
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        await using var context = await browser.NewContextAsync(new() { JavaScriptEnabled = false, Locale = "zh-CN" });
        var page = await context.NewPageAsync();
        await using var axe = await Axe.StartAsync(browser);
        var checkedPages = new List<(string Page, IReadOnlyList<AxeViolation> Violations)>();

        await page.GotoAsync(new Uri(host.BaseAddress, "/desk/sign-in").ToString());
        Assert.Equal("zh-Hans", await page.GetAttributeAsync("html", "lang"));
        Assert.Equal("登录客服台", await page.Locator("h1").InnerTextAsync());
        await page.GetByLabel("客服名称").FillAsync("Mei");
        await page.GetByLabel("客服密钥").FillAsync(ApiKey);
        await page.GetByRole(AriaRole.Button, new() { Name = "登录" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/desk$"), new() { WaitUntil = WaitUntilState.Commit });
        Assert.Equal("工单队列", await page.Locator("h1").InnerTextAsync());
        checkedPages.Add(("zh-Hans queue", await axe.CheckAsync(page)));

        await page.GetByRole(AriaRole.Link, new() { Name = accepted.Reference, Exact = true }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/desk/tickets/"), new() { WaitUntil = WaitUntilState.Commit });
        Assert.Contains("以太坊或其他 EVM 链", await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        checkedPages.Add(("zh-Hans ticket", await axe.CheckAsync(page)));

        await page.GetByRole(AriaRole.Link, new() { Name = "数据看板" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("/desk/dashboard$"), new() { WaitUntil = WaitUntilState.Commit });
        Assert.Equal("zh-Hans", await page.GetAttributeAsync("html", "lang"));
        Assert.NotEqual("Support dashboard", await page.Locator("h1").InnerTextAsync());
        checkedPages.Add(("zh-Hans dashboard", await axe.CheckAsync(page)));

        // The switcher: English on request, and remembered.
        await page.GetByRole(AriaRole.Link, new() { Name = "English" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("lang=en$"), new() { WaitUntil = WaitUntilState.Commit });
        Assert.Equal("en", await page.GetAttributeAsync("html", "lang"));
        await page.GotoAsync(new Uri(host.BaseAddress, "/desk").ToString());
        Assert.Equal("Queue", await page.Locator("h1").InnerTextAsync());
        Assert.True(checkedPages.All(p => p.Violations.Count == 0), "axe-core found violations:\n" + Axe.Describe(checkedPages));
    }

    private static async Task SignInAsync(IPage page, string name, string key)
    {
        await page.GetByLabel("Agent name").FillAsync(name);
        await page.GetByLabel("Agent key").FillAsync(key);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForFunctionAsync("document.readyState !== 'loading'", null, new() { PollingInterval = 50 });
    }
}
