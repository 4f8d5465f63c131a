using Intake.Channels.Email;
using Intake.Outbound;
using Intake.Tests.Fakes;
using Intake.Tickets;
using Microsoft.Extensions.DependencyInjection;

namespace Intake.Tests.Channels.Email;

/// <summary>
/// What only the email sender does, with the real SendGrid client against an in-process fake SendGrid
/// (<see cref="EmailReplySenderRig"/>): the mail's shape, threading headers, Message-IDs, automatic-reply marking, never
/// answering our own domain, the timeout. What every sender promises is in <see cref="ReplySenderContractTests"/>.
/// </summary>
public sealed class EmailReplySenderTests : IAsyncLifetime
{
    private const string ApiKey = EmailReplySenderRig.ApiKey;
    private const string FromEmail = EmailReplySenderRig.FromEmail;

    private readonly EmailReplySenderRig rig = new();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private FakeSendGrid SendGrid => rig.SendGrid;

    public async ValueTask InitializeAsync() => await rig.StartFakeAsync(Cancellation);

    public ValueTask DisposeAsync() => rig.DisposeAsync();

    private OutboundReply Acknowledgement() => rig.Reply;

    private Task<IReplySender> SenderAsync(Action<IServiceCollection>? configure = null) =>
        rig.SenderAsync(rig.Channel, rig.Configured(), configure, Cancellation);

    [Fact]
    public async Task An_acknowledgement_arrives_with_sender_recipient_subject_and_plain_text()
    {
        var sender = await SenderAsync();

        var result = await sender.SendAsync(Acknowledgement(), Cancellation);

        var mail = Assert.Single(SendGrid.Requests);
        Assert.Equal("POST", mail.Method);
        Assert.Equal(FakeSendGrid.MailSendPath, mail.Path);
        Assert.Equal(FromEmail, mail.FromEmail);
        Assert.Equal("Support", mail.FromName);
        Assert.Equal("alice@customer.example", mail.ToEmail);
        Assert.Equal("Re: Withdrawal not received [T-ABC234]", mail.Subject);
        Assert.Equal(Acknowledgement().Text, mail.Text);
        Assert.Equal(new SendResult(OutboundStatus.Sent, mail.MailHeader("Message-ID")!.Trim('<', '>')), result);
        Assert.NotNull(mail.MessageId);
    }

    [Fact]
    public async Task An_acknowledgement_is_auto_replied_threaded_and_tagged_with_the_ticket_id()
    {
        var sender = await SenderAsync();

        await sender.SendAsync(Acknowledgement(), Cancellation);

        var mail = Assert.Single(SendGrid.Requests);
        Assert.Equal("auto-replied", mail.MailHeader("Auto-Submitted"));
        Assert.Equal("<inbound-2@customer.example>", mail.MailHeader("In-Reply-To"));
        Assert.Equal("<inbound-1@customer.example> <inbound-2@customer.example>", mail.MailHeader("References"));
        Assert.Equal("01JABCDEF0123456789ABCDEFG", mail.CustomArg("ticketId"));
        Assert.False(mail.Json.GetProperty("tracking_settings").GetProperty("click_tracking").GetProperty("enable").GetBoolean());
    }

    [Fact]
    public async Task Each_mail_carries_its_own_message_id_on_our_domain_which_is_what_the_send_reports()
    {
        var sender = await SenderAsync();

        var first = await sender.SendAsync(Acknowledgement(), Cancellation);
        var second = await sender.SendAsync(Acknowledgement(), Cancellation);

        Assert.Matches(@"^01JABCDEF0123456789ABCDEFG\.acknowledgement\.[0-9a-f]{16}@exchange\.example$", first.ProviderMessageId);
        Assert.NotEqual(first.ProviderMessageId, second.ProviderMessageId);
        Assert.Equal([$"<{first.ProviderMessageId}>", $"<{second.ProviderMessageId}>"], SendGrid.Requests.Select(r => r.MailHeader("Message-ID")));
    }

    [Fact]
    public async Task The_api_key_goes_as_a_bearer_token()
    {
        var sender = await SenderAsync();

        await sender.SendAsync(Acknowledgement(), Cancellation);

        var mail = Assert.Single(SendGrid.Requests);
        Assert.Equal($"Bearer {ApiKey}", mail.Header("Authorization"));
        Assert.StartsWith("application/json", mail.Header("Content-Type"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("reply", false, null)]
    [InlineData("acknowledgement", true, "auto-replied")]
    [InlineData("survey", true, "auto-generated")]
    public async Task Only_automatic_messages_are_marked_auto_submitted(string kind, bool automatic, string? expected)
    {
        var sender = await SenderAsync();

        await sender.SendAsync(Acknowledgement() with { Kind = kind, Automatic = automatic }, Cancellation);

        Assert.Equal(expected, Assert.Single(SendGrid.Requests).MailHeader("Auto-Submitted"));
    }

    [Fact]
    public async Task Chinese_text_arrives_intact()
    {
        var sender = await SenderAsync();
        var reply = Acknowledgement() with
        {
            Language = "zh-Hans",
            Contact = new Contact("email", "wang@customer.example", "王小明", "wang@customer.example"),
            Subject = "回复：提现未到账 [T-ABC234]",
            Text = "我们已收到您的消息。客服绝不会索要您的密码、验证码、私钥或助记词。😀",
        };

        var result = await sender.SendAsync(reply, Cancellation);

        var mail = Assert.Single(SendGrid.Requests);
        Assert.Equal(OutboundStatus.Sent, result.Status);
        Assert.Equal(reply.Subject, mail.Subject);
        Assert.Equal(reply.Text, mail.Text);
        Assert.False(mail.Json.GetProperty("personalizations")[0].GetProperty("to")[0].TryGetProperty("name", out _), "a contact's name is never put in the To header");
    }

    [Theory]
    [InlineData("SUPPORT@exchange.example", false)]
    [InlineData("agent@exchange.example", true)]
    public async Task Our_own_address_or_domain_is_never_answered(string email, bool automatic)
    {
        var sender = await SenderAsync();

        var result = await sender.SendAsync(rig.ReplyTo(email) with { Automatic = automatic }, Cancellation);

        Assert.Equal(OutboundStatus.Failed, result.Status);
        Assert.Empty(SendGrid.Requests);
    }

    [Fact]
    public async Task A_timeout_throws_a_timeout_not_a_cancellation()
    {
        var sender = await SenderAsync(services =>
            services.AddHttpClient(EmailReplySender.HttpClientName).ConfigureHttpClient(client => client.Timeout = TimeSpan.FromMilliseconds(200)));
        SendGrid.RespondNextWith(202, delay: TimeSpan.FromSeconds(10));

        await Assert.ThrowsAsync<TimeoutException>(() => sender.SendAsync(Acknowledgement(), Cancellation));
    }

    [Fact]
    public void References_are_bracketed_deduplicated_and_end_with_the_parent()
    {
        var references = EmailReplySender.References(["<a@x> <b@x>", "b@x", "<a@x>", "bad<id@x", "no-at-sign"], "<c@x>");

        Assert.Equal(["<a@x>", "<b@x>", "<c@x>"], references);
    }

    [Fact]
    public void Long_reference_chains_keep_the_root_and_the_most_recent()
    {
        var references = EmailReplySender.References([.. Enumerable.Range(1, 30).Select(n => $"<m{n}@x>")], "<m31@x>");

        Assert.Equal(20, references.Count);
        Assert.Equal("<m1@x>", references[0]);
        Assert.Equal("<m13@x>", references[1]);
        Assert.Equal("<m31@x>", references[^1]);
    }

    [Fact]
    public void Line_breaks_cannot_inject_headers()
    {
        var reply = Acknowledgement() with
        {
            Subject = "Hello\r\nBcc: victim@example.com",
            InReplyTo = "<x@y>\r\nBcc: victim@example.com",
            References = null,
        };

        var (message, _) = EmailReplySender.Compose(reply, new SendGridOptions { ApiKey = ApiKey, FromEmail = FromEmail });

        Assert.NotNull(message);
        Assert.Equal("Hello Bcc: victim@example.com", message.Personalizations[0].Subject);
        Assert.Equal("<x@y>", message.Personalizations[0].Headers["In-Reply-To"]);
        Assert.Equal("<x@y>", message.Personalizations[0].Headers["References"]);
    }
}
