using System.Globalization;
using System.Net;
using System.Text;
using Intake.Outbound;
using Intake.Tests.Channels.Telegram;
using Intake.Tests.Fakes;
using Intake.Tests.Integration;
using Intake.Tickets;
using Intake.Triage;
using Microsoft.Extensions.DependencyInjection;
using static Intake.Tests.Channels.X.XFixtures;

namespace Intake.Tests.Channels.X;

/// <summary>
/// The X channel through the real host: signed deliveries to the webhook over Azurite, the worker's acknowledgement over
/// real HTTP to an in-process fake of the X API.
/// </summary>
public sealed class XEndToEndTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Mnemonic = "legal winner thank year wave sausage worth useful legal winner thank yellow";
    private static readonly Uri Webhook = new("/api/intake/x", UriKind.Relative);

    private readonly FakeX x = new();
    private readonly CapturedLogs logs = new();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await x.StartAsync(Cancellation);

    public async ValueTask DisposeAsync() => await x.DisposeAsync();

    private Task<IntakeHost> StartHostAsync(Dictionary<string, string>? extra = null)
    {
        var settings = x.Settings(ConsumerSecret);
        foreach (var (key, value) in extra ?? [])
        {
            settings[key] = value;
        }

        return IntakeHost.StartAsync(azurite, settings, logs: logs);
    }

    internal static async Task<HttpStatusCode> PostAsync(HttpClient client, string payload)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Webhook) { Content = new StringContent(payload, Encoding.UTF8, "application/json") };
        request.Headers.Add("x-twitter-webhooks-signature", Sign(payload));
        using var response = await client.SendAsync(request, Cancellation);
        return response.StatusCode;
    }

    private static async Task<StoredTicket> TicketOfEventAsync(IntakeHost host, string eventId) =>
        await host.Services.GetRequiredService<TicketStore>().FindByProviderMessageAsync("x", eventId, Cancellation)
        ?? throw new InvalidOperationException($"No ticket for event {eventId}.");

    private Task<XRequest> AcknowledgementAsync(int count = 1) =>
        IntakeHost.WaitForAsync(() => Task.FromResult(x.Sends.Count(s => s.Status == 201) >= count ? x.Sends.Where(s => s.Status == 201).ElementAt(count - 1) : null), "the acknowledgement");

    private static Task<OutboundRecord> OutboundAsync(IntakeHost host, string ticketId, OutboundStatus status) =>
        IntakeHost.WaitForAsync(
            async () => (await host.Services.GetRequiredService<OutboundLog>().ListAsync(ticketId, Cancellation)).FirstOrDefault(o => o.Status == status),
            $"the acknowledgement marked {status}");

    private static async Task<List<TicketMessage>> InboundAsync(IntakeHost host, string ticketId) =>
        [.. (await host.Services.GetRequiredService<TicketStore>().GetMessagesAsync(ticketId, Cancellation)).Where(m => m.Direction == MessageDirection.Inbound)];

    [Fact]
    public async Task A_direct_message_is_stored_redacted_and_acknowledged_in_the_same_conversation()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();

        var status = await PostAsync(client, Text("1630000000000000101", $"Help, my wallet recovery phrase is: {Mnemonic} and my USDT is gone"));

        Assert.Equal(HttpStatusCode.OK, status);
        var ticket = (await TicketOfEventAsync(host, "1630000000000000101")).Ticket;
        Assert.Equal("x", ticket.Channel);
        Assert.Equal(new Contact("x", CustomerId, "Ada Lovelace"), ticket.Contact);
        Assert.Equal(Urgency.Urgent, ticket.Urgency);
        Assert.Contains("secret_exposed", ticket.Flags);
        Assert.Equal("1630000000000000101", ticket.ReplyToId);
        var stored = Assert.Single(await InboundAsync(host, ticket.Id));
        Assert.Equal("Help, my wallet recovery phrase is: [REDACTED:mnemonic] and my USDT is gone", stored.Text);

        var ack = await AcknowledgementAsync();
        Assert.Equal("POST", ack.Method);
        Assert.Equal($"/2/dm_conversations/with/{CustomerId}/messages", ack.Path);
        Assert.True(ack.HasBearerToken);
        Assert.Equal(FakeX.AccessToken, ack.BearerToken);
        Assert.Contains($"opened ticket {ticket.Reference}", ack.Text, StringComparison.Ordinal);
        Assert.Contains("move them to a new wallet", ack.Text, StringComparison.Ordinal);

        var outbound = await OutboundAsync(host, ticket.Id, OutboundStatus.Sent);
        Assert.Equal("x", outbound.Channel);
        Assert.Matches("^[0-9]+$", outbound.ProviderMessageId);
        Assert.DoesNotContain(x.Requests, r => r.Body.Contains("sausage", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, line => line.Contains("sausage", StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, line => line.Contains(FakeX.AccessToken, StringComparison.Ordinal) || line.Contains(ConsumerSecret, StringComparison.Ordinal));
        Assert.DoesNotContain(logs.Lines, line => line.Contains("USDT is gone", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("我的提币三个小时了还没到账", "我们已收到您的消息，工单号为")]
    [InlineData("我的提幣三個小時了還沒到帳", "我們已收到您的訊息，工單編號為")]
    public async Task A_chinese_direct_message_is_acknowledged_in_chinese(string text, string expected)
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();

        Assert.Equal(HttpStatusCode.OK, await PostAsync(client, Text("1630000000000000201", text)));

        var reference = (await TicketOfEventAsync(host, "1630000000000000201")).Ticket.Reference;
        var ack = await AcknowledgementAsync();
        Assert.Contains($"{expected} {reference}", ack.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_message_from_the_same_sender_joins_the_open_ticket_without_a_second_acknowledgement()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();

        await PostAsync(client, Text("1630000000000000301", "my withdrawal is stuck"));
        await AcknowledgementAsync();
        await PostAsync(client, Text("1630000000000000302", "it was 500 USDT on TRC20"));

        var first = (await TicketOfEventAsync(host, "1630000000000000301")).Ticket;
        var second = (await TicketOfEventAsync(host, "1630000000000000302")).Ticket;
        Assert.Equal(first.Id, second.Id);
        Assert.Equal("1630000000000000302", second.ReplyToId);
        Assert.Equal(1, await host.CountTicketsAsync());
        Assert.Equal(["my withdrawal is stuck", "it was 500 USDT on TRC20"], (await InboundAsync(host, first.Id)).Select(m => m.Text));
        await Task.Delay(500, Cancellation);
        Assert.Single(x.Sends);
    }

    [Fact]
    public async Task A_batch_of_twenty_messages_in_one_delivery_becomes_twenty_tickets_or_follow_ups_none_lost()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();

        // Fourteen customers; three of them write three times in the same delivery.
        var events = Enumerable.Range(0, 20)
            .Select(i => (Id: (1630000000000001000 + i).ToString(CultureInfo.InvariantCulture), Sender: (5000 + (i < 14 ? i : i % 3)).ToString(CultureInfo.InvariantCulture), Text: $"my deposit number {i} is missing"))
            .ToList();
        var status = await PostAsync(client, Payload([.. events.Select(e => Event(e.Id, e.Sender, e.Text))]));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(14, await host.CountTicketsAsync());
        foreach (var group in events.GroupBy(e => e.Sender))
        {
            var ticket = (await TicketOfEventAsync(host, group.First().Id)).Ticket;
            Assert.Equal(group.Key, ticket.Contact.Id);
            foreach (var e in group)
            {
                Assert.Equal(ticket.Id, (await TicketOfEventAsync(host, e.Id)).Ticket.Id);
            }

            Assert.Equal(group.Select(e => e.Text), (await InboundAsync(host, ticket.Id)).Select(m => m.Text));
        }

        await AcknowledgementAsync(count: 14);
        await Task.Delay(500, Cancellation);
        Assert.Equal(14, x.Sends.Count);
        Assert.Equal(14, x.Sends.Select(s => s.ParticipantId).Distinct().Count());
    }

    [Fact]
    public async Task A_repeated_delivery_stores_nothing_twice_and_acknowledges_once()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();
        var payload = Payload(Event("1630000000000000401", CustomerId, "my deposit is missing"), Event("1630000000000000402", CustomerId, "it was 200 USDT"));

        Assert.Equal(HttpStatusCode.OK, await PostAsync(client, payload));
        await AcknowledgementAsync();
        Assert.Equal(HttpStatusCode.OK, await PostAsync(client, payload));

        Assert.Equal(1, await host.CountTicketsAsync());
        var ticket = (await TicketOfEventAsync(host, "1630000000000000401")).Ticket;
        Assert.Equal(2, (await InboundAsync(host, ticket.Id)).Count);
        await Task.Delay(500, Cancellation);
        Assert.Single(x.Sends);
    }

    [Fact]
    public async Task The_same_delivery_arriving_concurrently_makes_one_ticket_and_one_acknowledgement()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();
        var payload = Text("1630000000000000501", "my deposit is missing");

        var statuses = await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => PostAsync(client, payload)));

        Assert.All(statuses, status => Assert.Equal(HttpStatusCode.OK, status));
        Assert.Equal(1, await host.CountTicketsAsync());
        var ticket = (await TicketOfEventAsync(host, "1630000000000000501")).Ticket;
        Assert.Single(await InboundAsync(host, ticket.Id));
        await AcknowledgementAsync();
        await Task.Delay(500, Cancellation);
        Assert.Single(x.Sends);
    }

    [Fact]
    public async Task Our_own_messages_are_ignored()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();

        var status = await PostAsync(client, Payload(Event("1630000000000000601", SupportAccountId, "We have received your message, ticket T-ABC234", recipientId: CustomerId)));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, await host.CountTicketsAsync());
        await Task.Delay(300, Cancellation);
        Assert.Empty(x.Requests);
    }

    [Fact]
    public async Task A_malformed_event_in_a_batch_is_skipped_and_the_good_ones_are_stored()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();
        var noSender = Event("1630000000000000702", "5702", "who sent this?");
        noSender["message_create"]!.AsObject().Remove("sender_id");

        var status = await PostAsync(client, Payload(Event("1630000000000000701", "5701", "my deposit is missing"), noSender, Event("1630000000000000703", "5703", "my withdrawal is stuck")));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, await host.CountTicketsAsync());
        await TicketOfEventAsync(host, "1630000000000000701");
        await TicketOfEventAsync(host, "1630000000000000703");
        Assert.Null(await host.Services.GetRequiredService<TicketStore>().FindByProviderMessageAsync("x", "1630000000000000702", Cancellation));
        Assert.Contains(logs.Lines, line => line.Contains("skipped as malformed: no sender", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_photo_is_noted_on_the_message_by_its_media_url()
    {
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();

        await PostAsync(client, Payload(Event("1630000000000000801", CustomerId, "deposit missing https://t.co/abc", attachment: Photo("1700000000000000801"))));

        var ticket = (await TicketOfEventAsync(host, "1630000000000000801")).Ticket;
        var note = Assert.Single(Assert.Single(await InboundAsync(host, ticket.Id)).Details!.Attachments);
        Assert.Equal("https://ton.twitter.com/1.1/ton/data/dm/1/1700000000000000801/abc.jpg", note.ProviderFileId);
        Assert.Null(note.Blob);
    }

    [Fact]
    public async Task A_rate_limited_acknowledgement_is_retried_and_then_sent()
    {
        await using var host = await StartHostAsync(new() { ["Worker:RetryDelay"] = "00:00:00.050" });
        using var client = host.CreateClient();

        // Two in a row: the sender's own short wait meets the second, so the queue's redelivery sends it.
        x.RespondNextWith(429, count: 2);
        await PostAsync(client, Text("1630000000000000901", "my withdrawal is stuck"));

        var ticket = (await TicketOfEventAsync(host, "1630000000000000901")).Ticket;
        var outbound = await OutboundAsync(host, ticket.Id, OutboundStatus.Sent);
        Assert.Equal("x", outbound.Channel);
        Assert.Equal([429, 429, 201], x.Sends.Select(s => s.Status));
        Assert.Equal(x.Sends[0].Body, x.Sends[2].Body);
    }

    [Fact]
    public async Task A_refused_acknowledgement_is_recorded_failed_without_retrying()
    {
        await using var host = await StartHostAsync(new() { ["Worker:RetryDelay"] = "00:00:00.050" });
        using var client = host.CreateClient();
        x.RespondNextWith(403);

        await PostAsync(client, Text("1630000000000001001", "my withdrawal is stuck"));

        var ticket = (await TicketOfEventAsync(host, "1630000000000001001")).Ticket;
        Assert.Equal("x", (await OutboundAsync(host, ticket.Id, OutboundStatus.Failed)).Channel);
        await Task.Delay(500, Cancellation);
        Assert.Single(x.Sends);
        Assert.DoesNotContain(logs.Lines, line => line.Contains("You sent", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_an_access_token_messages_are_stored_and_the_acknowledgement_recorded_not_configured()
    {
        await using var host = await StartHostAsync(new() { ["X:AccessToken"] = "" });
        using var client = host.CreateClient();

        Assert.Equal(HttpStatusCode.OK, await PostAsync(client, Text("1630000000000001101", "my withdrawal is stuck")));

        var ticket = (await TicketOfEventAsync(host, "1630000000000001101")).Ticket;
        await OutboundAsync(host, ticket.Id, OutboundStatus.NotConfigured);
        Assert.Empty(x.Requests);
    }

    [Fact]
    public async Task A_block_explorer_link_behind_tco_reaches_the_ticket_with_its_transaction_hash()
    {
        const string hash = "0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060";
        await using var host = await StartHostAsync();
        using var client = host.CreateClient();
        var payload = Payload(WithUrls(
            Event("1630000000000000901", CustomerId, "My deposit has not arrived, here is the transfer https://t.co/Xy9Tz8Wq7R"),
            Url("https://t.co/Xy9Tz8Wq7R", $"https://etherscan.io/tx/{hash}", [49, 72])));

        Assert.Equal(HttpStatusCode.OK, await PostAsync(client, payload));

        var ticket = (await TicketOfEventAsync(host, "1630000000000000901")).Ticket;
        var stored = Assert.Single(await InboundAsync(host, ticket.Id));
        Assert.Equal($"My deposit has not arrived, here is the transfer https://etherscan.io/tx/{hash}", stored.Text);
        Assert.Contains(ticket.Entities.TxHashes, h => h.Contains(hash[2..], StringComparison.OrdinalIgnoreCase));
    }
}
