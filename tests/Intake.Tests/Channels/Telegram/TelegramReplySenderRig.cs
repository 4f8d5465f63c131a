using Intake.Channels.Telegram;
using Intake.Outbound;
using Intake.Tests.Fakes;
using Intake.Tickets;
using Microsoft.Extensions.Hosting;
using Telegram.Bot.Exceptions;

namespace Intake.Tests.Channels.Telegram;

/// <summary>The Telegram sender, with the real Telegram.Bot client, against the in-process fake Bot API.</summary>
internal sealed class TelegramReplySenderRig : ReplySenderRig
{
    public FakeTelegram Telegram { get; } = new();

    public override string Channel => "telegram";

    public override string BaseUrlKey => "Telegram:BaseUrl";

    public override OutboundReply Reply { get; } = new(
        TicketId, "T-ABC234", new Contact("telegram", "987654321", "Ada"), "en", "acknowledgement", "[T-ABC234] We have received your message",
        "We opened ticket T-ABC234. Freeze it in the app (Account > Security) & change your <password>.", Automatic: true)
    {
        InReplyTo = "42",
    };

    public override int RefusalStatus => 403;

    public override IReadOnlyList<string> Secrets => [FakeTelegram.BotToken];

    public override IReadOnlyList<string> CustomerData => ["We opened ticket"];

    public override int RequestCount => Telegram.Requests.Count;

    public override Dictionary<string, string?> Configured() => new()
    {
        ["Telegram:BaseUrl"] = Telegram.BaseUrl.ToString(),
        ["Telegram:BotToken"] = FakeTelegram.BotToken,
    };

    public override void RefuseNext(int status) => Telegram.RespondNextWith(status, RefusalAnswer(status));

    // Telegram's descriptions may quote what we sent (the entities it could not parse).
    public override string RefusalAnswer(int status) => status == 400
        ? "Bad Request: can't parse entities: We opened ticket T-ABC234"
        : "Forbidden: bot was blocked by the user";

    public override Type ServerErrorFault => typeof(ApiRequestException);

    public override int? StatusOf(Exception error) => (error as ApiRequestException)?.ErrorCode;

    public override Task StartFakeAsync(CancellationToken cancellationToken) => Telegram.StartAsync(cancellationToken);

    protected override ValueTask DisposeFakeAsync() => Telegram.DisposeAsync();

    protected override void AddChannel(IHostApplicationBuilder builder) => builder.AddTelegramChannel();

    protected override void RespondNextWith(int status, int times)
    {
        for (var i = 0; i < times; i++)
        {
            Telegram.RespondNextWith(status);
        }
    }
}
