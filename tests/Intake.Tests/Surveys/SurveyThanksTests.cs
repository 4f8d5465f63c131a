using System.Net;
using Intake.Surveys;
using Intake.Tests.Channels.Meta;
using Intake.Tests.Channels.Telegram;
using Intake.Tests.Channels.X;
using Intake.Tests.Fakes;
using Intake.Tests.Integration;
using Intake.Tickets;
using Microsoft.Extensions.DependencyInjection;
using static Intake.Tests.Agents.AgentApi;

namespace Intake.Tests.Surveys;

/// <summary>An answer on Messenger, Instagram, WhatsApp or X is thanked with one short message; a repeat or a refused one is not.</summary>
public sealed class SurveyThanksTests(AzuriteFixture azurite)
{
    private const string Thanks = "Thank you — your rating is recorded.";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static Dictionary<string, string> With(Dictionary<string, string> channel) =>
        Settings(new Dictionary<string, string>(channel) { ["Intake:PublicBaseUrl"] = "https://support.example" });

    private static async Task<string> TicketIdAsync(IntakeHost host, string channel, string providerMessageId) =>
        (await IntakeHost.WaitForAsync(
            () => host.Services.GetRequiredService<TicketStore>().FindByProviderMessageAsync(channel, providerMessageId, Cancellation),
            "the ticket")).Ticket.Id;

    private static async Task ResolveAndWaitForSurveyAsync(HttpClient client, string ticketId)
    {
        Assert.Equal(HttpStatusCode.OK, (await ResolveAsync(client, ticketId)).Status);
        await WaitForOutboundAsync(client, ticketId, "survey");
    }

    /// <summary>Waits for the thank-you's record to be marked, then lets any second one have its chance; returns its status.</summary>
    private static async Task<string> ThanksStatusAsync(HttpClient client, string ticketId)
    {
        await WaitForOutboundAsync(client, ticketId, SurveyDesk.ThanksKey);
        await Task.Delay(500, Cancellation);
        var ticket = await GetAsync(client, ticketId);
        return Assert.Single(ticket.Outbound, o => o.GetProperty("kind").GetString() == SurveyDesk.ThanksKey).GetProperty("status").GetString()!;
    }

    /// <summary>A redelivered queue message: the worker's handler called again for the ticket.</summary>
    private static async Task ThankAgainAsync(IntakeHost host, string ticketId)
    {
        var stored = await host.Services.GetRequiredService<TicketStore>().GetAsync(ticketId, Cancellation);
        await host.Services.GetRequiredService<SurveyDesk>().ThankAsync(stored!, Cancellation);
    }

    [Theory]
    [InlineData("page", "messenger")]
    [InlineData("instagram", "instagram")]
    public async Task Messenger_and_instagram_thank_once_for_the_answer_and_not_for_a_repeat(string objectKind, string channel)
    {
        await using var graph = new FakeGraph();
        await graph.StartAsync(Cancellation);
        await using var host = await IntakeHost.StartAsync(azurite, With(graph.Settings(MetaFixtures.AppSecret, MetaFixtures.VerifyToken)));
        using var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, await MetaEndToEndTests.PostAsync(
            client, MetaFixtures.Delivery(objectKind, MetaFixtures.Entry(MetaFixtures.TextEvent("m_thanks1", "My deposit is missing")))));
        var ticketId = await TicketIdAsync(host, channel, "m_thanks1");
        await ResolveAndWaitForSurveyAsync(client, ticketId);
        var payloads = graph.SendApiCalls.Select(c => c.Json.GetProperty("message")).Single(m => m.TryGetProperty("quick_replies", out _))
            .GetProperty("quick_replies").EnumerateArray().Select(q => q.GetProperty("payload").GetString()!).ToList();
        var answer = MetaFixtures.Delivery(objectKind, MetaFixtures.Entry(MetaFixtures.QuickReplyEvent("m_thanks2", "5", payloads[4])));

        Assert.Equal(HttpStatusCode.OK, await MetaEndToEndTests.PostAsync(client, answer));
        Assert.Equal("sent", await ThanksStatusAsync(client, ticketId));
        Assert.Equal(HttpStatusCode.OK, await MetaEndToEndTests.PostAsync(client, answer));
        Assert.Equal(HttpStatusCode.OK, await MetaEndToEndTests.PostAsync(
            client, MetaFixtures.Delivery(objectKind, MetaFixtures.Entry(MetaFixtures.QuickReplyEvent("m_thanks3", "1", payloads[0])))));
        await ThankAgainAsync(host, ticketId);
        await Task.Delay(500, Cancellation);

        var thanks = Assert.Single(graph.SendApiCalls, c => c.Text == Thanks);
        Assert.False(thanks.Json.GetProperty("message").TryGetProperty("quick_replies", out _));
        Assert.Equal("sent", await ThanksStatusAsync(client, ticketId));
        Assert.Equal(5, (await host.Services.GetRequiredService<SurveyStore>().FindForTicketAsync(ticketId, Cancellation))!.Score);
        Assert.Equal("resolved", (await GetAsync(client, ticketId)).String("status"));
    }

    [Fact]
    public async Task Whatsapp_thanks_for_an_answer_given_after_the_customers_window_closed_since_the_answer_opens_it_again()
    {
        var clock = new ShiftedClock();
        await using var graph = new FakeGraph();
        await graph.StartAsync(Cancellation);
        await using var host = await IntakeHost.StartAsync(azurite, With(graph.Settings(MetaFixtures.AppSecret, MetaFixtures.VerifyToken)), time: clock);
        using var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, await MetaEndToEndTests.PostAsync(client, MetaFixtures.WhatsApp(MetaFixtures.WhatsAppText("wamid.THANKS1", "My deposit is missing"))));
        var ticketId = await TicketIdAsync(host, "whatsapp", "wamid.THANKS1");
        await ResolveAndWaitForSurveyAsync(client, ticketId);
        var rows = graph.CloudApiCalls.Select(c => c.Json).Single(j => j.GetProperty("type").GetString() == "interactive")
            .GetProperty("interactive").GetProperty("action").GetProperty("sections")[0].GetProperty("rows").EnumerateArray().ToList();

        // The customer's last message is 25 hours old when they answer: only the answer itself opens the window.
        clock.Advance(TimeSpan.FromHours(25));
        Assert.Equal(HttpStatusCode.OK, await MetaEndToEndTests.PostAsync(client, MetaFixtures.WhatsApp(MetaFixtures.WhatsAppListReply("wamid.THANKS2", rows[3].GetProperty("id").GetString()!, "4"))));
        Assert.Equal("sent", await ThanksStatusAsync(client, ticketId));
        await ThankAgainAsync(host, ticketId);

        var thanks = Assert.Single(graph.CloudApiCalls, c => c.Text == Thanks);
        Assert.Equal("text", thanks.Json.GetProperty("type").GetString());
        Assert.DoesNotContain(graph.CloudApiCalls, c => c.Json.GetProperty("type").GetString() == "template");
    }

    [Fact]
    public async Task Whatsapp_records_window_closed_for_a_thank_you_left_until_the_window_has_passed()
    {
        var clock = new ShiftedClock();
        await using var graph = new FakeGraph();
        await graph.StartAsync(Cancellation);
        await using var host = await IntakeHost.StartAsync(azurite, With(graph.Settings(MetaFixtures.AppSecret, MetaFixtures.VerifyToken)), time: clock);
        using var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, await MetaEndToEndTests.PostAsync(client, MetaFixtures.WhatsApp(MetaFixtures.WhatsAppText("wamid.THANKS5", "My deposit is missing"))));
        var ticketId = await TicketIdAsync(host, "whatsapp", "wamid.THANKS5");
        await ResolveAndWaitForSurveyAsync(client, ticketId);
        var surveys = host.Services.GetRequiredService<SurveyStore>();
        var survey = (await surveys.FindForTicketAsync(ticketId, Cancellation))!;

        // Answered in the store (no queue message), then the thank-you's turn comes a day and more later.
        Assert.Equal(SurveyAnswerStatus.Recorded, (await surveys.AnswerAsync(SurveyStore.DayOf(survey.SentAt), ticketId, 4, null, clock.GetUtcNow(), Cancellation)).Status);
        clock.Advance(TimeSpan.FromHours(25));
        await ThankAgainAsync(host, ticketId);

        Assert.DoesNotContain(graph.CloudApiCalls, c => c.Text == Thanks);
        Assert.DoesNotContain(graph.CloudApiCalls, c => c.Json.GetProperty("type").GetString() == "template");
        Assert.Equal("window_closed", await ThanksStatusAsync(client, ticketId));
    }

    [Fact]
    public async Task X_thanks_once_for_the_digit_and_not_for_a_second_one()
    {
        await using var x = new FakeX();
        await x.StartAsync(Cancellation);
        await using var host = await IntakeHost.StartAsync(azurite, With(x.Settings(XFixtures.ConsumerSecret)));
        using var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, await XEndToEndTests.PostAsync(client, XFixtures.Text("1930000000000000001", "My withdrawal is stuck")));
        var ticketId = await TicketIdAsync(host, "x", "1930000000000000001");
        await ResolveAndWaitForSurveyAsync(client, ticketId);

        Assert.Equal(HttpStatusCode.OK, await XEndToEndTests.PostAsync(client, XFixtures.Text("1930000000000000002", "4")));
        Assert.Equal("sent", await ThanksStatusAsync(client, ticketId));
        Assert.Equal(HttpStatusCode.OK, await XEndToEndTests.PostAsync(client, XFixtures.Text("1930000000000000002", "4")));
        Assert.Equal(HttpStatusCode.OK, await XEndToEndTests.PostAsync(client, XFixtures.Text("1930000000000000003", "2")));
        await ThankAgainAsync(host, ticketId);
        await Task.Delay(500, Cancellation);

        Assert.Single(x.Sends, s => s.Text == Thanks);
        Assert.Equal(4, (await host.Services.GetRequiredService<SurveyStore>().FindForTicketAsync(ticketId, Cancellation))!.Score);
    }

    [Fact]
    public async Task The_thank_you_speaks_the_customers_language()
    {
        await using var x = new FakeX();
        await x.StartAsync(Cancellation);
        await using var host = await IntakeHost.StartAsync(azurite, With(x.Settings(XFixtures.ConsumerSecret)));
        using var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, await XEndToEndTests.PostAsync(client, XFixtures.Text("1940000000000000001", "我的提现一直没有到账，请帮忙查一下")));
        var ticketId = await TicketIdAsync(host, "x", "1940000000000000001");
        await ResolveAndWaitForSurveyAsync(client, ticketId);

        Assert.Equal(HttpStatusCode.OK, await XEndToEndTests.PostAsync(client, XFixtures.Text("1940000000000000002", "5")));

        Assert.Equal("sent", await ThanksStatusAsync(client, ticketId));
        Assert.Single(x.Sends, s => s.Text == "谢谢，您的评分已记录。");
    }

    [Fact]
    public async Task Telegram_and_a_refused_answer_get_no_thank_you_message()
    {
        await using var telegram = new FakeTelegram();
        await telegram.StartAsync(Cancellation);
        await using var host = await IntakeHost.StartAsync(azurite, With(telegram.Settings(TelegramEndToEndTests.Secret)));
        using var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, await TelegramEndToEndTests.PostAsync(client, TelegramFixtures.Text(8201, "My withdrawal is stuck")));
        var ticketId = await TicketIdAsync(host, "telegram", "8201");
        await ResolveAndWaitForSurveyAsync(client, ticketId);
        var data = telegram.Calls("sendMessage").Single(c => c.Json.TryGetProperty("reply_markup", out _))
            .Json.GetProperty("reply_markup").GetProperty("inline_keyboard")[0][2].GetProperty("callback_data").GetString()!;
        var forged = data[..^1] + (data[^1] == 'A' ? 'B' : 'A');

        Assert.Equal(HttpStatusCode.OK, await TelegramEndToEndTests.PostAsync(client, TelegramFixtures.CallbackQuery(8202, forged)));
        Assert.Equal(HttpStatusCode.OK, await TelegramEndToEndTests.PostAsync(client, TelegramFixtures.CallbackQuery(8203, data)));
        await IntakeHost.WaitForAsync(async () => await host.Services.GetRequiredService<SurveyStore>().FindForTicketAsync(ticketId, Cancellation) is { Answered: true } s ? s : null, "the answer");
        await ThankAgainAsync(host, ticketId);
        await Task.Delay(500, Cancellation);

        Assert.DoesNotContain(telegram.Calls("sendMessage"), c => c.Text == Thanks);
        Assert.DoesNotContain((await GetAsync(client, ticketId)).Outbound, o => o.GetProperty("kind").GetString() == SurveyDesk.ThanksKey);
    }
}
