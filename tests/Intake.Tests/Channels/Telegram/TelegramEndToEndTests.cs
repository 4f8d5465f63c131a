using System.Net;
using System.Text;
using Intake.Outbound;
using Intake.Tests.Fakes;
using Intake.Tests.Integration;
using Intake.Tickets;
using Intake.Triage;
using Microsoft.Extensions.DependencyInjection;
using static Intake.Tests.Channels.Telegram.TelegramFixtures;

namespace Intake.Tests.Channels.Telegram;

/// <summary>
/// The Telegram channel through the real host: the webhook over Azurite, the worker's acknowledgement through the real
/// Telegram.Bot client against an in-process fake Bot API.
/// </summary>
public sealed class TelegramEndToEndTests(AzuriteFixture azurite) : IAsyncLifetime
{
    internal const string Secret = "webhook-secret_0123456789";
    private const string Mnemonic = "legal winner thank year wave sausage worth useful legal winner thank yellow";
    private static readonly Uri Webhook = new("/api/intake/telegram", UriKind.Relative);

    private readonly FakeTelegram telegram = new();
    private readonly CapturedLogs logs = new();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await telegram.StartAsync(Cancellation);

    public async ValueTask DisposeAsync() => await telegram.DisposeAsync();

    private Task<IntakeHost> StartHostAsync(Dictionary<string, string>? extra = null)
    {
        var settings = telegram.Settings(Secret);
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return IntakeHost.StartAsync(azurite, settings, logs: logs);
    }

    internal static async Task<HttpStatusCode> PostAsync(HttpClient client, string update, string? secret = Secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Webhook) { Content = new StringContent(update, Encoding.UTF8, "application/json") };
        if (secret is not null)
        {
            request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
        }

        using var response = await client.SendAsync(request, Cancellation);
        return response.StatusCode;
    }

    private static async Task<StoredTicket> TicketOfUpdateAsync(IntakeHost host, int updateId) =>
        (await host.Services.GetRequiredService<TicketStore>().FindByProviderMessageAsync("telegram", updateId.ToString(System.Globalization.CultureInfo.InvariantCulture), Cancellation))
        ?? throw new InvalidOperationException($"No ticket for update {updateId}.");

    private Task<TelegramRequest> AcknowledgementAsync(int count = 1) =>
        IntakeHost.WaitForAsync(() => Task.FromResult(telegram.Calls("sendMessage").Count >= count ? telegram.Calls("sendMessage")[count - 1] : null), "the acknowledgement");

    [Fact]
    public async Task A_text_message_is_stored_redacted_and_acknowledged_in_the_same_chat_replying_to_it()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();

        var status = await PostAsync(client, Text(5001, $"Help, my wallet recovery phrase is: {Mnemonic} and my USDT is gone", messageId: 77));

        Assert.Equal(HttpStatusCode.OK, status);
        var ticket = (await TicketOfUpdateAsync(host, 5001)).Ticket;
        Assert.Equal("telegram", ticket.Channel);
        Assert.Equal(new Contact("telegram", ChatId.ToString(System.Globalization.CultureInfo.InvariantCulture), "Ada Lovelace"), ticket.Contact);
        Assert.Equal(Urgency.Urgent, ticket.Urgency);
        var stored = Assert.Single(await host.Services.GetRequiredService<TicketStore>().GetMessagesAsync(ticket.Id, Cancellation), m => m.Direction == MessageDirection.Inbound);
        Assert.Equal("Help, my wallet recovery phrase is: [REDACTED:mnemonic] and my USDT is gone", stored.Text);

        var ack = await AcknowledgementAsync();
        Assert.Equal(FakeTelegram.BotToken, ack.Token);
        Assert.Equal(ChatId.ToString(System.Globalization.CultureInfo.InvariantCulture), ack.ChatId);
        Assert.Equal("html", ack.Json.GetProperty("parse_mode").GetString(), ignoreCase: true);
        Assert.Equal(77, ack.Json.GetProperty("reply_parameters").GetProperty("message_id").GetInt32());
        Assert.True(ack.Json.GetProperty("reply_parameters").GetProperty("allow_sending_without_reply").GetBoolean());
        Assert.Contains($"opened ticket {ticket.Reference}", ack.Text, StringComparison.Ordinal);
        Assert.Contains("move them to a new wallet", ack.Text, StringComparison.Ordinal);

        var outbound = await IntakeHost.WaitForAsync(
            async () => (await host.Services.GetRequiredService<OutboundLog>().ListAsync(ticket.Id, Cancellation)).FirstOrDefault(o => o.Status == OutboundStatus.Sent),
            "the acknowledgement marked sent");
        Assert.Equal("telegram", outbound.Channel);
        Assert.Matches("^[0-9]+$", outbound.ProviderMessageId);
        Assert.DoesNotContain(telegram.Requests, r => r.Body.Contains("sausage", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, line => line.Contains("sausage", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, line => line.Contains(FakeTelegram.BotToken, StringComparison.Ordinal) || line.Contains(Secret, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("我的提币三个小时了还没到账", "zh-hans", "我们已收到您的消息，工单号为")]
    [InlineData("我的提幣三個小時了還沒到帳", "zh-hant", "我們已收到您的訊息，工單編號為")]
    [InlineData("0x2F07a7FA12196ca745Ba1cACcd0d485777A9530b", "zh-TW", "我們已收到您的訊息，工單編號為")]
    [InlineData("0x2F07a7FA12196ca745Ba1cACcd0d485777A9530b", "zh-CN", "我们已收到您的消息，工单号为")]
    public async Task Chinese_customers_are_acknowledged_in_their_script(string text, string languageCode, string expected)
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();

        Assert.Equal(HttpStatusCode.OK, await PostAsync(client, Text(5101, text, languageCode)));

        var reference = (await TicketOfUpdateAsync(host, 5101)).Ticket.Reference;
        var ack = await AcknowledgementAsync();
        Assert.Contains($"{expected} {reference}", ack.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_photo_and_a_document_are_noted_as_attachments_with_the_caption_as_text()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();
        var store = host.Services.GetRequiredService<TicketStore>();

        await PostAsync(client, Update(5201, "message", Photo(Message(20, null), "my deposit is missing, screenshot attached")));
        await PostAsync(client, Update(5202, "message", Document(Message(21, null), null)));

        var ticket = (await TicketOfUpdateAsync(host, 5201)).Ticket;
        Assert.Equal(ticket.Id, (await TicketOfUpdateAsync(host, 5202)).Ticket.Id);
        var messages = (await store.GetMessagesAsync(ticket.Id, Cancellation)).Where(m => m.Direction == MessageDirection.Inbound).ToList();
        Assert.Equal(["my deposit is missing, screenshot attached", "[document]"], messages.Select(m => m.Text));
        Assert.Equal(new AttachmentNote("photo.jpg", "image/jpeg", 154_321, ProviderFileId: "AgAD-large"), Assert.Single(messages[0].Details!.Attachments));
        Assert.Equal(new AttachmentNote("statement.pdf", "application/pdf", 48_213, ProviderFileId: "BQAD-statement"), Assert.Single(messages[1].Details!.Attachments));
        Assert.Equal(TicketCategory.Deposit, ticket.Category);
    }

    [Fact]
    public async Task A_photo_without_a_caption_gets_a_placeholder_text()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();

        await PostAsync(client, Update(5251, "message", Photo(Message(22, null), null)));

        var ticket = (await TicketOfUpdateAsync(host, 5251)).Ticket;
        var message = Assert.Single(await host.Services.GetRequiredService<TicketStore>().GetMessagesAsync(ticket.Id, Cancellation), m => m.Direction == MessageDirection.Inbound);
        Assert.Equal("[photo]", message.Text);
        Assert.Single(message.Details!.Attachments);
        await AcknowledgementAsync();
    }

    [Fact]
    public async Task An_edited_message_is_added_to_the_open_ticket_as_an_edit()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();
        var store = host.Services.GetRequiredService<TicketStore>();

        await PostAsync(client, Text(5301, "my withdrawal is stuck", messageId: 30));
        await AcknowledgementAsync();
        await PostAsync(client, Update(5302, "edited_message", Message(30, "my withdrawal of 500 USDT is stuck")));

        var ticket = (await TicketOfUpdateAsync(host, 5301)).Ticket;
        Assert.Equal(ticket.Id, (await TicketOfUpdateAsync(host, 5302)).Ticket.Id);
        var inbound = (await store.GetMessagesAsync(ticket.Id, Cancellation)).Where(m => m.Direction == MessageDirection.Inbound).ToList();
        Assert.Equal(2, inbound.Count);
        Assert.Null(inbound[0].Details?.EditOf);
        Assert.Equal("30", inbound[1].Details!.EditOf);
        Assert.Equal("my withdrawal of 500 USDT is stuck", inbound[1].Text);
    }

    [Fact]
    public async Task An_edited_message_without_an_open_ticket_opens_one()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();

        await PostAsync(client, Update(5351, "edited_message", Message(35, "my deposit never arrived")));

        var ticket = (await TicketOfUpdateAsync(host, 5351)).Ticket;
        Assert.Equal(1, await host.CountTicketsAsync());
        var message = Assert.Single(await host.Services.GetRequiredService<TicketStore>().GetMessagesAsync(ticket.Id, Cancellation), m => m.Direction == MessageDirection.Inbound);
        Assert.Equal("35", message.Details!.EditOf);
    }

    [Fact]
    public async Task A_second_message_from_the_same_chat_joins_the_open_ticket_without_a_second_acknowledgement()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();

        await PostAsync(client, Text(5401, "my withdrawal is stuck", messageId: 40));
        await AcknowledgementAsync();
        await PostAsync(client, Text(5402, "it was 500 USDT on TRC20", messageId: 41));

        var first = (await TicketOfUpdateAsync(host, 5401)).Ticket;
        Assert.Equal(first.Id, (await TicketOfUpdateAsync(host, 5402)).Ticket.Id);
        Assert.Equal("41", (await TicketOfUpdateAsync(host, 5402)).Ticket.ReplyToId);
        Assert.Equal(1, await host.CountTicketsAsync());
        await Task.Delay(500, Cancellation);
        Assert.Single(telegram.Calls("sendMessage"));
    }

    [Fact]
    public async Task The_same_update_delivered_again_and_concurrently_makes_one_ticket_and_one_acknowledgement()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();
        var update = Text(5501, "my deposit is missing");

        var statuses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => PostAsync(client, update)));
        var again = await PostAsync(client, update);

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal(1, await host.CountTicketsAsync());
        var ticket = (await TicketOfUpdateAsync(host, 5501)).Ticket;
        Assert.Single(await host.Services.GetRequiredService<TicketStore>().GetMessagesAsync(ticket.Id, Cancellation), m => m.Direction == MessageDirection.Inbound);
        await AcknowledgementAsync();
        await Task.Delay(500, Cancellation);
        Assert.Single(telegram.Calls("sendMessage"));
    }

    [Fact]
    public async Task Messages_from_bots_are_ignored()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();

        var status = await PostAsync(client, Update(5601, "message", Message(60, "my withdrawal is stuck", User(languageCode: null, isBot: true))));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, await host.CountTicketsAsync());
        Assert.Empty(telegram.Requests);
    }

    [Theory]
    [InlineData("group", false, 0)]
    [InlineData("supergroup", false, 0)]
    [InlineData("group", true, 1)]
    [InlineData("supergroup", true, 1)]
    public async Task Group_chats_are_ignored_unless_allowed(string chatType, bool allowGroups, int tickets)
    {
        await using var host = await StartHostAsync(new() { ["Telegram:AllowGroups"] = allowGroups ? "true" : "false" });
        using var client = host.CreateClient();

        var status = await PostAsync(client, Update(5701, "message", Message(70, "my withdrawal is stuck", chatId: -100123456, chatType: chatType)));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(tickets, await host.CountTicketsAsync());
        if (allowGroups)
        {
            var ack = await AcknowledgementAsync();
            Assert.Equal("-100123456", ack.ChatId);
        }
    }

    [Theory]
    [InlineData("/start", "en", "Hello! This is customer support.")]
    [InlineData("/start campaign-42", "zh-hans", "您好！这里是客服。")]
    [InlineData("/start", "zh-TW", "您好！這裡是客服。")]
    [InlineData("/start", "zh-HK", "您好！這裡是客服。")]
    [InlineData("/start", "ru", "Здравствуйте! Это служба поддержки.")]
    [InlineData("/start", "fr", "Hello! This is customer support.")]
    public async Task Start_is_greeted_at_once_in_the_users_language_without_a_ticket(string text, string languageCode, string expected)
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();

        var status = await PostAsync(client, Text(5801, text, languageCode, messageId: 80));

        Assert.Equal(HttpStatusCode.OK, status);
        var greeting = Assert.Single(telegram.Calls("sendMessage"));
        Assert.StartsWith(expected, greeting.Text, StringComparison.Ordinal);
        Assert.Equal(ChatId.ToString(System.Globalization.CultureInfo.InvariantCulture), greeting.ChatId);
        Assert.Equal(0, await host.CountTicketsAsync());
    }

    [Fact]
    public async Task A_failed_greeting_is_logged_and_still_answered_200()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();
        telegram.RespondNextWith(403);

        var status = await PostAsync(client, Text(5851, "/start"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Contains(logs.Lines, line => line.Contains("greeting could not be sent", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_button_press_is_answered_and_stores_nothing()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();

        var status = await PostAsync(client, CallbackQuery(5901, "survey:5"));

        Assert.Equal(HttpStatusCode.OK, status);
        var answer = Assert.Single(telegram.Calls("answerCallbackQuery"));
        Assert.Equal("4382bfdwdsb323b2d9", answer.Json.GetProperty("callback_query_id").GetString());
        Assert.Equal(0, await host.CountTicketsAsync());
    }

    [Fact]
    public async Task A_button_press_whose_answer_fails_still_gets_200()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();
        telegram.RespondNextWith(400, "Bad Request: query is too old and response timeout expired or query ID is invalid");

        var status = await PostAsync(client, CallbackQuery(5951, "survey:1"));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Single(telegram.Calls("answerCallbackQuery"));
        Assert.Contains(logs.Lines, line => line.Contains("callback answer could not be sent", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_throttled_acknowledgement_is_retried_by_the_queue_and_then_sent()
    {
        await using var host = await StartHostAsync(new() { ["Worker:RetryDelay"] = "00:00:00.050" });
        using var client = host.CreateClient();
        telegram.RespondNextWith(429);

        await PostAsync(client, Text(6001, "my withdrawal is stuck"));

        var ack = await AcknowledgementAsync(count: 2);
        Assert.Equal(200, ack.Status);
        Assert.Equal(429, telegram.Calls("sendMessage")[0].Status);
        var ticket = (await TicketOfUpdateAsync(host, 6001)).Ticket;
        var outbound = await IntakeHost.WaitForAsync(
            async () => (await host.Services.GetRequiredService<OutboundLog>().ListAsync(ticket.Id, Cancellation)).FirstOrDefault(o => o.Status == OutboundStatus.Sent),
            "the acknowledgement marked sent");
        Assert.Equal("telegram", outbound.Channel);
    }

    [Fact]
    public async Task A_blocked_bot_records_the_acknowledgement_as_failed_without_retrying()
    {
        await using var host = await StartHostAsync(new() { ["Worker:RetryDelay"] = "00:00:00.050" });
        using var client = host.CreateClient();
        telegram.RespondNextWith(403);

        await PostAsync(client, Text(6101, "my withdrawal is stuck"));

        var ticket = (await TicketOfUpdateAsync(host, 6101)).Ticket;
        var outbound = await IntakeHost.WaitForAsync(
            async () => (await host.Services.GetRequiredService<OutboundLog>().ListAsync(ticket.Id, Cancellation)).FirstOrDefault(o => o.Status == OutboundStatus.Failed),
            "the acknowledgement marked failed");
        Assert.Equal("telegram", outbound.Channel);
        await Task.Delay(500, Cancellation);
        Assert.Single(telegram.Calls("sendMessage"));
    }

    [Fact]
    public async Task Html_special_characters_in_the_acknowledgement_are_escaped()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();

        await PostAsync(client, Text(6201, "someone logged into my account and withdrew all my USDT"));

        var ack = await AcknowledgementAsync();
        Assert.Contains("(Account &gt; Security &gt; Freeze account)", ack.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("<", ack.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(">", ack.Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("message-sticker.json", null, false, "[sticker 😡]")]
    [InlineData("message-photo.json", null, false, "[photo]")]
    [InlineData("update-dice.json", null, true, "[dice 🎲 2]")]
    [InlineData("update-story.json", null, true, "[story @TONSpinChannel/2]")]
    [InlineData(null, "location", false, "[location 48.85837, 2.294481]")]
    [InlineData(null, "venue", false, "[venue Exchange office, 1 Main Street, London (51.501364, -0.14189)]")]
    [InlineData(null, "contact", false, "[contact Grace Hopper +447700900123]")]
    [InlineData(null, "poll", false, "[poll Which network did you withdraw on?: ERC-20 / TRC-20]")]
    [InlineData(null, "video_note", false, "[video message]")]
    [InlineData(null, "voice", false, "[voice message]")]
    [InlineData(null, "animation", false, "[animation]")]
    public async Task A_message_without_text_makes_a_ticket_whose_stored_text_notes_its_content(string? file, string? kind, bool group, string expected)
    {
        await using var host = await StartHostAsync(group ? new() { ["Telegram:AllowGroups"] = "true" } : null);
        using var client = host.CreateClient();
        var update = file is not null ? RealWorld(file, 5901) : Update(5901, "message", Content(kind!, Message(90, null))!);

        Assert.Equal(HttpStatusCode.OK, await PostAsync(client, update));

        var ticket = (await TicketOfUpdateAsync(host, 5901)).Ticket;
        var stored = Assert.Single(await host.Services.GetRequiredService<TicketStore>().GetMessagesAsync(ticket.Id, Cancellation), m => m.Direction == MessageDirection.Inbound);
        Assert.Equal(expected, stored.Text);
    }

    [Fact]
    public async Task A_forwarded_message_makes_a_ticket_and_an_ignored_update_is_logged_with_its_reason()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();

        Assert.Equal(HttpStatusCode.OK, await PostAsync(client, Update(5902, "message", Forwarded(Message(91, "is this really your support account?")))));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(client, Update(5903, "message", Message(92, "hello", User(id: 42, isBot: true)))));

        var ticket = (await TicketOfUpdateAsync(host, 5902)).Ticket;
        var stored = Assert.Single(await host.Services.GetRequiredService<TicketStore>().GetMessagesAsync(ticket.Id, Cancellation), m => m.Direction == MessageDirection.Inbound);
        Assert.Equal("is this really your support account?", stored.Text);
        Assert.Contains(logs.Lines, line => line.StartsWith("Information ", StringComparison.Ordinal) && line.Contains("Telegram update 5903 ignored (not_from_a_person)", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, line => line.Contains("hello", StringComparison.Ordinal));
    }
}
