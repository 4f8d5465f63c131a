using System.Net;
using System.Text.Json.Nodes;
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

/// <summary>Resolve, and the survey arrives in each channel's own form; an answer through that channel is recorded once.</summary>
public sealed class SurveyChannelsTests(AzuriteFixture azurite)
{
    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static Dictionary<string, string> With(Dictionary<string, string> channel) =>
        Settings(new Dictionary<string, string>(channel) { ["Intake:PublicBaseUrl"] = "https://support.example" });

    private static async Task<string> TicketIdAsync(IntakeHost host, string channel, string providerMessageId) =>
        (await IntakeHost.WaitForAsync(
            () => host.Services.GetRequiredService<TicketStore>().FindByProviderMessageAsync(channel, providerMessageId, Cancellation),
            "the ticket")).Ticket.Id;

    /// <summary>Resolves and waits until the survey's outbound record is no longer pending; returns its status.</summary>
    private static async Task<string> ResolveAndWaitForSurveyAsync(HttpClient client, string ticketId)
    {
        Assert.Equal(HttpStatusCode.OK, (await ResolveAsync(client, ticketId)).Status);
        var ticket = await WaitForOutboundAsync(client, ticketId, "survey");
        return Assert.Single(ticket.Outbound, o => o.GetProperty("kind").GetString() == "survey").GetProperty("status").GetString()!;
    }

    private static Task<SurveyRecord?> SurveyAsync(IntakeHost host, string ticketId) =>
        host.Services.GetRequiredService<SurveyStore>().FindForTicketAsync(ticketId, Cancellation);

    private static Task<SurveyRecord> AnsweredAsync(IntakeHost host, string ticketId) =>
        IntakeHost.WaitForAsync(async () => await SurveyAsync(host, ticketId) is { Answered: true } survey ? survey : null, "the answer");

    [Fact]
    public async Task Telegram_asks_with_an_inline_keyboard_and_a_press_is_recorded_once_and_the_buttons_removed()
    {
        await using var telegram = new FakeTelegram();
        await telegram.StartAsync(Cancellation);
        await using var host = await IntakeHost.StartAsync(azurite, With(telegram.Settings(TelegramEndToEndTests.Secret)));
        using var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, await TelegramEndToEndTests.PostAsync(client, TelegramFixtures.Text(8001, "My withdrawal is stuck")));
        var ticketId = await TicketIdAsync(host, "telegram", "8001");

        Assert.Equal("sent", await ResolveAndWaitForSurveyAsync(client, ticketId));

        var survey = telegram.Calls("sendMessage").Single(c => c.Json.TryGetProperty("reply_markup", out _));
        var buttons = survey.Json.GetProperty("reply_markup").GetProperty("inline_keyboard")[0].EnumerateArray().ToList();
        Assert.Equal(["1", "2", "3", "4", "5"], buttons.Select(b => b.GetProperty("text").GetString()));
        Assert.All(buttons, b => Assert.True(System.Text.Encoding.UTF8.GetByteCount(b.GetProperty("callback_data").GetString()!) <= 64));

        Assert.Equal(HttpStatusCode.OK, await TelegramEndToEndTests.PostAsync(client, TelegramFixtures.CallbackQuery(8002, buttons[4].GetProperty("callback_data").GetString()!)));
        Assert.Equal(HttpStatusCode.OK, await TelegramEndToEndTests.PostAsync(client, TelegramFixtures.CallbackQuery(8003, buttons[0].GetProperty("callback_data").GetString()!)));

        var answered = await AnsweredAsync(host, ticketId);
        Assert.Equal(5, answered.Score);
        Assert.Equal(2, telegram.Calls("answerCallbackQuery").Count);
        var removal = telegram.Calls("editMessageReplyMarkup")[0];
        Assert.Equal(500, removal.Json.GetProperty("message_id").GetInt32());
        Assert.False(removal.Json.TryGetProperty("reply_markup", out var markup) && markup.ValueKind == System.Text.Json.JsonValueKind.Object
            && markup.TryGetProperty("inline_keyboard", out var rows) && rows.GetArrayLength() > 0);
        Assert.Equal("resolved", (await GetAsync(client, ticketId)).String("status"));
        Assert.Equal(1, await host.CountTicketsAsync());
    }

    [Theory]
    [InlineData("page", "messenger")]
    [InlineData("instagram", "instagram")]
    public async Task Messenger_and_instagram_ask_with_quick_replies_and_the_first_one_counts(string objectKind, string channel)
    {
        await using var graph = new FakeGraph();
        await graph.StartAsync(Cancellation);
        await using var host = await IntakeHost.StartAsync(azurite, With(graph.Settings(MetaFixtures.AppSecret, MetaFixtures.VerifyToken)));
        using var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, await MetaEndToEndTests.PostAsync(
            client, MetaFixtures.Delivery(objectKind, MetaFixtures.Entry(MetaFixtures.TextEvent("m_survey1", "My deposit is missing")))));
        var ticketId = await TicketIdAsync(host, channel, "m_survey1");

        Assert.Equal("sent", await ResolveAndWaitForSurveyAsync(client, ticketId));

        // The acknowledgement may go out after it: both wait in the same queue.
        var quickReplies = graph.SendApiCalls.Select(c => c.Json.GetProperty("message")).Single(m => m.TryGetProperty("quick_replies", out _))
            .GetProperty("quick_replies").EnumerateArray().ToList();
        Assert.Equal(["1", "2", "3", "4", "5"], quickReplies.Select(q => q.GetProperty("title").GetString()));
        Assert.All(quickReplies, q => Assert.Equal("text", q.GetProperty("content_type").GetString()));

        Assert.Equal(HttpStatusCode.OK, await MetaEndToEndTests.PostAsync(
            client, MetaFixtures.Delivery(objectKind, MetaFixtures.Entry(MetaFixtures.QuickReplyEvent("m_survey2", "4", quickReplies[3].GetProperty("payload").GetString()!)))));
        Assert.Equal(HttpStatusCode.OK, await MetaEndToEndTests.PostAsync(
            client, MetaFixtures.Delivery(objectKind, MetaFixtures.Entry(MetaFixtures.QuickReplyEvent("m_survey3", "2", quickReplies[1].GetProperty("payload").GetString()!)))));

        Assert.Equal(4, (await AnsweredAsync(host, ticketId)).Score);
        var ticket = await GetAsync(client, ticketId);
        Assert.Equal("resolved", ticket.String("status"));
        Assert.DoesNotContain(ticket.Messages, m => m.GetProperty("direction").GetString() == "inbound" && m.GetProperty("text").GetString() is "4" or "2");
    }

    [Fact]
    public async Task Whatsapp_asks_with_an_interactive_list_and_a_row_answers_it()
    {
        await using var graph = new FakeGraph();
        await graph.StartAsync(Cancellation);
        await using var host = await IntakeHost.StartAsync(azurite, With(graph.Settings(MetaFixtures.AppSecret, MetaFixtures.VerifyToken)));
        using var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, await MetaEndToEndTests.PostAsync(client, MetaFixtures.WhatsApp(MetaFixtures.WhatsAppText("wamid.SURVEY1", "My deposit is missing"))));
        var ticketId = await TicketIdAsync(host, "whatsapp", "wamid.SURVEY1");

        Assert.Equal("sent", await ResolveAndWaitForSurveyAsync(client, ticketId));

        var sent = graph.CloudApiCalls.Select(c => c.Json).Single(j => j.GetProperty("type").GetString() == "interactive");
        Assert.Equal("interactive", sent.GetProperty("type").GetString());
        Assert.Equal("list", sent.GetProperty("interactive").GetProperty("type").GetString());
        var rows = sent.GetProperty("interactive").GetProperty("action").GetProperty("sections")[0].GetProperty("rows").EnumerateArray().ToList();
        Assert.Equal(5, rows.Count);
        Assert.All(rows, r => Assert.True(r.GetProperty("title").GetString()!.Length <= 24));

        Assert.Equal(HttpStatusCode.OK, await MetaEndToEndTests.PostAsync(client, MetaFixtures.WhatsApp(MetaFixtures.WhatsAppListReply("wamid.SURVEY2", rows[2].GetProperty("id").GetString()!, "3"))));

        Assert.Equal(3, (await AnsweredAsync(host, ticketId)).Score);
        Assert.Equal("resolved", (await GetAsync(client, ticketId)).String("status"));
    }

    [Fact]
    public async Task Whatsapp_outside_the_24_hour_window_records_window_closed_and_sends_nothing()
    {
        var clock = new ShiftedClock();
        await using var graph = new FakeGraph();
        await graph.StartAsync(Cancellation);
        await using var host = await IntakeHost.StartAsync(azurite, With(graph.Settings(MetaFixtures.AppSecret, MetaFixtures.VerifyToken)), time: clock);
        using var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, await MetaEndToEndTests.PostAsync(client, MetaFixtures.WhatsApp(MetaFixtures.WhatsAppText("wamid.SURVEY9", "My deposit is missing"))));
        var ticketId = await TicketIdAsync(host, "whatsapp", "wamid.SURVEY9");
        await IntakeHost.WaitForAsync(() => Task.FromResult(graph.CloudApiCalls.Count >= 1 ? graph.CloudApiCalls[0] : null), "the acknowledgement");
        clock.Advance(TimeSpan.FromHours(25));

        Assert.Equal("window_closed", await ResolveAndWaitForSurveyAsync(client, ticketId));

        Assert.Single(graph.CloudApiCalls);
        Assert.Equal(OutboundStatus.WindowClosed, (await SurveyAsync(host, ticketId))!.Delivery);
    }

    [Fact]
    public async Task X_asks_for_a_number_and_a_lone_digit_answers_once()
    {
        await using var x = new FakeX();
        await x.StartAsync(Cancellation);
        await using var host = await IntakeHost.StartAsync(azurite, With(x.Settings(XFixtures.ConsumerSecret)));
        using var client = host.CreateClient();
        Assert.Equal(HttpStatusCode.OK, await XEndToEndTests.PostAsync(client, XFixtures.Text("1910000000000000001", "My withdrawal is stuck")));
        var ticketId = await TicketIdAsync(host, "x", "1910000000000000001");

        Assert.Equal("sent", await ResolveAndWaitForSurveyAsync(client, ticketId));
        Assert.Contains(x.Sends, s => s.Text!.Contains("number from 1 to 5", StringComparison.Ordinal));

        Assert.Equal(HttpStatusCode.OK, await XEndToEndTests.PostAsync(client, XFixtures.Text("1910000000000000002", " 4 ")));
        Assert.Equal(HttpStatusCode.OK, await XEndToEndTests.PostAsync(client, XFixtures.Text("1910000000000000003", "1")));

        Assert.Equal(4, (await AnsweredAsync(host, ticketId)).Score);
        var ticket = await GetAsync(client, ticketId);
        Assert.Equal("resolved", ticket.String("status"));
        Assert.DoesNotContain("survey_follow_up", ticket.Json.GetProperty("flags").EnumerateArray().Select(f => f.GetString()));
    }

    [Fact]
    public async Task On_x_a_digit_without_an_open_survey_is_an_ordinary_message()
    {
        await using var x = new FakeX();
        await x.StartAsync(Cancellation);
        await using var host = await IntakeHost.StartAsync(azurite, With(x.Settings(XFixtures.ConsumerSecret)));
        using var client = host.CreateClient();

        Assert.Equal(HttpStatusCode.OK, await XEndToEndTests.PostAsync(client, XFixtures.Text("1920000000000000001", "5")));

        await TicketIdAsync(host, "x", "1920000000000000001");
    }
}
