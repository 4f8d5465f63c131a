using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Intake.Tests.Channels.Email;
using Intake.Tests.Channels.Telegram;
using Intake.Tests.Fakes;
using Intake.Tests.Integration;
using Intake.Tickets;
using Microsoft.Extensions.DependencyInjection;
using static Intake.Tests.Agents.AgentApi;
using static Intake.Tests.Channels.Telegram.TelegramFixtures;

namespace Intake.Tests.Channels;

/// <summary>
/// A blocked contact writing on Telegram, by email and through the web form, through the real host over Azurite with fake
/// providers: answered as any message is, recorded as blocked once, no ticket, no acknowledgement; unblocked, they are
/// served again. That nothing was sent is read after another contact's acknowledgement has gone out.
/// </summary>
public sealed class BlockedContactsEndToEndTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const long OtherChat = 111222333;
    private const string Mnemonic = "legal winner thank year wave sausage worth useful legal winner thank yellow";
    private const string Blocked = "/api/contacts/blocked";
    private static readonly string Chat = ChatId.ToString(CultureInfo.InvariantCulture);

    private readonly FakeTelegram telegram = new();
    private readonly CapturedLogs logs = new();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await telegram.StartAsync(Cancellation);

    public async ValueTask DisposeAsync() => await telegram.DisposeAsync();

    private Task<IntakeHost> StartHostAsync()
    {
        var settings = Settings(InboundParsePosts.Settings(telegram.Settings(TelegramEndToEndTests.Secret)));
        return IntakeHost.StartAsync(azurite, settings, logs: logs);
    }

    private static async Task BlockAsync(HttpClient client, string channel, string id) =>
        Assert.Equal(HttpStatusCode.Created, (await SendAsync(client, HttpMethod.Post, Blocked, new { channel, id, reason = "spam" })).Status);

    private static string FromOtherChat(int updateId, string text) =>
        Update(updateId, "message", Message(updateId, text, User(id: OtherChat), chatId: OtherChat));

    private Task<TelegramRequest> AcknowledgementToAsync(string chatId) =>
        IntakeHost.WaitForAsync(() => Task.FromResult(telegram.Calls("sendMessage").FirstOrDefault(c => c.ChatId == chatId)), $"the acknowledgement to chat {chatId}");

    [Fact]
    public async Task A_blocked_telegram_chat_is_answered_200_recorded_once_redacted_and_gets_no_ticket_no_acknowledgement_and_no_greeting()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();
        await BlockAsync(client, "telegram", Chat);
        var spam = Text(7001, $"Send 1 BTC to get 2 back! My phrase: {Mnemonic}", messageId: 31);

        var first = await TelegramEndToEndTests.PostAsync(client, spam);
        var again = await TelegramEndToEndTests.PostAsync(client, spam);
        var start = await TelegramEndToEndTests.PostAsync(client, Text(7003, "/start", messageId: 32));
        Assert.Equal(HttpStatusCode.OK, await TelegramEndToEndTests.PostAsync(client, FromOtherChat(7002, "My deposit is missing")));
        await AcknowledgementToAsync(OtherChat.ToString(CultureInfo.InvariantCulture));

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (first, again, start));

        // Not even the greeting that /start gets.
        Assert.DoesNotContain(telegram.Calls("sendMessage"), c => c.ChatId == Chat);
        Assert.Equal(1, await host.CountTicketsAsync());
        Assert.Null(await host.Services.GetRequiredService<TicketStore>().FindByProviderMessageAsync("telegram", "7001", Cancellation));
        var blocks = host.Services.GetRequiredService<ContactBlocks>();
        var recorded = Assert.Single(await blocks.BlockedMessagesAsync("telegram", Chat, 10, Cancellation));
        Assert.Equal(("Send 1 BTC to get 2 back! My phrase: [REDACTED:mnemonic]", "7001"), (recorded.Text, recorded.ProviderMessageId));
        Assert.Equal(1, Assert.Single(await blocks.ListAsync(Cancellation)).BlockedMessages);
        Assert.DoesNotContain(logs.Lines, line => line.Contains("sausage", StringComparison.Ordinal) || line.Contains("Send 1 BTC", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, line => line.Contains("recorded as blocked", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_blocked_email_sender_in_any_case_is_answered_200_recorded_once_and_gets_no_ticket_and_no_acknowledgement()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();
        using var mail = InboundParsePosts.Client(host);
        await BlockAsync(client, "email", "Alice@Customer.Example");
        using var spam = InboundParsePosts.Parsed("Win 10 BTC now at giveaway.example", from: "Alice Chen <ALICE@customer.example>", messageId: "<spam-1@customer.example>");
        using var spamAgain = InboundParsePosts.Parsed("Win 10 BTC now at giveaway.example", from: "Alice Chen <ALICE@customer.example>", messageId: "<spam-1@customer.example>");
        using var other = InboundParsePosts.Parsed(
            "My deposit of 0.5 ETH is not credited", from: "Bob <bob@customer.example>", messageId: "<bob-1@customer.example>", envelopeFrom: "bob@customer.example");

        using var first = await mail.PostAsync(InboundParsePosts.Endpoint, spam, Cancellation);
        using var second = await mail.PostAsync(InboundParsePosts.Endpoint, spamAgain, Cancellation);
        using var control = await mail.PostAsync(InboundParsePosts.Endpoint, other, Cancellation);
        await IntakeHost.WaitForAsync(() => Task.FromResult(host.SendGrid.Mails.Count > 0 ? host.SendGrid.Mails[0] : null), "the acknowledgement to Bob");

        Assert.Equal((HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK), (first.StatusCode, second.StatusCode, control.StatusCode));
        using var outcome = JsonDocument.Parse(await first.Content.ReadAsStringAsync(Cancellation));
        Assert.Equal("blocked", outcome.RootElement.GetProperty("status").GetString());
        Assert.DoesNotContain("T-", outcome.RootElement.GetRawText(), StringComparison.Ordinal);
        Assert.All(host.SendGrid.Mails, m => Assert.Equal("bob@customer.example", m.ToEmail));
        Assert.Equal(1, await host.CountTicketsAsync());
        var recorded = Assert.Single(await host.Services.GetRequiredService<ContactBlocks>().BlockedMessagesAsync("email", "alice@customer.example", 10, Cancellation));
        Assert.Contains("Win 10 BTC", recorded.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Lines, line => line.Contains("alice@", StringComparison.OrdinalIgnoreCase) || line.Contains("Win 10 BTC", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_follow_up_from_a_blocked_chat_neither_joins_nor_reopens_its_ticket(bool resolved)
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, await TelegramEndToEndTests.PostAsync(client, Text(7101, "My withdrawal is stuck", messageId: 41)));
        var ticket = (await host.Services.GetRequiredService<TicketStore>().FindByProviderMessageAsync("telegram", "7101", Cancellation))!.Ticket;
        await AcknowledgementToAsync(Chat);
        if (resolved)
        {
            Assert.Equal(HttpStatusCode.OK, (await ResolveAsync(client, ticket.Id)).Status);
        }

        await BlockAsync(client, "telegram", Chat);

        Assert.Equal(HttpStatusCode.OK, await TelegramEndToEndTests.PostAsync(client, Text(7102, "Still stuck, answer me", messageId: 42)));

        var after = await GetAsync(client, ticket.Id);
        Assert.Equal(resolved ? "resolved" : "new", after.String("status"));
        Assert.Equal(["My withdrawal is stuck"], after.Messages.Where(m => m.GetProperty("direction").GetString() == "inbound").Select(m => m.GetProperty("text").GetString()));
        Assert.Equal(1, await host.CountTicketsAsync());
        Assert.Single(await host.Services.GetRequiredService<ContactBlocks>().BlockedMessagesAsync("telegram", Chat, 10, Cancellation));
    }

    [Fact]
    public async Task Once_unblocked_the_next_message_opens_a_ticket_and_is_acknowledged()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();
        await BlockAsync(client, "telegram", Chat);
        Assert.Equal(HttpStatusCode.OK, await TelegramEndToEndTests.PostAsync(client, Text(7201, "spam spam spam", messageId: 51)));

        Assert.Equal(HttpStatusCode.NoContent, (await SendAsync(client, HttpMethod.Delete, $"{Blocked}/telegram/{Chat}")).Status);
        Assert.Equal(HttpStatusCode.OK, await TelegramEndToEndTests.PostAsync(client, Text(7202, "Sorry, my deposit is really missing", messageId: 52)));

        var ticket = (await host.Services.GetRequiredService<TicketStore>().FindByProviderMessageAsync("telegram", "7202", Cancellation))!.Ticket;
        var ack = await AcknowledgementToAsync(Chat);
        Assert.Contains(ticket.Reference, ack.Text, StringComparison.Ordinal);
        Assert.Equal(1, await host.CountTicketsAsync());
        Assert.Empty(await host.Services.GetRequiredService<ContactBlocks>().BlockedMessagesAsync("telegram", Chat, 10, Cancellation));
    }

    [Fact]
    public async Task A_blocked_web_form_address_is_answered_202_as_received_with_no_reference_and_gets_no_mail()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();
        await BlockAsync(client, "web", "Spam@Example.com");

        using var response = await client.PostAsJsonAsync(
            new Uri("/api/intake/web", UriKind.Relative), new { message = "Cheap followers at spam.example", email = "spam@example.com" }, Cancellation);
        var control = await SubmitAsync(client, "My deposit is missing", "someone@example.com");
        await IntakeHost.WaitForAsync(() => Task.FromResult(host.SendGrid.Mails.Count > 0 ? host.SendGrid.Mails[0] : null), "the acknowledgement to someone");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        using var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation));
        Assert.Equal("received", body.RootElement.GetProperty("status").GetString());
        Assert.False(body.RootElement.TryGetProperty("reference", out _));
        Assert.Null(response.Headers.Location);
        Assert.All(host.SendGrid.Mails, m => Assert.Equal("someone@example.com", m.ToEmail));
        Assert.Equal(1, await host.CountTicketsAsync());
        Assert.NotNull(control.Reference);
        Assert.Single(await host.Services.GetRequiredService<ContactBlocks>().BlockedMessagesAsync("web", "spam@example.com", 10, Cancellation));
    }
}
