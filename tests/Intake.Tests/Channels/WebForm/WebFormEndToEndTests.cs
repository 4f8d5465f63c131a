using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Intake.Channels.WebForm;
using Intake.Outbound;
using Intake.Tests.Integration;
using Intake.Tickets;
using Intake.Triage;
using Microsoft.Extensions.DependencyInjection;

namespace Intake.Tests.Channels.WebForm;

/// <summary>The web form through the real host: Azurite for storage and queues, the real SendGrid client against a fake.</summary>
public sealed class WebFormEndToEndTests(AzuriteFixture azurite)
{
    private static readonly Uri Submit = new("/api/intake/web", UriKind.Relative);
    private const string Password = "Hunter2-Secret!";

    [Fact]
    public async Task A_submission_is_stored_redacted_queued_and_acknowledged_by_email_in_the_customers_language()
    {
        await using var host = await IntakeHost.StartAsync(azurite);
        using var client = host.CreateClient();

        using var response = await client.PostAsJsonAsync(Submit, new
        {
            message = $"我的账户被冻结了,无法登录。密码是 {Password}",
            name = "王小明",
            email = "xiaoming@example.com",
            subject = "账户问题",
        }, TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = (await response.Content.ReadFromJsonAsync<WebFormAccepted>(TestContext.Current.CancellationToken))!;
        Assert.Matches("^T-[A-Z2-9]{6}$", accepted.Reference);
        Assert.Contains($"/support/status/{accepted.Reference}?token=", accepted.StatusUrl, StringComparison.Ordinal);
        Assert.Equal(accepted.StatusUrl, response.Headers.Location?.ToString());

        var store = host.Services.GetRequiredService<TicketStore>();
        var ticket = (await store.GetAsync(accepted.TicketId, TestContext.Current.CancellationToken))!.Ticket;
        Assert.Equal("zh-Hans", ticket.Language);
        Assert.Equal(TicketCategory.AccountAccess, ticket.Category);
        Assert.Equal(Urgency.Urgent, ticket.Urgency);
        var stored = (await store.GetMessagesAsync(ticket.Id, TestContext.Current.CancellationToken))[0];
        Assert.False(stored.Text.Contains(Password, StringComparison.Ordinal), "the password was stored");

        var mail = await IntakeHost.WaitForAsync(() => Task.FromResult(host.SendGrid.Mails.Count > 0 ? host.SendGrid.Mails[0] : null), "the acknowledgement email");
        Assert.Equal("xiaoming@example.com", mail.ToEmail);
        Assert.Equal($"[{accepted.Reference}] 我们已收到您的消息", mail.Subject);
        Assert.Contains("15 分钟", mail.Text, StringComparison.Ordinal);
        Assert.Contains("请立即修改该密码", mail.Text, StringComparison.Ordinal);
        Assert.Equal("auto-replied", mail.MailHeader("Auto-Submitted"));
        Assert.Equal(ticket.Id, mail.CustomArg("ticketId"));
        Assert.False(mail.Body.Contains(Password, StringComparison.Ordinal), "the password went out in the email");

        var outbound = await IntakeHost.WaitForAsync(
            async () => (await host.Services.GetRequiredService<OutboundLog>().ListAsync(ticket.Id, TestContext.Current.CancellationToken)).FirstOrDefault(o => o.Status == OutboundStatus.Sent),
            "the outbound record marked sent");
        Assert.Equal($"<{outbound.ProviderMessageId}>", mail.MailHeader("Message-ID"));
        Assert.Equal(ticket.Id, (await store.FindByProviderMessageAsync("email", outbound.ProviderMessageId!, TestContext.Current.CancellationToken))?.Ticket.Id);
    }

    [Fact]
    public async Task With_a_public_address_the_acknowledgement_links_to_the_page_that_confirms_the_address_and_keeps_no_token()
    {
        await using var host = await IntakeHost.StartAsync(azurite, new Dictionary<string, string> { ["Intake:PublicBaseUrl"] = "https://support.exchange.example/" });
        using var client = host.CreateClient();

        var accepted = await PostAsync(client, new { message = "How do I enable 2FA?", email = "link@example.com" });

        var mail = await IntakeHost.WaitForAsync(() => Task.FromResult(host.SendGrid.Mails.Count > 0 ? host.SendGrid.Mails[0] : null), "the acknowledgement");
        Assert.StartsWith("https://support.exchange.example/support/status/", accepted.StatusUrl, StringComparison.Ordinal);
        var link = Assert.Single(mail.Text!.Split(' ', '\n'), word => word.Contains("http", StringComparison.Ordinal));
        Assert.StartsWith($"https://support.exchange.example/support/verify/{accepted.Reference}?token=", link, StringComparison.Ordinal);
        Assert.Contains("confirm your email address with this link", mail.Text, StringComparison.Ordinal);
        Assert.Contains("If you did not write to us, you can ignore this email.", mail.Text, StringComparison.Ordinal);

        // The thread keeps the acknowledgement without its link: no token is stored.
        var store = host.Services.GetRequiredService<TicketStore>();
        var kept = await IntakeHost.WaitForAsync(
            async () => (await store.GetMessagesAsync(accepted.TicketId, TestContext.Current.CancellationToken)).FirstOrDefault(m => m.Direction == MessageDirection.Outbound),
            "the acknowledgement in the thread");
        Assert.DoesNotContain("token=", kept.Text, StringComparison.Ordinal);
        Assert.Contains(StatusLinks.VerifyPlaceholder, kept.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_idempotency_key_twice_makes_one_ticket_and_one_email()
    {
        await using var host = await IntakeHost.StartAsync(azurite);
        using var client = host.CreateClient();

        var first = await PostAsync(client, new { message = "withdrawal pending for 5 hours", email = "a@example.com" }, "key-123");
        var second = await PostAsync(client, new { message = "withdrawal pending for 5 hours", email = "a@example.com" }, "key-123");

        Assert.Equal(first.TicketId, second.TicketId);
        await IntakeHost.WaitForAsync(() => Task.FromResult(host.SendGrid.Mails.Count > 0 ? host.SendGrid.Mails[0] : null), "the acknowledgement");
        await Task.Delay(500, TestContext.Current.CancellationToken);
        Assert.Single(host.SendGrid.Mails);
    }

    [Fact]
    public async Task An_idempotency_key_reused_by_someone_else_never_returns_their_ticket()
    {
        await using var host = await IntakeHost.StartAsync(azurite);
        using var client = host.CreateClient();

        var mine = await PostAsync(client, new { message = "my withdrawal is stuck", email = "me@example.com" }, "1");
        var theirs = await PostAsync(client, new { message = "my deposit is missing", email = "them@example.com" }, "1");

        Assert.NotEqual(mine.TicketId, theirs.TicketId);
        Assert.NotEqual(mine.Reference, theirs.Reference);
    }

    [Fact]
    public async Task A_follow_up_by_reference_joins_the_ticket_only_for_its_owner_and_one_with_the_status_token_returns_to_the_page()
    {
        await using var host = await IntakeHost.StartAsync(azurite);
        using var client = host.CreateClient();
        var first = await PostAsync(client, new { message = "deposit not credited after 2 hours", email = "owner@example.com" });
        var token = new Uri(first.StatusUrl).Query.Split("token=")[1];

        using var byOwner = await client.PostAsJsonAsync(
            Submit, new { message = "it is 500 USDT on TRC20", email = "Owner@Example.com", reference = first.Reference.ToLowerInvariant() }, TestContext.Current.CancellationToken);
        using var byStranger = await client.PostAsJsonAsync(
            Submit, new { message = "let me in", email = "stranger@example.com", reference = first.Reference }, TestContext.Current.CancellationToken);
        var byToken = await PostAsync(client, new { message = "from the status page", reference = first.Reference, token });

        Assert.Equal(HttpStatusCode.Accepted, byOwner.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, byStranger.StatusCode);
        Assert.Equal(
            await byOwner.Content.ReadAsStringAsync(TestContext.Current.CancellationToken),
            await byStranger.Content.ReadAsStringAsync(TestContext.Current.CancellationToken));
        Assert.Equal(first.TicketId, byToken.TicketId);
        Assert.Equal(first.StatusUrl, byToken.StatusUrl);
        var store = host.Services.GetRequiredService<TicketStore>();
        var inbound = (await store.GetMessagesAsync(first.TicketId, TestContext.Current.CancellationToken)).Where(m => m.Direction == MessageDirection.Inbound).ToList();
        Assert.Equal(["deposit not credited after 2 hours", "it is 500 USDT on TRC20", "from the status page"], inbound.Select(m => m.Text));
        Assert.Equal(2, await host.CountTicketsAsync());
    }

    [Fact]
    public async Task Fifty_concurrent_submissions_make_fifty_stored_tickets()
    {
        await using var host = await IntakeHost.StartAsync(azurite, new Dictionary<string, string> { ["WebForm:SubmissionsPerWindow"] = "100" });
        using var client = host.CreateClient();

        var results = await Task.WhenAll(Enumerable.Range(0, 50).Select(i =>
            PostAsync(client, new { message = $"question number {i} about fees", email = $"user{i}@example.com" })));

        Assert.Equal(50, results.Select(r => r.TicketId).Distinct().Count());
        var store = host.Services.GetRequiredService<TicketStore>();
        foreach (var result in results)
        {
            Assert.NotNull(await store.GetAsync(result.TicketId, TestContext.Current.CancellationToken));
        }
    }

    [Fact]
    public async Task A_form_post_is_accepted_like_json()
    {
        await using var host = await IntakeHost.StartAsync(azurite);
        using var client = host.CreateClient();

        using var response = await client.PostAsync(Submit, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["message"] = "How do I enable 2FA?",
            ["email"] = "form@example.com",
            ["language"] = "en",
        }), TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
    }

    private static async Task<WebFormAccepted> PostAsync(HttpClient client, object body, string? idempotencyKey = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Submit) { Content = JsonContent.Create(body) };
        if (idempotencyKey is not null)
        {
            request.Headers.Add(WebFormEndpoints.IdempotencyHeader, idempotencyKey);
        }

        using var response = await client.SendAsync(request, TestContext.Current.CancellationToken);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<WebFormAccepted>(TestContext.Current.CancellationToken))!;
    }
}
