using Intake.Channels.Email;
using Intake.Channels.Meta;
using Intake.Channels.Telegram;
using Intake.Channels.WebForm;
using Intake.Channels.X;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;

namespace Intake.Functions;

/// <summary>
/// The channels' webhooks, anonymous at the Functions level: each verifies its own caller (basic auth, secret token,
/// signatures) exactly as on the server, because it is the server's handler.
/// </summary>
public sealed class IntakeFunctions(
    WebFormIntake forms,
    SubmissionRateLimiter limiter,
    EmailIntake email,
    IOptionsMonitor<EmailInboundOptions> emailOptions,
    TelegramWebhook telegram,
    IOptionsMonitor<TelegramOptions> telegramOptions)
{
    [Function("IntakeWeb")]
    public Task<IResult> WebAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/intake/web")] HttpRequest req, CancellationToken cancellationToken) =>
        WebFormEndpoints.SubmitAsync(req.HttpContext, forms, limiter, cancellationToken);

    [Function("IntakeEmail")]
    public Task<IResult> EmailAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/intake/email")] HttpRequest req, CancellationToken cancellationToken) =>
        EmailEndpoints.ReceiveAsync(req.HttpContext, email, emailOptions, cancellationToken);

    [Function("IntakeTelegram")]
    public Task<IResult> TelegramAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/intake/telegram")] HttpRequest req, CancellationToken cancellationToken) =>
        TelegramEndpoints.ReceiveAsync(req.HttpContext, telegram, telegramOptions, cancellationToken);
}

/// <summary>The X Account Activity webhook: the CRC handshake and signed deliveries.</summary>
public sealed class XFunctions(XWebhook webhook, IOptionsMonitor<XOptions> options)
{
    [Function("IntakeXCrc")]
    public Results<Ok<XCrcResponse>, ProblemHttpResult> Crc([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/intake/x")] HttpRequest req) =>
        XEndpoints.Crc(req.HttpContext, options);

    [Function("IntakeX")]
    public Task<Results<Ok, ProblemHttpResult>> ReceiveAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/intake/x")] HttpRequest req, CancellationToken cancellationToken) =>
        XEndpoints.ReceiveAsync(req.HttpContext, webhook, options, cancellationToken);
}

/// <summary>The Meta webhook (Messenger, Instagram, WhatsApp): the verification handshake and signed deliveries.</summary>
public sealed class MetaFunctions(MetaWebhook webhook, IOptionsMonitor<MetaOptions> options)
{
    [Function("IntakeMetaVerify")]
    public IResult Verify([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/intake/meta")] HttpRequest req) =>
        MetaEndpoints.Verify(req, options);

    [Function("IntakeMeta")]
    public Task<IResult> ReceiveAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/intake/meta")] HttpRequest req, CancellationToken cancellationToken) =>
        MetaEndpoints.ReceiveAsync(req.HttpContext, webhook, options, cancellationToken);
}
