using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Intake.Tests.Integration;
using Microsoft.AspNetCore.Mvc.Testing;
using static Intake.Tests.Agents.AgentApi;

namespace Intake.Tests.HelpCenter;

/// <summary>
/// Help-center articles in the acknowledgement, and the link that closes the ticket when one solved the problem, through
/// the real host over Azurite (Development: the example catalogue), mail through the fake SendGrid.
/// </summary>
public sealed partial class SelfServeTests(AzuriteFixture azurite)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    internal static Dictionary<string, string> HelpSettings() => Settings(new() { ["Intake:PublicBaseUrl"] = "https://support.example" });

    [GeneratedRegex(@"https://support\.example(/support/solved/T-[A-Z2-9]{6}\?token=\S+)")]
    internal static partial Regex SolvedLink();

    internal static async Task<(string TicketId, string Text)> AcknowledgedAsync(IntakeHost host, HttpClient client, string message, string email)
    {
        var accepted = await SubmitAsync(client, message, email);
        await WaitForOutboundAsync(client, accepted.TicketId, "acknowledgement");
        return (accepted.TicketId, host.SendGrid.Mails.Single(m => m.CustomArg("ticketId") == accepted.TicketId).Text!);
    }

    [Fact]
    public async Task A_deposit_question_gets_articles_and_a_link_whose_page_changes_nothing_until_its_button_closes_the_ticket()
    {
        await using var host = await IntakeHost.StartAsync(azurite, HelpSettings());
        using var client = host.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var (id, text) = await AcknowledgedAsync(host, client, "My USDT deposit has not been credited after two hours", "dep@example.com");

        Assert.Contains("These articles may answer your question right away:", text, StringComparison.Ordinal);
        Assert.Contains("- Why hasn't my deposit arrived yet?\n  https://help.exchange.example/en/articles/deposit-not-credited", text, StringComparison.Ordinal);
        var link = SolvedLink().Match(text).Groups[1].Value;
        Assert.NotEmpty(link);

        // The thread keeps the text without the link's token.
        var stored = await GetAsync(client, id);
        var kept = stored.Json.GetProperty("messages").EnumerateArray().Last().GetProperty("text").GetString()!;
        Assert.Contains("[close ticket link]", kept, StringComparison.Ordinal);
        Assert.DoesNotContain("token=", kept, StringComparison.Ordinal);

        // A mail scanner opening the link changes nothing.
        using var page = await client.GetAsync(new Uri(link, UriKind.Relative), Cancellation);
        var html = await page.Content.ReadAsStringAsync(Cancellation);
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Contains("<h1>Close your ticket?</h1>", html, StringComparison.Ordinal);
        Assert.Contains("<form method=\"post\"", html, StringComparison.Ordinal);
        Assert.Equal("new", (await GetAsync(client, id)).String("status"));

        using var closed = await client.PostAsync(new Uri(link, UriKind.Relative), new FormUrlEncodedContent([]), Cancellation);
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
        Assert.Contains("<h1>Your ticket is closed</h1>", await closed.Content.ReadAsStringAsync(Cancellation), StringComparison.Ordinal);
        var resolved = await GetAsync(client, id);
        Assert.Equal("resolved", resolved.String("status"));
        Assert.Contains(resolved.Json.GetProperty("events").EnumerateArray(), e => e.GetProperty("action").GetString() == "self_served" && e.GetProperty("agent").GetString() == "customer");

        // Pressed again: it says so, and counts nothing twice.
        using var again = await client.PostAsync(new Uri(link, UriKind.Relative), new FormUrlEncodedContent([]), Cancellation);
        Assert.Contains("<h1>This ticket is already resolved</h1>", await again.Content.ReadAsStringAsync(Cancellation), StringComparison.Ordinal);

        var report = await SendAsync(client, HttpMethod.Get, "/api/metrics/deflection");
        Assert.Equal(HttpStatusCode.OK, report.Status);
        var total = report.Json.GetProperty("total");
        Assert.Equal((1, 1, 1.0), (total.GetProperty("acknowledgementsWithArticles").GetInt32(), total.GetProperty("selfServed").GetInt32(), total.GetProperty("rate").GetDouble()));
        var deposit = Assert.Single(report.Json.GetProperty("byCategory").EnumerateArray());
        Assert.Equal("deposit", deposit.GetProperty("key").GetString());
        Assert.Equal("en", Assert.Single(report.Json.GetProperty("byLanguage").EnumerateArray()).GetProperty("key").GetString());
    }

    [Fact]
    public async Task The_articles_and_the_confirm_page_speak_the_customers_language()
    {
        await using var host = await IntakeHost.StartAsync(azurite, HelpSettings());
        using var client = host.CreateClient();
        var (_, text) = await AcknowledgedAsync(host, client, "Мой депозит USDT не зачислен уже два часа, помогите пожалуйста", "ru@example.com");

        Assert.Contains("https://help.exchange.example/ru/articles/deposit-not-credited", text, StringComparison.Ordinal);
        using var page = await client.GetAsync(new Uri(SolvedLink().Match(text).Groups[1].Value, UriKind.Relative), Cancellation);
        Assert.Contains("<html lang=\"ru\">", await page.Content.ReadAsStringAsync(Cancellation), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_security_ticket_gets_no_articles_and_no_close_link()
    {
        await using var host = await IntakeHost.StartAsync(azurite, HelpSettings());
        using var client = host.CreateClient();
        var (_, text) = await AcknowledgedAsync(host, client, "Someone logged into my account and withdrew all my BTC, I did not do this", "sec@example.com");

        Assert.DoesNotContain("articles", text, StringComparison.Ordinal);
        Assert.DoesNotContain("/support/solved/", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_deflection_report_needs_the_api_key_and_a_sound_range()
    {
        await using var host = await IntakeHost.StartAsync(azurite, HelpSettings());
        using var client = host.CreateClient();

        Assert.Equal(HttpStatusCode.Unauthorized, (await SendAsync(client, HttpMethod.Get, "/api/metrics/deflection", key: null)).Status);
        var bad = await SendAsync(client, HttpMethod.Get, "/api/metrics/deflection?from=2026-01-01&to=2026-12-31");
        Assert.Equal(HttpStatusCode.BadRequest, bad.Status);
        Assert.Equal(JsonValueKind.Array, bad.Json.GetProperty("errors").GetProperty("from").ValueKind);
    }
}
