using System.Net;
using System.Text;
using Intake.Tests.Agents;
using Intake.Tests.Fakes;
using Intake.Tests.Integration;
using Intake.Tickets;
using Intake.Web;
using Microsoft.Extensions.DependencyInjection;

namespace Intake.Tests.Security;

/// <summary>
/// Threat: text that is not text — a lone surrogate escape (<c>\ud83d</c>, an emoji cut in half by a client), invalid
/// UTF-8, a multipart part header past the reader's limit — made a handler throw: a 500 for the customer, and for a
/// webhook an endless retry of a message that is never stored. Control: such strings are read with U+FFFD in their place
/// (<see cref="JsonText"/>), a JSON body that is not UTF-8 is a 400, and a multipart post past the reader's limits is a 400.
/// </summary>
public sealed class UnreadableTextTests(AzuriteFixture azurite)
{
    private const string LoneSurrogate = "\\ud83d";

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task A_web_form_message_with_half_an_emoji_is_accepted_with_a_replacement_character()
    {
        await using var host = await IntakeHost.StartAsync(azurite, AgentApi.Settings());
        using var client = host.CreateClient();

        using var response = await client.PostAsync(
            new Uri("/api/intake/web", UriKind.Relative),
            Json($$"""{"message":"my deposit never arrived {{LoneSurrogate}}","email":"half@example.com","name":"Ana {{LoneSurrogate}}"}"""),
            Cancellation);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var ticketId = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync(Cancellation)).RootElement.GetProperty("ticketId").GetString()!;
        var messages = await host.Services.GetRequiredService<TicketStore>().GetMessagesAsync(ticketId, Cancellation);
        Assert.Contains("my deposit never arrived \uFFFD", messages.First(m => m.Direction == MessageDirection.Inbound).Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_web_form_body_that_is_not_utf8_gets_400()
    {
        await using var host = await IntakeHost.StartAsync(azurite, AgentApi.Settings());
        using var client = host.CreateClient();
        using var content = new ByteArrayContent([.. "{\"message\":\"caf"u8, 0xE9, .. "\",\"email\":\"latin1@example.com\"}"u8]);
        content.Headers.ContentType = new("application/json");

        using var response = await client.PostAsync(new Uri("/api/intake/web", UriKind.Relative), content, Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(0, await host.CountTicketsAsync());
    }

    [Fact]
    public async Task An_agent_reply_with_half_an_emoji_is_accepted()
    {
        await using var host = await IntakeHost.StartAsync(azurite, AgentApi.Settings());
        using var client = host.CreateClient();
        var ticket = await AgentApi.SubmitAsync(client, "my withdrawal is stuck");

        var reply = await AgentApi.SendAsync(client, HttpMethod.Post, $"/api/tickets/{ticket.TicketId}/replies", $$"""{"text":"We are on it {{LoneSurrogate}}","agent":"Mei"}""");

        Assert.Equal(HttpStatusCode.Accepted, reply.Status);
        Assert.Contains(reply.Messages, m => m.GetProperty("text").GetString() == "We are on it \uFFFD");
    }

    [Fact]
    public async Task An_inbound_parse_post_with_a_part_header_past_the_limit_gets_400()
    {
        await using var host = await IntakeHost.StartAsync(
            azurite, new Dictionary<string, string> { ["SendGrid:InboundUser"] = "parse", ["SendGrid:InboundPassword"] = "inbound-password" });
        using var client = host.CreateClient();
        var body = "--b\r\nContent-Disposition: form-data; name=\"from\"; filename=\"" + new string('n', 200_000) + "\"\r\n\r\na@example.com\r\n--b--\r\n";
        using var content = new StringContent(body, Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse("multipart/form-data; boundary=b");
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/intake/email", UriKind.Relative)) { Content = content };
        request.Headers.Authorization = new("Basic", Convert.ToBase64String("parse:inbound-password"u8));

        using var response = await client.SendAsync(request, Cancellation);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(0, await host.CountTicketsAsync());
    }

    [Fact]
    public async Task A_signed_x_message_with_half_an_emoji_is_stored()
    {
        await using var x = new FakeX();
        await x.StartAsync(Cancellation);
        await using var host = await IntakeHost.StartAsync(azurite, x.Settings(Channels.X.XFixtures.ConsumerSecret));
        using var client = host.CreateClient();
        var payload = Channels.X.XFixtures.Text("1630000000000088001", "my USDT never arrived HALF").Replace("HALF", LoneSurrogate, StringComparison.Ordinal);

        var status = await Channels.X.XEndToEndTests.PostAsync(client, payload);

        Assert.Equal(HttpStatusCode.OK, status);
        var stored = await host.Services.GetRequiredService<TicketStore>().FindByProviderMessageAsync("x", "1630000000000088001", Cancellation);
        var messages = await host.Services.GetRequiredService<TicketStore>().GetMessagesAsync(stored!.Ticket.Id, Cancellation);
        Assert.Equal("my USDT never arrived \uFFFD", messages.First(m => m.Direction == MessageDirection.Inbound).Text);
    }

    [Fact]
    public async Task A_signed_messenger_message_with_half_an_emoji_is_stored()
    {
        await using var graph = new FakeGraph();
        await graph.StartAsync(Cancellation);
        await using var host = await IntakeHost.StartAsync(azurite, graph.Settings(Channels.Meta.MetaFixtures.AppSecret, Channels.Meta.MetaFixtures.VerifyToken));
        using var client = host.CreateClient();
        var body = Channels.Meta.MetaFixtures.Delivery("page", Channels.Meta.MetaFixtures.Entry(Channels.Meta.MetaFixtures.TextEvent("m_half_1", "my deposit is missing HALF")))
            .Replace("HALF", LoneSurrogate, StringComparison.Ordinal);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/intake/meta", UriKind.Relative)) { Content = Json(body) };
        request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", Channels.Meta.MetaFixtures.Sign(body));

        using var response = await client.SendAsync(request, Cancellation);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var stored = await host.Services.GetRequiredService<TicketStore>().FindByProviderMessageAsync("messenger", "m_half_1", Cancellation);
        var messages = await host.Services.GetRequiredService<TicketStore>().GetMessagesAsync(stored!.Ticket.Id, Cancellation);
        Assert.Equal("my deposit is missing \uFFFD", messages.First(m => m.Direction == MessageDirection.Inbound).Text);
    }

    [Fact]
    public async Task A_telegram_message_with_half_an_emoji_is_stored()
    {
        await using var telegram = new FakeTelegram();
        await telegram.StartAsync(Cancellation);
        await using var host = await IntakeHost.StartAsync(azurite, telegram.Settings(Channels.Telegram.TelegramEndToEndTests.Secret));
        using var client = host.CreateClient();
        var update = Channels.Telegram.TelegramFixtures.Text(7_700_001, "my withdrawal HALF is stuck").Replace("HALF", LoneSurrogate, StringComparison.Ordinal);

        var status = await Channels.Telegram.TelegramEndToEndTests.PostAsync(client, update);

        Assert.Equal(HttpStatusCode.OK, status);
        var stored = await host.Services.GetRequiredService<TicketStore>().FindByProviderMessageAsync("telegram", "7700001", Cancellation);
        var messages = await host.Services.GetRequiredService<TicketStore>().GetMessagesAsync(stored!.Ticket.Id, Cancellation);
        Assert.Equal("my withdrawal \uFFFD is stuck", messages.First(m => m.Direction == MessageDirection.Inbound).Text);
    }

    [Theory]
    [InlineData("{\"t\":\"a\\ud83d\\ude00b\"}", "{\"t\":\"a\\ud83d\\ude00b\"}")]
    [InlineData("{\"t\":\"a\\ud83db\"}", "{\"t\":\"a\\uFFFDb\"}")]
    [InlineData("{\"t\":\"\\ude00\\ud83d\"}", "{\"t\":\"\\uFFFD\\uFFFD\"}")]
    [InlineData("{\"t\":\"\\\\ud83d\"}", "{\"t\":\"\\\\ud83d\"}")]
    [InlineData("{\"t\":\"\\\"\\ud800\"}", "{\"t\":\"\\\"\\uFFFD\"}")]
    [InlineData("{\"\\ud800\":1}", "{\"\\uFFFD\":1}")]
    public void Unpaired_surrogate_escapes_are_repaired_and_nothing_else_changes(string json, string expected) =>
        Assert.Equal(expected, Encoding.UTF8.GetString(JsonText.RepairSurrogateEscapes(Encoding.UTF8.GetBytes(json))));

    [Theory]
    [InlineData("\"plain\"", "plain")]
    [InlineData("\"a\\ud83d\\ude00b\"", "a😀b")]
    [InlineData("\"a\\ud83db\"", "a\uFFFDb")]
    [InlineData("\"\\ude00\\ud83d\"", "\uFFFD\uFFFD")]
    [InlineData("\"line\\nnext\\t\\\"q\\\" \\\\ \\/\"", "line\nnext\t\"q\" \\ /")]
    [InlineData("\"\\u00e9t\\u00E9\"", "été")]
    public void Lenient_decoding_keeps_text_and_replaces_only_what_is_not_text(string raw, string expected) =>
        Assert.Equal(expected, JsonText.Lenient(Encoding.UTF8.GetBytes(raw)));

    [Fact]
    public void Lenient_decoding_replaces_invalid_utf8() =>
        Assert.Equal("caf\uFFFD", JsonText.Lenient([(byte)'"', (byte)'c', (byte)'a', (byte)'f', 0xE9, (byte)'"']));
}
