using System.Collections.Concurrent;
using System.Net;
using System.Text.RegularExpressions;
using Intake.Surveys;
using Intake.Tests.Channels.WebForm;
using Intake.Tests.Integration;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Intake.Tests.Agents.AgentApi;

namespace Intake.Tests.Surveys;

/// <summary>
/// The survey's page in a real browser with JavaScript off (Debian's Chromium, the host on Kestrel over Azurite): the
/// browser keeps the link's query when the form posts, so the token never has to be in a path. Skipped where Chromium is
/// not installed; runs with the other browser tests, after the parallel ones.
/// </summary>
[Collection(nameof(BrowserCollection))]
public sealed partial class SurveyPageBrowserTests(AzuriteFixture azurite)
{
    private const string Chromium = "/usr/bin/chromium";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    [GeneratedRegex(@"https://support\.example/\S*")]
    private static partial Regex Link();

    [Fact]
    public async Task A_customer_opens_the_mails_link_and_rates_with_the_token_only_ever_in_the_query()
    {
        if (!File.Exists(Chromium))
        {
            Assert.Skip($"{Chromium} is not installed (apt-get install -y chromium); .ci/run installs it for CI.");
        }

        await using var host = await IntakeHost.StartAsync(azurite, Settings(new() { ["Intake:PublicBaseUrl"] = "https://support.example" }), kestrel: true);
        using var client = host.CreateClient();
        var ticket = await SubmitAsync(client, "How do I change my withdrawal address?", "rate@example.com");
        await WaitForOutboundAsync(client, ticket.TicketId, "acknowledgement");
        Assert.Equal(HttpStatusCode.OK, (await ResolveAsync(client, ticket.TicketId)).Status);
        await WaitForOutboundAsync(client, ticket.TicketId, "survey");
        var link = new Uri(Link().Match(host.SendGrid.Mails.Last(m => m.CustomArg("ticketId") == ticket.TicketId).Text!).Value);
        var token = QueryHelpers.ParseQuery(link.Query)["token"].ToString();
        Assert.NotEmpty(token);

        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = Chromium, Headless = true, Args = ["--no-sandbox"] });
        await using var context = await browser.NewContextAsync(new() { JavaScriptEnabled = false, Locale = "en-US" });
        var page = await context.NewPageAsync();
        var requests = new ConcurrentQueue<(string Method, Uri Url)>();
        page.Request += (_, request) => requests.Enqueue((request.Method, new Uri(request.Url)));

        await page.GotoAsync(new Uri(host.BaseAddress, link.PathAndQuery).ToString());
        await page.GetByLabel("Anything you would like to tell us (optional)").FillAsync("Quick and kind");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send rating: 4" }).ClickAsync();
        await page.GetByRole(AriaRole.Heading, new() { Name = "Thank you" }).WaitForAsync();

        var post = Assert.Single(requests, r => r.Method == "POST");
        Assert.Equal("/api/surveys", post.Url.AbsolutePath);
        Assert.Equal(token, QueryHelpers.ParseQuery(post.Url.Query)["token"].ToString());
        Assert.All(requests, r => Assert.DoesNotContain(token, r.Url.AbsolutePath, StringComparison.Ordinal));
        var survey = await host.Services.GetRequiredService<SurveyStore>().FindForTicketAsync(ticket.TicketId, Cancellation);
        Assert.Equal((4, "Quick and kind"), (survey!.Score, survey.Comment));
    }
}
