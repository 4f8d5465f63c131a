using Intake.Channels.Telegram;
using Intake.Outbound;
using Intake.Tests.Fakes;
using Intake.Tickets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Intake.Tests.Channels.Telegram;

/// <summary>The Telegram sender with the real Telegram.Bot client against the in-process fake Bot API.</summary>
public sealed class TelegramReplySenderTests : IAsyncLifetime
{
    private readonly FakeTelegram telegram = new();
    private readonly List<IHost> hosts = [];
    private readonly CapturedLogs logs = new();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await telegram.StartAsync(Cancellation);

    public async ValueTask DisposeAsync()
    {
        foreach (var host in hosts)
        {
            host.Dispose();
        }

        await telegram.DisposeAsync();
    }

    private static OutboundReply Acknowledgement(string chatId = "987654321", string? inReplyTo = "42") => new(
        TicketId: "01JABCDEF0123456789ABCDEFG",
        Reference: "T-ABC234",
        Contact: new Contact("telegram", chatId, "Ada"),
        Language: "en",
        Kind: "acknowledgement",
        Subject: "[T-ABC234] We have received your message",
        Text: "We opened ticket T-ABC234. Freeze it in the app (Account > Security) & change your <password>.",
        Automatic: true,
        InReplyTo: inReplyTo);

    private Dictionary<string, string?> Configured() => new()
    {
        ["Telegram:BaseUrl"] = telegram.BaseUrl.ToString(),
        ["Telegram:BotToken"] = FakeTelegram.BotToken,
    };

    private async Task<IReplySender> SenderAsync(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs);
        builder.AddTelegramChannel();
        var host = builder.Build();
        hosts.Add(host);
        await host.StartAsync(Cancellation);
        return Assert.Single(host.Services.GetServices<IReplySender>(), sender => sender.Channel == "telegram");
    }

    [Fact]
    public async Task A_reply_goes_to_the_chat_as_escaped_html_replying_to_the_customers_message()
    {
        var sender = await SenderAsync(Configured());

        var result = await sender.SendAsync(Acknowledgement(), Cancellation);

        Assert.Equal(OutboundStatus.Sent, result.Status);
        var call = Assert.Single(telegram.Calls("sendMessage"));
        Assert.Equal("987654321", call.ChatId);
        Assert.Equal("We opened ticket T-ABC234. Freeze it in the app (Account &gt; Security) &amp; change your &lt;password&gt;.", call.Text);
        Assert.Equal("html", call.Json.GetProperty("parse_mode").GetString(), ignoreCase: true);
        Assert.Equal(42, call.Json.GetProperty("reply_parameters").GetProperty("message_id").GetInt32());
        Assert.Matches("^[0-9]+$", result.ProviderMessageId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("<inbound@customer.example>")]
    [InlineData("-3")]
    public async Task Without_a_message_id_to_reply_to_the_reply_stands_alone(string? inReplyTo)
    {
        var sender = await SenderAsync(Configured());

        await sender.SendAsync(Acknowledgement(inReplyTo: inReplyTo), Cancellation);

        Assert.False(Assert.Single(telegram.Calls("sendMessage")).Json.TryGetProperty("reply_parameters", out _));
    }

    [Fact]
    public async Task A_group_chat_id_is_negative_and_still_a_chat()
    {
        var sender = await SenderAsync(Configured());

        var result = await sender.SendAsync(Acknowledgement(chatId: "-1001234567890"), Cancellation);

        Assert.Equal(OutboundStatus.Sent, result.Status);
        Assert.Equal("-1001234567890", Assert.Single(telegram.Calls("sendMessage")).ChatId);
    }

    [Fact]
    public async Task Without_a_bot_token_nothing_is_sent()
    {
        var sender = await SenderAsync(new() { ["Telegram:BaseUrl"] = telegram.BaseUrl.ToString() });

        var result = await sender.SendAsync(Acknowledgement(), Cancellation);

        Assert.Equal(OutboundStatus.NotConfigured, result.Status);
        Assert.Empty(telegram.Requests);
    }

    [Fact]
    public async Task A_contact_without_a_chat_id_fails_without_a_request()
    {
        var sender = await SenderAsync(Configured());

        var result = await sender.SendAsync(Acknowledgement(chatId: "ada@example.com"), Cancellation);

        Assert.Equal(OutboundStatus.Failed, result.Status);
        Assert.Empty(telegram.Requests);
    }

    [Theory]
    [InlineData(403, "Forbidden: bot was blocked by the user")]
    [InlineData(400, "Bad Request: can't parse entities: We opened ticket T-ABC234")]
    public async Task A_refusal_is_a_failure_with_the_error_code_and_never_the_description(int errorCode, string description)
    {
        var sender = await SenderAsync(Configured());
        telegram.RespondNextWith(errorCode, description);

        var result = await sender.SendAsync(Acknowledgement(), Cancellation);

        Assert.Equal(OutboundStatus.Failed, result.Status);
        Assert.Contains(errorCode.ToString(System.Globalization.CultureInfo.InvariantCulture), result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(description, result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Lines, line => line.Contains(description, StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(429)]
    [InlineData(500)]
    [InlineData(502)]
    public async Task Throttling_or_a_server_error_throws_at_once_so_the_queue_retries(int errorCode)
    {
        var sender = await SenderAsync(Configured());
        telegram.RespondNextWith(errorCode);

        await Assert.ThrowsAnyAsync<Exception>(() => sender.SendAsync(Acknowledgement(), Cancellation));

        // The library's own "retry after" wait is off: one call, and the worker slot is free again.
        Assert.Single(telegram.Calls("sendMessage"));
    }
}
