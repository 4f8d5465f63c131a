using System.Net;
using System.Text.Json.Nodes;
using Intake.Outbound;
using Intake.Tickets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Intake.Channels.Meta;

/// <summary>
/// Sends replies through the WhatsApp Cloud API (<c>POST {BaseUrl}/{GraphVersion}/{PhoneNumberId}/messages</c>) with
/// <c>WhatsApp:AccessToken</c>. A contact keyed on a phone number is addressed with <c>to</c>, one keyed on a
/// business-scoped user id with <c>recipient</c>.
/// <list type="bullet">
/// <item>No access token or phone number id: <see cref="SendResult.NotConfigured"/>, no HTTP call.</item>
/// <item>The customer last wrote 24 hours ago or more (or never): the configured template, reported
/// <see cref="OutboundStatus.Sent"/>; without one <see cref="OutboundStatus.WindowClosed"/> and no HTTP call.</item>
/// <item>No recipient or no text: <see cref="OutboundStatus.Failed"/>, no HTTP call.</item>
/// <item>A refusal (4xx but 408 and 429): <see cref="OutboundStatus.Failed"/> with the status code only.</item>
/// <item>408, 429, 5xx are retried briefly by the HttpClient; what remains, and network faults, throw for the queue to retry.</item>
/// </list>
/// </summary>
internal sealed partial class WhatsAppReplySender(
    IHttpClientFactory httpClients, IOptionsMonitor<MetaOptions> meta, IOptionsMonitor<WhatsAppOptions> options, TimeProvider time, ILogger<WhatsAppReplySender> logger)
    : IReplySender
{
    /// <summary>The Cloud API's limit on a text body.</summary>
    public const int MaxTextLength = 4096;

    public string Channel => MetaEvents.WhatsApp;

    public async Task<SendResult> SendAsync(OutboundReply reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var settings = options.CurrentValue;
        if (!settings.IsConfigured)
        {
            LogNotConfigured(logger, reply.Kind, reply.TicketId);
            return SendResult.NotConfigured;
        }

        if (string.IsNullOrWhiteSpace(reply.Contact.Id) || string.IsNullOrWhiteSpace(reply.Text))
        {
            LogNotSendable(logger, reply.Kind, reply.TicketId);
            return new(OutboundStatus.Failed, Error: "The ticket has no recipient or the reply no text.");
        }

        JsonObject body;
        var windowClosed = MessagingWindows.IsClosed(reply.CustomerWroteAt, time.GetUtcNow());
        if (reply.Choices is { Count: > 0 } choices)
        {
            // A survey is an interactive list, which WhatsApp allows only inside the window; a template cannot carry it.
            if (windowClosed)
            {
                LogWindowClosed(logger, reply.Kind, reply.TicketId);
                return new SendResult(OutboundStatus.WindowClosed);
            }

            body = ListBody(reply, choices);
        }
        else if (!windowClosed)
        {
            body = TextBody(reply);
        }
        else if (settings.TemplateName is { Length: > 0 } template)
        {
            body = TemplateBody(reply.Contact.Id, template, settings.TemplateLanguage);
        }
        else
        {
            LogWindowClosed(logger, reply.Kind, reply.TicketId);
            return new SendResult(OutboundStatus.WindowClosed);
        }

        var graph = meta.CurrentValue;
        using var http = httpClients.CreateClient(GraphApi.HttpClientName);
        var (status, answer) = await GraphApi.PostAsync(
            http, GraphApi.Url(graph.BaseUrl, graph.GraphVersion, $"{settings.PhoneNumberId}/messages"), settings.AccessToken!, body, cancellationToken)
            .ConfigureAwait(false);
        var code = (int)status;
        if (status is >= HttpStatusCode.OK and < HttpStatusCode.MultipleChoices)
        {
            var providerId = GraphApi.StringOf(answer?["messages"]?[0]?["id"]);
            LogSent(logger, reply.Kind, reply.TicketId, windowClosed ? "template" : "text", providerId);
            return new(OutboundStatus.Sent, ProviderMessageId: providerId);
        }

        if (GraphApi.IsWorthRetrying(status))
        {
            LogUnavailable(logger, reply.Kind, reply.TicketId, code);
            throw new HttpRequestException($"The Cloud API answered {code} for ticket {reply.TicketId}; try again later.", null, status);
        }

        LogRefused(logger, reply.Kind, reply.TicketId, code);
        return new(OutboundStatus.Failed, Error: $"The Cloud API refused the message: {code}.");
    }

    /// <summary>A free-form text message, plain (no markup), cut to the Cloud API's limit.</summary>
    internal static JsonObject TextBody(OutboundReply reply)
    {
        var body = Addressed(reply.Contact.Id);
        body["type"] = "text";
        body["text"] = new JsonObject { ["preview_url"] = false, ["body"] = GraphApi.Cut(reply.Text, MaxTextLength) };
        return body;
    }

    /// <summary>An interactive list: the text as its body, one row per choice (row id the signed payload, title at most 24 characters).</summary>
    internal static JsonObject ListBody(OutboundReply reply, IReadOnlyList<ReplyChoice> choices)
    {
        var body = Addressed(reply.Contact.Id);
        body["type"] = "interactive";
        body["interactive"] = new JsonObject
        {
            ["type"] = "list",
            ["body"] = new JsonObject { ["text"] = GraphApi.Cut(reply.Text, 1024) },
            ["action"] = new JsonObject
            {
                ["button"] = GraphApi.Cut(reply.Subject, 20),
                ["sections"] = new JsonArray(new JsonObject
                {
                    ["title"] = GraphApi.Cut(reply.Subject, 24),
                    ["rows"] = new JsonArray(
                    [
                        .. choices.Select(c =>
                        {
                            var row = new JsonObject { ["id"] = c.Payload, ["title"] = GraphApi.Cut(c.Title, 24) };
                            if (c.Description is { } description)
                            {
                                row["description"] = GraphApi.Cut(description, 72);
                            }

                            return (JsonNode)row;
                        }),
                    ]),
                }),
            },
        };
        return body;
    }

    /// <summary>An approved template: the only kind of message WhatsApp lets a business send outside the window.</summary>
    internal static JsonObject TemplateBody(string contactId, string name, string language)
    {
        var body = Addressed(contactId);
        body["type"] = "template";
        body["template"] = new JsonObject { ["name"] = name, ["language"] = new JsonObject { ["code"] = language } };
        return body;
    }

    /// <summary>A phone number (wa_id, digits only) goes in <c>to</c>; a business-scoped user id in <c>recipient</c>.</summary>
    private static JsonObject Addressed(string contactId)
    {
        var body = new JsonObject { ["messaging_product"] = "whatsapp", ["recipient_type"] = "individual" };
        body[IsPhoneNumber(contactId) ? "to" : "recipient"] = contactId;
        return body;
    }

    internal static bool IsPhoneNumber(string contactId) => contactId.Length > 0 && contactId.All(char.IsAsciiDigit);

    [LoggerMessage(Level = LogLevel.Debug, Message = "WhatsApp {Kind} for ticket {TicketId} not sent: the Cloud API is not configured")]
    private static partial void LogNotConfigured(ILogger logger, string kind, string ticketId);

    [LoggerMessage(Level = LogLevel.Information, Message = "WhatsApp {Kind} for ticket {TicketId} not sent: the customer last wrote more than 24 hours ago and no template is configured")]
    private static partial void LogWindowClosed(ILogger logger, string kind, string ticketId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WhatsApp {Kind} for ticket {TicketId} not sent: no recipient or no text")]
    private static partial void LogNotSendable(ILogger logger, string kind, string ticketId);

    [LoggerMessage(Level = LogLevel.Information, Message = "WhatsApp {Kind} for ticket {TicketId} sent as {Form} (message {ProviderMessageId})")]
    private static partial void LogSent(ILogger logger, string kind, string ticketId, string form, string? providerMessageId);

    [LoggerMessage(Level = LogLevel.Error, Message = "WhatsApp {Kind} for ticket {TicketId} refused by the Cloud API ({StatusCode})")]
    private static partial void LogRefused(ILogger logger, string kind, string ticketId, int statusCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "WhatsApp {Kind} for ticket {TicketId}: the Cloud API answered {StatusCode}; leaving it for a retry")]
    private static partial void LogUnavailable(ILogger logger, string kind, string ticketId, int statusCode);
}
