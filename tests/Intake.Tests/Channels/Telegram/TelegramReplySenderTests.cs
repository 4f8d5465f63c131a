using Intake.Outbound;
using Intake.Tickets;
using Intake.Tests.Fakes;

namespace Intake.Tests.Channels.Telegram;

/// <summary>
/// What only the Telegram sender does, with the real Telegram.Bot client against the in-process fake Bot API
/// (<see cref="TelegramReplySenderRig"/>): escaped HTML, replying to the customer's message, group chats. What every sender
/// promises is in <see cref="ReplySenderContractTests"/>.
/// </summary>
public sealed class TelegramReplySenderTests : IAsyncLifetime
{
    private readonly TelegramReplySenderRig rig = new();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private FakeTelegram Telegram => rig.Telegram;

    public async ValueTask InitializeAsync() => await rig.StartFakeAsync(Cancellation);

    public ValueTask DisposeAsync() => rig.DisposeAsync();

    private OutboundReply Acknowledgement(string chatId = "987654321", string? inReplyTo = "42") => rig.ReplyTo(chatId) with { InReplyTo = inReplyTo };

    private Task<IReplySender> SenderAsync() => rig.SenderAsync(rig.Configured(), Cancellation);

    [Fact]
    public async Task A_reply_goes_to_the_chat_as_escaped_html_replying_to_the_customers_message()
    {
        var sender = await SenderAsync();

        var result = await sender.SendAsync(Acknowledgement(), Cancellation);

        Assert.Equal(OutboundStatus.Sent, result.Status);
        var call = Assert.Single(Telegram.Calls("sendMessage"));
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
        var sender = await SenderAsync();

        await sender.SendAsync(Acknowledgement(inReplyTo: inReplyTo), Cancellation);

        Assert.False(Assert.Single(Telegram.Calls("sendMessage")).Json.TryGetProperty("reply_parameters", out _));
    }

    [Fact]
    public async Task A_group_chat_id_is_negative_and_still_a_chat()
    {
        var sender = await SenderAsync();

        var result = await sender.SendAsync(Acknowledgement(chatId: "-1001234567890"), Cancellation);

        Assert.Equal(OutboundStatus.Sent, result.Status);
        Assert.Equal("-1001234567890", Assert.Single(Telegram.Calls("sendMessage")).ChatId);
    }
}
