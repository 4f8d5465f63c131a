using System.Globalization;
using System.Net;
using Intake.Tests.Channels.Meta;
using Intake.Tests.Channels.Telegram;
using Intake.Tests.Channels.X;
using Intake.Tests.Fakes;
using Intake.Tests.Integration;
using Intake.Tickets;
using Microsoft.Extensions.DependencyInjection;
using static Intake.Tests.Agents.AgentApi;

namespace Intake.Tests.Agents;

/// <summary>An agent's reply goes out on the ticket's own channel: Telegram, Messenger, WhatsApp and X, each against its fake.</summary>
public sealed class AgentReplyChannelsTests(AzuriteFixture azurite)
{
    private const string Answer = "We have found your withdrawal & it is on its way <3";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static async Task<string> TicketIdAsync(IntakeHost host, string channel, string providerMessageId) =>
        (await IntakeHost.WaitForAsync(
            () => host.Services.GetRequiredService<TicketStore>().FindByProviderMessageAsync(channel, providerMessageId, Cancellation),
            "the ticket")).Ticket.Id;

    /// <summary>Replies as an agent and checks what the ticket then shows: the reply in the thread and marked sent on the channel, the clock stopped.</summary>
    private static async Task ReplyAndCheckTicketAsync(HttpClient client, string ticketId, string channel)
    {
        var reply = await ReplyAsync(client, ticketId, Answer);
        Assert.Equal(HttpStatusCode.Accepted, reply.Status);
        Assert.NotNull(reply.String("firstRespondedAt"));
        Assert.Equal(Answer, reply.Messages.Last().GetProperty("text").GetString());
        Assert.Equal("outbound", reply.Messages.Last().GetProperty("direction").GetString());

        var done = await WaitForOutboundAsync(client, ticketId, "reply");
        var record = Assert.Single(done.Outbound, o => o.GetProperty("kind").GetString() == "reply");
        Assert.Equal(channel, record.GetProperty("channel").GetString());
        Assert.Equal("sent", record.GetProperty("status").GetString());
    }

    [Fact]
    public async Task A_reply_to_a_telegram_ticket_goes_to_the_chat_replying_to_the_customers_message()
    {
        await using var telegram = new FakeTelegram();
        await telegram.StartAsync(Cancellation);
        await using var host = await IntakeHost.StartAsync(azurite, Settings(telegram.Settings("webhook-secret_0123456789")));
        using var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, await TelegramEndToEndTests.PostAsync(client, TelegramFixtures.Text(7001, "My withdrawal is stuck", messageId: 55), "webhook-secret_0123456789"));
        var ticketId = await TicketIdAsync(host, "telegram", "7001");
        await IntakeHost.WaitForAsync(() => Task.FromResult(telegram.Calls("sendMessage").Count >= 1 ? telegram.Calls("sendMessage")[0] : null), "the acknowledgement");

        await ReplyAndCheckTicketAsync(client, ticketId, "telegram");

        var sent = Assert.Single(telegram.Calls("sendMessage").Skip(1));
        Assert.Equal(TelegramFixtures.ChatId.ToString(CultureInfo.InvariantCulture), sent.ChatId);
        Assert.Equal("We have found your withdrawal &amp; it is on its way &lt;3", sent.Text);
        Assert.Equal(55, sent.Json.GetProperty("reply_parameters").GetProperty("message_id").GetInt32());
    }

    [Fact]
    public async Task A_reply_to_a_messenger_ticket_goes_through_the_send_api()
    {
        await using var graph = new FakeGraph();
        await graph.StartAsync(Cancellation);
        await using var host = await IntakeHost.StartAsync(azurite, Settings(graph.Settings(MetaFixtures.AppSecret, MetaFixtures.VerifyToken)));
        using var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, await MetaEndToEndTests.PostAsync(client, MetaFixtures.Messenger(MetaFixtures.TextEvent("m_agent1", "My withdrawal is stuck"))));
        var ticketId = await TicketIdAsync(host, "messenger", "m_agent1");
        await IntakeHost.WaitForAsync(() => Task.FromResult(graph.SendApiCalls.Count >= 1 ? graph.SendApiCalls[0] : null), "the acknowledgement");

        await ReplyAndCheckTicketAsync(client, ticketId, "messenger");

        var sent = Assert.Single(graph.SendApiCalls.Skip(1));
        Assert.Equal(MetaFixtures.Psid, sent.Json.GetProperty("recipient").GetProperty("id").GetString());
        Assert.Equal(FakeGraph.PageAccessToken, sent.BearerToken);
        Assert.Equal(Answer, sent.Text);
    }

    [Fact]
    public async Task A_reply_to_a_whatsapp_ticket_goes_through_the_cloud_api()
    {
        await using var graph = new FakeGraph();
        await graph.StartAsync(Cancellation);
        await using var host = await IntakeHost.StartAsync(azurite, Settings(graph.Settings(MetaFixtures.AppSecret, MetaFixtures.VerifyToken)));
        using var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, await MetaEndToEndTests.PostAsync(client, MetaFixtures.WhatsApp(MetaFixtures.WhatsAppText("wamid.AGENT1", "My withdrawal is stuck"))));
        var ticketId = await TicketIdAsync(host, "whatsapp", "wamid.AGENT1");
        await IntakeHost.WaitForAsync(() => Task.FromResult(graph.CloudApiCalls.Count >= 1 ? graph.CloudApiCalls[0] : null), "the acknowledgement");

        await ReplyAndCheckTicketAsync(client, ticketId, "whatsapp");

        var sent = Assert.Single(graph.CloudApiCalls.Skip(1));
        Assert.Equal(MetaFixtures.WaId, sent.Json.GetProperty("to").GetString());
        Assert.Equal(FakeGraph.WhatsAppToken, sent.BearerToken);
        Assert.Equal("text", sent.Json.GetProperty("type").GetString());
        Assert.Equal(Answer, sent.Text);
    }

    [Fact]
    public async Task A_reply_to_an_x_ticket_goes_as_a_direct_message()
    {
        await using var x = new FakeX();
        await x.StartAsync(Cancellation);
        await using var host = await IntakeHost.StartAsync(azurite, Settings(x.Settings(XFixtures.ConsumerSecret)));
        using var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, await XEndToEndTests.PostAsync(client, XFixtures.Text("1900000000000000001", "My withdrawal is stuck")));
        var ticketId = await TicketIdAsync(host, "x", "1900000000000000001");
        await IntakeHost.WaitForAsync(() => Task.FromResult(x.Sends.Count >= 1 ? x.Sends[0] : null), "the acknowledgement");

        await ReplyAndCheckTicketAsync(client, ticketId, "x");

        var sent = Assert.Single(x.Sends.Skip(1));
        Assert.Equal(XFixtures.CustomerId, sent.ParticipantId);
        Assert.Equal(FakeX.AccessToken, sent.BearerToken);
        Assert.Equal(Answer, sent.Text);
    }
}
