using Intake.Channels.Email;
using Intake.Outbound;
using Intake.Tests.Fakes;
using Intake.Tickets;
using Microsoft.Extensions.Hosting;

namespace Intake.Tests.Channels.Email;

/// <summary>The email sender against the in-process fake SendGrid.</summary>
internal sealed class EmailReplySenderRig : ReplySenderRig
{
    public const string ApiKey = "SG.fake-key-for-tests.0123456789";
    public const string FromEmail = "support@exchange.example";
    private const string Address = "alice@customer.example";

    public FakeSendGrid SendGrid { get; } = new();

    public override string Channel => "email";

    public override string BaseUrlKey => "SendGrid:BaseUrl";

    public override Type? UnreachableFault => typeof(HttpRequestException);

    public override OutboundReply Reply { get; } = new(
        TicketId, "T-ABC234", new Contact("email", Address, "Alice", Address), "en", "acknowledgement", "Re: Withdrawal not received [T-ABC234]",
        "We have your message. Support never asks for your password, 2FA codes or recovery phrase.", Automatic: true)
    {
        InReplyTo = "<inbound-2@customer.example>",
        References = ["<inbound-1@customer.example>"],
    };

    public override string SentMarker => "202";

    public override int RefusalStatus => 400;

    public override IReadOnlyList<string> Secrets => [ApiKey];

    public override IReadOnlyList<string> CustomerData => [Reply.Text, Address];

    public override int RequestCount => SendGrid.Requests.Count;

    public override Dictionary<string, string?> Configured() => new()
    {
        ["SendGrid:BaseUrl"] = SendGrid.BaseUrl.ToString(),
        ["SendGrid:ApiKey"] = ApiKey,
        ["SendGrid:FromEmail"] = FromEmail,
    };

    /// <summary>Email addresses by the contact's email address; its id stays as it was.</summary>
    public override OutboundReply ReplyTo(string? address) => Reply with { Contact = Reply.Contact with { Email = address } };

    // A server that quotes the request back must not get the key into the ticket or the logs.
    public override void RefuseNext(int status) =>
        SendGrid.RespondNextWith(status, $$"""{"errors":[{"message":"bad request from Bearer {{ApiKey}}","field":"from"}]}""");

    public override string RefusalAnswer(int status) => "bad request from Bearer";

    public override Task StartFakeAsync(CancellationToken cancellationToken) => SendGrid.StartAsync(cancellationToken);

    protected override ValueTask DisposeFakeAsync() => SendGrid.DisposeAsync();

    // The replies alone: the rest of the email channel needs storage, and the sender does not.
    protected override void AddChannel(IHostApplicationBuilder builder) => builder.AddEmailReplies();

    protected override void RespondNextWith(int status, int times)
    {
        for (var i = 0; i < times; i++)
        {
            SendGrid.RespondNextWith(status);
        }
    }
}
