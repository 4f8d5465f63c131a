using System.Net;
using System.Net.Mail;
using System.Text;
using System.Text.RegularExpressions;
using Intake.Outbound;
using Intake.Tickets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using SendGrid;
using SendGrid.Helpers.Mail;

namespace Intake.Channels.Email;

/// <summary>
/// Sends replies as plain-text email through SendGrid's v3 mail/send API.
/// <list type="bullet">
/// <item>Not configured: <see cref="SendResult.NotConfigured"/>, no HTTP call.</item>
/// <item>Nothing sendable (no or a bad address, our own address, empty text): <see cref="OutboundStatus.Failed"/>, no HTTP call.</item>
/// <item>2xx: <see cref="OutboundStatus.Sent"/> with the mail's own Message-ID (without angle brackets), which replies and
/// bounces refer to; SendGrid's <c>X-Message-Id</c> is logged.</item>
/// <item>Any other 4xx but 408 and 429: <see cref="OutboundStatus.Failed"/> with the status code. The response body is never
/// read or kept, so nothing the server echoes back (it may quote the request) can reach the ticket or the logs.</item>
/// <item>5xx, 408, 429: throws <see cref="HttpRequestException"/> with <see cref="HttpRequestException.StatusCode"/> set;
/// connection failures throw <see cref="HttpRequestException"/> and the HttpClient timeout throws <see cref="TimeoutException"/>.
/// These are worth another try, so the queue message is retried (Service Bus redelivery, Storage-queue dequeue count)
/// and dead-lettered after the fifth attempt. <see cref="OperationCanceledException"/> means only that
/// <c>cancellationToken</c> was cancelled.</item>
/// </list>
/// Stateless and thread-safe: each send takes a fresh HttpClient from the factory (pooled handlers) and the current options.
/// </summary>
internal sealed partial class EmailReplySender(IHttpClientFactory httpClients, IOptionsMonitor<SendGridOptions> options, ILogger<EmailReplySender> logger)
    : IReplySender
{
    public const string HttpClientName = "SendGrid";

    /// <summary>SendGrid's id for the accepted message, the prefix of the <c>sg_message_id</c> in its event webhook.</summary>
    internal const string MessageIdHeader = "X-Message-Id";

    internal const string TicketIdArg = "ticketId";

    /// <summary>RFC 5322 allows trimming References; keep the thread's root and its most recent ancestors.</summary>
    private const int MaxReferences = 20;

    public string Channel => ChannelNames.Email;

    public async Task<SendResult> SendAsync(OutboundReply reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var settings = options.CurrentValue;
        if (!settings.IsConfigured)
        {
            LogNotConfigured(logger, reply.Kind, reply.TicketId);
            return SendResult.NotConfigured;
        }

        var (message, refusal) = Compose(reply, settings);
        if (message is null)
        {
            LogNotSendable(logger, reply.Kind, reply.TicketId, refusal);
            return new(OutboundStatus.Failed, Error: refusal);
        }

        // Our own Message-ID, so that replies (In-Reply-To, References) and bounces of this mail find its ticket.
        var messageId = NewMessageId(reply, settings);
        message.AddHeader("Message-ID", $"<{messageId}>");
        var response = await PostAsync(message, settings, cancellationToken).ConfigureAwait(false);
        try
        {
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                var providerId = response.Headers.TryGetValues(MessageIdHeader, out var values) ? values.FirstOrDefault() : null;
                LogSent(logger, reply.Kind, reply.TicketId, status, providerId);
                return new(OutboundStatus.Sent, ProviderMessageId: messageId);
            }

            if (IsWorthRetrying(response.StatusCode))
            {
                LogUnavailable(logger, reply.Kind, reply.TicketId, status);
                throw new HttpRequestException($"SendGrid answered {status} ({response.StatusCode}) for ticket {reply.TicketId}; try again later.", null, response.StatusCode);
            }

            LogRefused(logger, reply.Kind, reply.TicketId, status);
            return new(OutboundStatus.Failed, Error: $"SendGrid refused the message: {status} ({response.StatusCode}).");
        }
        finally
        {
            response.Body?.Dispose();
        }
    }

    private async Task<Response> PostAsync(SendGridMessage message, SendGridOptions settings, CancellationToken cancellationToken)
    {
        using var http = httpClients.CreateClient(HttpClientName);
        var clientOptions = new SendGridClientOptions { ApiKey = settings.ApiKey, HttpErrorAsException = false };
        if (settings.BaseUrl is not null)
        {
            // The client accepts a null Host but then fails on every request, so only override it when configured.
            clientOptions.Host = settings.BaseUrl.AbsoluteUri;
        }

        // With an HttpClient of its own the SendGrid client adds no retry handler: retries are the queue's.
        var client = new SendGridClient(http, clientOptions);
        try
        {
            return await client.SendEmailAsync(message, cancellationToken).ConfigureAwait(false);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient reports its own timeout as a cancellation; callers should not mistake it for shutdown.
            throw new TimeoutException($"SendGrid did not answer within {http.Timeout.TotalSeconds:0.#} s.", e);
        }
    }

    /// <summary>
    /// <c>{ticketId}.{kind}.{random}@{our domain}</c>, without angle brackets: unique, and in the form the email channel
    /// stores and looks up Message-IDs in (<see cref="Channels.Email.EmailMessageIds.Normalize"/>).
    /// </summary>
    internal static string NewMessageId(OutboundReply reply, SendGridOptions settings)
    {
        var kind = new string([.. reply.Kind.Where(char.IsAsciiLetterOrDigit)]);
        var domain = new MailAddress(settings.FromEmail!).Host.ToLowerInvariant();
        return $"{reply.TicketId}.{(kind.Length > 0 ? kind : "reply")}.{Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(8))}@{domain}";
    }

    private static bool IsWorthRetrying(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    /// <summary>The message to post, or why there is none. Pure: no I/O, no clock.</summary>
    internal static (SendGridMessage? Message, string? Refusal) Compose(OutboundReply reply, SendGridOptions settings)
    {
        ArgumentNullException.ThrowIfNull(reply);
        ArgumentNullException.ThrowIfNull(settings);

        if (string.IsNullOrWhiteSpace(reply.Contact.Email))
        {
            return (null, "The contact has no email address.");
        }

        if (!MailAddress.TryCreate(reply.Contact.Email.Trim(), out var to))
        {
            return (null, "The contact's email address is not valid.");
        }

        if (string.IsNullOrWhiteSpace(reply.Text))
        {
            return (null, "The reply has no text.");
        }

        // RFC 3834: never answer our own address, and never let an automatic message loop back into our own domain.
        var from = new MailAddress(settings.FromEmail!);
        if (string.Equals(to.Address, from.Address, StringComparison.OrdinalIgnoreCase)
            || (reply.Automatic && string.Equals(to.Host, from.Host, StringComparison.OrdinalIgnoreCase)))
        {
            return (null, "The recipient is our own address or domain.");
        }

        // The address alone: a contact's name is whatever the sender typed (a web form's name field, a From display
        // name), and in the To header of our signed mail "Security team: verify at …" would read as our words.
        var message = MailHelper.CreateSingleEmail(
            new EmailAddress(from.Address, settings.FromName),
            new EmailAddress(to.Address),
            Subject(reply),
            reply.Text,
            htmlContent: null);

        if (reply.Automatic)
        {
            // RFC 3834: an acknowledgement answers a message; a survey is sent because a ticket was resolved.
            message.AddHeader("Auto-Submitted", reply.Kind == "survey" ? "auto-generated" : "auto-replied");
        }

        var inReplyTo = reply.InReplyTo is null ? null : MessageIds(reply.InReplyTo).FirstOrDefault();
        if (inReplyTo is not null)
        {
            message.AddHeader("In-Reply-To", inReplyTo);
        }

        var references = References(reply.References, inReplyTo);
        if (references.Count > 0)
        {
            message.AddHeader("References", string.Join(' ', references));
        }

        message.AddCustomArg(TicketIdArg, reply.TicketId);

        // Click tracking would rewrite our links to SendGrid's domain; an exchange's support mail must show its own.
        message.SetClickTracking(false, false);
        return (message, null);
    }

    /// <summary>
    /// RFC 5322 §3.6.4: the parent's References followed by the parent's Message-ID (the In-Reply-To), each once,
    /// trimmed to the first and the most recent ones.
    /// </summary>
    internal static List<string> References(IReadOnlyList<string>? given, string? inReplyTo)
    {
        var ids = new List<string>();
        foreach (var id in (given ?? []).SelectMany(MessageIds).Append(inReplyTo))
        {
            if (id is not null && !ids.Contains(id, StringComparer.Ordinal))
            {
                ids.Add(id);
            }
        }

        return ids.Count <= MaxReferences ? ids : [ids[0], .. ids[^(MaxReferences - 1)..]];
    }

    /// <summary>
    /// The Message-IDs in a header value, each as <c>&lt;id&gt;</c>. When the value has angle brackets only the bracketed
    /// ids count; otherwise each whitespace-separated word is an id. An id needs an <c>@</c> and printable ASCII only,
    /// so nothing that could break the header (line breaks, stray brackets) gets through.
    /// </summary>
    internal static IEnumerable<string> MessageIds(string value)
    {
        var ids = value.Contains('<', StringComparison.Ordinal)
            ? BracketedId().Matches(value).Select(match => match.Groups[1].Value)
            : value.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        return ids.Where(id => id.Contains('@', StringComparison.Ordinal) && id.All(c => c is > ' ' and <= '~' and not '<' and not '>'))
            .Select(id => $"<{id}>");
    }

    [GeneratedRegex(@"<([^<>\s]+)>", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking)]
    private static partial Regex BracketedId();

    private static string Subject(OutboundReply reply)
    {
        var subject = SingleLine(reply.Subject);
        return subject.Length > 0 ? subject : $"[{reply.Reference}]";
    }

    /// <summary>Control characters (CR, LF, tabs) in a header become single spaces.</summary>
    private static string SingleLine(string value)
    {
        var builder = new StringBuilder(value.Length);
        foreach (var c in value.Trim())
        {
            if (!char.IsControl(c))
            {
                builder.Append(c);
            }
            else if (builder.Length > 0 && builder[^1] != ' ')
            {
                builder.Append(' ');
            }
        }

        return builder.ToString().Trim();
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "Email {Kind} for ticket {TicketId} not sent: SendGrid is not configured")]
    private static partial void LogNotConfigured(ILogger logger, string kind, string ticketId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email {Kind} for ticket {TicketId} not sent: {Reason}")]
    private static partial void LogNotSendable(ILogger logger, string kind, string ticketId, string? reason);

    [LoggerMessage(Level = LogLevel.Information, Message = "Email {Kind} for ticket {TicketId} accepted by SendGrid ({StatusCode}, X-Message-Id {ProviderMessageId})")]
    private static partial void LogSent(ILogger logger, string kind, string ticketId, int statusCode, string? providerMessageId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Email {Kind} for ticket {TicketId} refused by SendGrid ({StatusCode})")]
    private static partial void LogRefused(ILogger logger, string kind, string ticketId, int statusCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Email {Kind} for ticket {TicketId}: SendGrid answered {StatusCode}; leaving it for a retry")]
    private static partial void LogUnavailable(ILogger logger, string kind, string ticketId, int statusCode);
}
