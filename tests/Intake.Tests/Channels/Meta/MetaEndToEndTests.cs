using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Azure;
using Azure.Data.Tables;
using Intake.Messaging;
using Intake.Outbound;
using Intake.Tests.Channels.Telegram;
using Intake.Tests.Fakes;
using Intake.Tests.Integration;
using Intake.Tickets;
using Intake.Triage;
using Microsoft.Extensions.DependencyInjection;
using static Intake.Tests.Channels.Meta.MetaFixtures;

namespace Intake.Tests.Channels.Meta;

/// <summary>
/// Messenger, Instagram and WhatsApp through the real host: the signed webhook over Azurite, and the worker's
/// acknowledgement through the Send API and the Cloud API of an in-process fake Graph API.
/// </summary>
public sealed class MetaEndToEndTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Mnemonic = "legal winner thank year wave sausage worth useful legal winner thank yellow";
    private static readonly Uri Webhook = new("/api/intake/meta", UriKind.Relative);

    private readonly FakeGraph graph = new();
    private readonly CapturedLogs logs = new();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await graph.StartAsync(Cancellation);

    public async ValueTask DisposeAsync() => await graph.DisposeAsync();

    private Task<IntakeHost> StartHostAsync(string? templateName = null, Dictionary<string, string>? extra = null, Action<IServiceCollection>? services = null)
    {
        var settings = graph.Settings(AppSecret, VerifyToken, templateName);
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return IntakeHost.StartAsync(azurite, settings, logs: logs, services: services);
    }

    internal static async Task<HttpStatusCode> PostAsync(HttpClient client, string body, string? signature = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Webhook) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        request.Headers.Add("X-Hub-Signature-256", signature ?? Sign(body));
        using var response = await client.SendAsync(request, Cancellation);
        return response.StatusCode;
    }

    private static async Task<StoredTicket> TicketOfAsync(IntakeHost host, string channel, string messageId) =>
        (await host.Services.GetRequiredService<TicketStore>().FindByProviderMessageAsync(channel, messageId, Cancellation))
        ?? throw new InvalidOperationException($"No ticket for {channel} message {messageId}.");

    private static async Task<List<TicketMessage>> InboundAsync(IntakeHost host, string ticketId) =>
        [.. (await host.Services.GetRequiredService<TicketStore>().GetMessagesAsync(ticketId, Cancellation)).Where(m => m.Direction == MessageDirection.Inbound)];

    private static Task<OutboundRecord> OutboundAsync(IntakeHost host, string ticketId, OutboundStatus status) =>
        IntakeHost.WaitForAsync(
            async () => (await host.Services.GetRequiredService<OutboundLog>().ListAsync(ticketId, Cancellation)).FirstOrDefault(o => o.Status == status),
            $"the acknowledgement marked {status}");

    private Task<GraphRequest> SendApiCallAsync(int count = 1) =>
        IntakeHost.WaitForAsync(() => Task.FromResult(graph.SendApiCalls.Count >= count ? graph.SendApiCalls[count - 1] : null), "a Send API call");

    private Task<GraphRequest> CloudApiCallAsync(int count = 1) =>
        IntakeHost.WaitForAsync(() => Task.FromResult(graph.CloudApiCalls.Count >= count ? graph.CloudApiCalls[count - 1] : null), "a Cloud API call");

    [Fact]
    public async Task A_messenger_message_is_stored_redacted_and_acknowledged_through_the_send_api()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();

        var status = await PostAsync(client, Messenger(TextEvent("m_seed", $"Help, my wallet recovery phrase is: {Mnemonic} and my USDT is gone")));

        Assert.Equal(HttpStatusCode.OK, status);
        var ticket = (await TicketOfAsync(host, "messenger", "m_seed")).Ticket;
        Assert.Equal("messenger", ticket.Channel);
        Assert.Equal(new Contact("messenger", Psid), ticket.Contact);
        Assert.Equal(Urgency.Urgent, ticket.Urgency);
        Assert.Equal("m_seed", ticket.ReplyToId);
        Assert.Equal("Help, my wallet recovery phrase is: [REDACTED:mnemonic] and my USDT is gone", Assert.Single(await InboundAsync(host, ticket.Id)).Text);

        var ack = await SendApiCallAsync();
        Assert.Equal("POST", ack.Method);
        Assert.Equal("/v25.0/me/messages", ack.Path);
        Assert.Equal(FakeGraph.PageAccessToken, ack.BearerToken);
        Assert.DoesNotContain(FakeGraph.PageAccessToken, ack.Query, StringComparison.Ordinal);
        Assert.Equal(Psid, ack.Json.GetProperty("recipient").GetProperty("id").GetString());
        Assert.Equal("RESPONSE", ack.Json.GetProperty("messaging_type").GetString());
        Assert.Contains($"opened ticket {ticket.Reference}", ack.Text, StringComparison.Ordinal);
        Assert.Contains("move them to a new wallet", ack.Text, StringComparison.Ordinal);

        var outbound = await OutboundAsync(host, ticket.Id, OutboundStatus.Sent);
        Assert.Equal("messenger", outbound.Channel);
        Assert.StartsWith("m_", outbound.ProviderMessageId, StringComparison.Ordinal);
        Assert.DoesNotContain(graph.Requests, r => r.Body.Contains("sausage", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, line => line.Contains("sausage", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, line => line.Contains(FakeGraph.PageAccessToken, StringComparison.Ordinal) || line.Contains(AppSecret, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("我的提币三个小时了还没到账", "我们已收到您的消息，工单号为")]
    [InlineData("我的提幣三個小時了還沒到帳", "我們已收到您的訊息，工單編號為")]
    public async Task Chinese_messages_are_acknowledged_in_their_script(string text, string expected)
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();

        Assert.Equal(HttpStatusCode.OK, await PostAsync(client, Messenger(TextEvent("m_zh", text))));

        var reference = (await TicketOfAsync(host, "messenger", "m_zh")).Ticket.Reference;
        var ack = await SendApiCallAsync();
        Assert.Contains($"{expected} {reference}", ack.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_instagram_message_is_acknowledged_on_instagram()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();
        const string igsid = "17841400000000001";

        Assert.Equal(HttpStatusCode.OK, await PostAsync(client, Instagram(TextEvent("ig_m1", "my deposit has not arrived", sender: igsid))));

        var ticket = (await TicketOfAsync(host, "instagram", "ig_m1")).Ticket;
        Assert.Equal(new Contact("instagram", igsid), ticket.Contact);
        Assert.Equal(TicketCategory.Deposit, ticket.Category);
        var ack = await SendApiCallAsync();
        Assert.Equal(igsid, ack.Json.GetProperty("recipient").GetProperty("id").GetString());
        Assert.Contains(ticket.Reference, ack.Text, StringComparison.Ordinal);
        Assert.Equal("instagram", (await OutboundAsync(host, ticket.Id, OutboundStatus.Sent)).Channel);
    }

    [Fact]
    public async Task A_whatsapp_message_is_acknowledged_through_the_cloud_api()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();

        Assert.Equal(HttpStatusCode.OK, await PostAsync(client, WhatsApp(WhatsAppText("wamid.W1", "我的提币三个小时了还没到账"))));

        var ticket = (await TicketOfAsync(host, "whatsapp", "wamid.W1")).Ticket;
        Assert.Equal(new Contact("whatsapp", WaId, "Ana Souza"), ticket.Contact);
        Assert.Equal("zh-Hans", ticket.Language);
        var ack = await CloudApiCallAsync();
        Assert.Equal($"/v25.0/{FakeGraph.PhoneNumberId}/messages", ack.Path);
        Assert.Equal(FakeGraph.WhatsAppToken, ack.BearerToken);
        Assert.Equal("whatsapp", ack.Json.GetProperty("messaging_product").GetString());
        Assert.Equal(WaId, ack.Json.GetProperty("to").GetString());
        Assert.Equal("text", ack.Json.GetProperty("type").GetString());
        Assert.Contains($"我们已收到您的消息，工单号为 {ticket.Reference}", ack.Text, StringComparison.Ordinal);
        var outbound = await OutboundAsync(host, ticket.Id, OutboundStatus.Sent);
        Assert.StartsWith("wamid.", outbound.ProviderMessageId, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Lines, line => line.Contains(WaId, StringComparison.Ordinal) || line.Contains(FakeGraph.WhatsAppToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_whatsapp_user_with_a_business_scoped_id_is_keyed_and_answered_on_it()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();
        var body = Delivery("whatsapp_business_account", WhatsAppEntry([WhatsAppText("wamid.U1", "my withdrawal is stuck")], [WhatsAppContact(WaId, BusinessUserId)]));

        Assert.Equal(HttpStatusCode.OK, await PostAsync(client, body));

        var ticket = (await TicketOfAsync(host, "whatsapp", "wamid.U1")).Ticket;
        Assert.Equal(new Contact("whatsapp", BusinessUserId, "Ana Souza"), ticket.Contact);
        var ack = await CloudApiCallAsync();
        Assert.Equal(BusinessUserId, ack.Json.GetProperty("recipient").GetString());
        Assert.False(ack.Json.TryGetProperty("to", out _));
    }

    [Fact]
    public async Task Whatsapp_media_is_noted_on_the_ticket()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();

        Assert.Equal(HttpStatusCode.OK, await PostAsync(client, WhatsApp(WhatsAppImage("wamid.M1", "my deposit is missing, screenshot attached"), WhatsAppDocument("wamid.M2"))));

        var ticket = (await TicketOfAsync(host, "whatsapp", "wamid.M1")).Ticket;
        Assert.Equal(ticket.Id, (await TicketOfAsync(host, "whatsapp", "wamid.M2")).Ticket.Id);
        var messages = await InboundAsync(host, ticket.Id);
        Assert.Equal(["my deposit is missing, screenshot attached", "[document]"], messages.Select(m => m.Text));
        Assert.Equal(new AttachmentNote("image", "image/jpeg", 0, ProviderFileId: "1479537139650973"), Assert.Single(messages[0].Details!.Attachments));
        Assert.Equal(new AttachmentNote("statement.pdf", "application/pdf", 0, ProviderFileId: "2095481847521309"), Assert.Single(messages[1].Details!.Attachments));
    }

    [Fact]
    public async Task A_follow_up_from_the_same_sender_joins_the_open_ticket_without_a_second_acknowledgement()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();

        await PostAsync(client, Messenger(TextEvent("m_f1", "my withdrawal is stuck")));
        await SendApiCallAsync();
        await PostAsync(client, Messenger(QuickReplyEvent("m_f2", "it was 500 USDT on TRC20", "DETAILS")));

        var first = (await TicketOfAsync(host, "messenger", "m_f1")).Ticket;
        var second = (await TicketOfAsync(host, "messenger", "m_f2")).Ticket;
        Assert.Equal(first.Id, second.Id);
        Assert.Equal("m_f2", second.ReplyToId);
        Assert.Equal(1, await host.CountTicketsAsync());
        var inbound = await InboundAsync(host, first.Id);
        Assert.Equal("DETAILS", inbound[1].Details!.Metadata["quickReply"]);
        await Task.Delay(500, Cancellation);
        Assert.Single(graph.SendApiCalls);
    }

    [Fact]
    public async Task A_batch_of_twenty_messages_in_one_delivery_loses_none()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();

        // Ten entries, each with two messages from its own sender: ten tickets, ten follow-ups.
        var entries = Enumerable.Range(0, 10)
            .Select(i => Entry(TextEvent($"m_b{i}a", $"my withdrawal number {i} is stuck", sender: $"70000{i}"), TextEvent($"m_b{i}b", "it was on TRC20", sender: $"70000{i}")))
            .ToArray();
        var status = await PostAsync(client, Delivery("page", entries));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(10, await host.CountTicketsAsync());
        for (var i = 0; i < 10; i++)
        {
            var ticket = (await TicketOfAsync(host, "messenger", $"m_b{i}a")).Ticket;
            Assert.Equal(ticket.Id, (await TicketOfAsync(host, "messenger", $"m_b{i}b")).Ticket.Id);
            Assert.Equal([$"my withdrawal number {i} is stuck", "it was on TRC20"], (await InboundAsync(host, ticket.Id)).Select(m => m.Text));
        }

        await SendApiCallAsync(count: 10);
    }

    [Fact]
    public async Task A_whatsapp_batch_of_twenty_messages_makes_twenty_tickets()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();
        var messages = Enumerable.Range(0, 20).Select(i => WhatsAppText($"wamid.B{i}", $"deposit {i} missing", from: $"49151000000{i:00}")).ToArray();
        var contacts = Enumerable.Range(0, 20).Select(i => WhatsAppContact($"49151000000{i:00}", name: $"Customer {i}")).ToArray();

        var status = await PostAsync(client, Delivery("whatsapp_business_account", WhatsAppEntry(messages, contacts)));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(20, await host.CountTicketsAsync());
        Assert.Equal("Customer 7", (await TicketOfAsync(host, "whatsapp", "wamid.B7")).Ticket.Contact.Name);
        await CloudApiCallAsync(count: 20);
    }

    [Fact]
    public async Task A_malformed_event_among_good_ones_is_skipped_and_the_others_are_stored()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();
        var noSender = new JsonObject { ["timestamp"] = Time, ["message"] = new JsonObject { ["mid"] = "m_bad", ["text"] = "lost?" } };

        var status = await PostAsync(client, Messenger(TextEvent("m_g1", "deposit missing", sender: "800001"), noSender, TextEvent("m_g2", "withdrawal stuck", sender: "800002")));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, await host.CountTicketsAsync());
        await TicketOfAsync(host, "messenger", "m_g1");
        await TicketOfAsync(host, "messenger", "m_g2");
        Assert.Contains(logs.Lines, line => line.Contains("entry 0 messaging 1 skipped as malformed: missing sender", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_same_delivery_repeated_and_concurrently_makes_no_duplicates()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();
        var body = Messenger(TextEvent("m_dup1", "my deposit is missing"), TextEvent("m_dup2", "it was 100 USDT"));

        var statuses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => PostAsync(client, body)));
        var again = await PostAsync(client, body);

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(HttpStatusCode.OK, again);
        Assert.Equal(1, await host.CountTicketsAsync());
        var ticket = (await TicketOfAsync(host, "messenger", "m_dup1")).Ticket;
        Assert.Equal(2, (await InboundAsync(host, ticket.Id)).Count);
        await SendApiCallAsync();
        await Task.Delay(500, Cancellation);
        Assert.Single(graph.SendApiCalls);
    }

    [Fact]
    public async Task Echoes_reads_deliveries_reactions_and_statuses_store_nothing_and_send_nothing()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();

        Assert.Equal(HttpStatusCode.OK, await PostAsync(client, Messenger(EchoEvent("m_echo", "We opened ticket T-ABC234"), ReadEvent(), DeliveryEvent(), ReactionEvent())));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(client, Instagram(EchoEvent("ig_echo", "We opened ticket T-ABC234"))));
        Assert.Equal(HttpStatusCode.OK, await PostAsync(client, Delivery("whatsapp_business_account", WhatsAppEntry([], statuses: [WhatsAppStatus("wamid.OUT1")]))));

        Assert.Equal(0, await host.CountTicketsAsync());
        await Task.Delay(300, Cancellation);
        Assert.Empty(graph.Requests);
    }

    [Fact]
    public async Task A_throttled_acknowledgement_is_retried_and_then_sent()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();
        graph.RespondNextWith(429, retryAfter: "1");

        await PostAsync(client, Messenger(TextEvent("m_429", "my withdrawal is stuck")));

        var ack = await SendApiCallAsync(count: 2);
        Assert.Equal(200, ack.Status);
        Assert.Equal(429, graph.SendApiCalls[0].Status);
        var ticket = (await TicketOfAsync(host, "messenger", "m_429")).Ticket;
        Assert.Equal("messenger", (await OutboundAsync(host, ticket.Id, OutboundStatus.Sent)).Channel);
    }

    [Fact]
    public async Task A_refused_acknowledgement_is_recorded_failed_without_retrying()
    {
        await using var host = await StartHostAsync(extra: new() { ["Worker:RetryDelay"] = "00:00:00.050" });
        using var client = host.CreateClient();
        graph.RespondNextWith(403);

        await PostAsync(client, WhatsApp(WhatsAppText("wamid.F1", "my withdrawal is stuck")));

        var ticket = (await TicketOfAsync(host, "whatsapp", "wamid.F1")).Ticket;
        await OutboundAsync(host, ticket.Id, OutboundStatus.Failed);
        await Task.Delay(500, Cancellation);
        Assert.Single(graph.CloudApiCalls);
    }

    /// <summary>A ticket whose customer last wrote 25 hours ago, queued for its acknowledgement as intake would queue it.</summary>
    private static async Task<Ticket> QueueOldTicketAsync(IntakeHost host, string channel, string contactId)
    {
        var time = host.Services.GetRequiredService<TimeProvider>();
        var wrote = time.GetUtcNow().AddHours(-25);
        var id = TicketIds.NewId(time);
        var ticket = new Ticket
        {
            Id = id,
            Reference = TicketIds.ReferenceOf(id),
            Channel = channel,
            Contact = new Contact(channel, contactId),
            Language = "en",
            Category = TicketCategory.Withdrawal,
            Urgency = Urgency.High,
            CreatedAt = wrote,
            LastInboundAt = wrote,
            ReplyToId = $"{channel}-old",
        };
        var created = (await host.Services.GetRequiredService<TicketStore>().CreateAsync(new NewTicket(ticket, "my withdrawal is stuck", $"{channel}-old"), Cancellation)).Ticket;
        await host.Services.GetRequiredService<ITicketQueue>().EnqueueAsync(
            new TicketQueueMessage($"{channel}:{channel}-old", created.Id, created.Reference, created.Urgency, channel, TicketEvent.Created), Cancellation);
        return created;
    }

    [Theory]
    [InlineData("messenger", Psid)]
    [InlineData("instagram", "17841400000000001")]
    [InlineData("whatsapp", WaId)]
    public async Task Outside_the_24_hour_window_the_acknowledgement_is_recorded_window_closed_and_not_sent(string channel, string contactId)
    {
        await using var host = await StartHostAsync();

        var ticket = await QueueOldTicketAsync(host, channel, contactId);

        Assert.Equal(channel, (await OutboundAsync(host, ticket.Id, OutboundStatus.WindowClosed)).Channel);
        Assert.Empty(graph.Requests);
    }

    [Fact]
    public async Task Outside_the_window_whatsapp_sends_the_configured_template()
    {
        await using var host = await StartHostAsync(templateName: "support_ticket_update");

        var ticket = await QueueOldTicketAsync(host, "whatsapp", WaId);

        var call = await CloudApiCallAsync();
        Assert.Equal("template", call.Json.GetProperty("type").GetString());
        Assert.Equal("support_ticket_update", call.Json.GetProperty("template").GetProperty("name").GetString());
        Assert.Equal("en", call.Json.GetProperty("template").GetProperty("language").GetProperty("code").GetString());
        Assert.Equal(WaId, call.Json.GetProperty("to").GetString());
        Assert.False(call.Json.TryGetProperty("text", out _));
        await OutboundAsync(host, ticket.Id, OutboundStatus.Sent);
    }

    [Fact]
    public async Task When_storing_fails_for_a_reason_not_an_outage_every_event_is_tried_the_answer_is_500_and_a_redelivery_stores_each_once()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();
        var tickets = new TableClient(host.ConnectionString, host.Prefix + TicketStore.TicketsTable);
        var body = Messenger(TextEvent("m_s1", "deposit missing", sender: "900001"), TextEvent("m_s2", "withdrawal stuck", sender: "900002"), TextEvent("m_s3", "cannot log in", sender: "900003"));
        await tickets.DeleteAsync(Cancellation);

        var failed = await PostAsync(client, body);

        Assert.Equal(HttpStatusCode.InternalServerError, failed);
        Assert.Equal(3, logs.Lines.Count(line => line.Contains("could not be stored", StringComparison.Ordinal)));

        await tickets.CreateIfNotExistsAsync(Cancellation);
        var redelivered = await PostAsync(client, body);

        Assert.Equal(HttpStatusCode.OK, redelivered);
        Assert.Equal(3, await host.CountTicketsAsync());
        foreach (var mid in (string[])["m_s1", "m_s2", "m_s3"])
        {
            Assert.Single(await InboundAsync(host, (await TicketOfAsync(host, "messenger", mid)).Ticket.Id));
        }
    }

    [Fact]
    public async Task While_the_queue_does_not_answer_a_delivery_is_refused_and_its_redelivery_makes_one_ticket_and_one_acknowledgement_per_event()
    {
        await using var host = await StartHostAsync(services: services =>
        {
            services.AddSingleton(sp => new SwitchableQueue(sp.GetRequiredService<StorageTicketQueue>()));
            services.AddSingleton<ITicketQueue>(sp => sp.GetRequiredService<SwitchableQueue>());
        });
        using var client = host.CreateClient();
        var queue = host.Services.GetRequiredService<SwitchableQueue>();
        var body = Messenger(TextEvent("m_o1", "my deposit is missing", sender: "910001"), TextEvent("m_o2", "my withdrawal is stuck", sender: "910002"));

        // The tickets and their contacts' index rows are written; their queue messages cannot be. Meta retries any answer
        // but 200, and the redelivery finds each sender's ticket: it must still be queued as the ticket's creation.
        queue.Down = true;
        Assert.Equal(HttpStatusCode.ServiceUnavailable, await PostAsync(client, body));

        queue.Down = false;
        Assert.Equal(HttpStatusCode.OK, await PostAsync(client, body));

        Assert.Equal(2, await host.CountTicketsAsync());
        await SendApiCallAsync(2);
        await Task.Delay(500, Cancellation);
        Assert.Equal(["910001", "910002"], graph.SendApiCalls.Select(call => call.Json.GetProperty("recipient").GetProperty("id").GetString()).Order());
    }
}
