using System.Net;
using System.Text.Json.Nodes;
using Intake.Outbound;
using Intake.Tickets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Intake.Channels.Meta;

/// <summary>
/// Sends replies through the Graph Send API (<c>POST {BaseUrl}/{GraphVersion}/me/messages</c>) with the page token,
/// as a <c>RESPONSE</c> to the customer; one instance serves Messenger, another Instagram (same API, same token).
/// <list type="bullet">
/// <item>No page token: <see cref="SendResult.NotConfigured"/>, no HTTP call.</item>
/// <item>The customer last wrote 24 hours ago or more (or never): <see cref="OutboundStatus.WindowClosed"/>, no HTTP call.</item>
/// <item>No recipient or no text: <see cref="OutboundStatus.Failed"/>, no HTTP call.</item>
/// <item>A refusal (4xx but 408 and 429): <see cref="OutboundStatus.Failed"/> with the status code only.</item>
/// <item>408, 429, 5xx are retried briefly by the HttpClient; what remains, and network faults, throw for the queue to retry.</item>
/// </list>
/// </summary>
internal sealed partial class MessengerReplySender(
    string channel, IHttpClientFactory httpClients, IOptionsMonitor<MetaOptions> options, TimeProvider time, ILogger<MessengerReplySender> logger) : IReplySender
{
    /// <summary>The Send API's limit on a text message.</summary>
    public const int MaxTextLength = 2000;

    public string Channel => channel;

    public async Task<SendResult> SendAsync(OutboundReply reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var settings = options.CurrentValue;
        if (!settings.HasPageAccessToken)
        {
            LogNotConfigured(logger, channel, reply.Kind, reply.TicketId);
            return SendResult.NotConfigured;
        }

        if (MessagingWindows.IsClosed(reply.CustomerWroteAt, time.GetUtcNow()))
        {
            LogWindowClosed(logger, channel, reply.Kind, reply.TicketId);
            return new SendResult(OutboundStatus.WindowClosed);
        }

        if (string.IsNullOrWhiteSpace(reply.Contact.Id) || string.IsNullOrWhiteSpace(reply.Text))
        {
            LogNotSendable(logger, channel, reply.Kind, reply.TicketId);
            return new(OutboundStatus.Failed, Error: "The ticket has no recipient or the reply no text.");
        }

        using var http = httpClients.CreateClient(GraphApi.HttpClientName);
        var (status, answer) = await GraphApi.PostAsync(
            http, GraphApi.Url(settings.BaseUrl, settings.GraphVersion, "me/messages"), settings.PageAccessToken!, Body(reply), cancellationToken).ConfigureAwait(false);
        var code = (int)status;
        if (status is >= HttpStatusCode.OK and < HttpStatusCode.MultipleChoices)
        {
            var providerId = GraphApi.StringOf(answer?["message_id"]);
            LogSent(logger, channel, reply.Kind, reply.TicketId, providerId);
            return new(OutboundStatus.Sent, ProviderMessageId: providerId);
        }

        if (GraphApi.IsWorthRetrying(status))
        {
            LogUnavailable(logger, channel, reply.Kind, reply.TicketId, code);
            throw new HttpRequestException($"The Send API answered {code} for ticket {reply.TicketId}; try again later.", null, status);
        }

        LogRefused(logger, channel, reply.Kind, reply.TicketId, code);
        return new(OutboundStatus.Failed, Error: $"The Send API refused the message: {code}.");
    }

    /// <summary>The request body: plain text (no markup to escape), cut to the Send API's limit; a survey's choices as quick replies.</summary>
    internal static JsonObject Body(OutboundReply reply)
    {
        var message = new JsonObject { ["text"] = GraphApi.Cut(reply.Text, MaxTextLength) };
        if (reply.Choices is { Count: > 0 } choices)
        {
            // A survey: quick replies, each sending back its signed payload.
            message["quick_replies"] = new JsonArray(
            [
                .. choices.Select(c => (JsonNode)new JsonObject { ["content_type"] = "text", ["title"] = c.Title, ["payload"] = c.Payload }),
            ]);
        }

        return new JsonObject
        {
            ["recipient"] = reply.Contact.Id.StartsWith(MetaEvents.UserRefPrefix, StringComparison.Ordinal)
                ? new JsonObject { ["user_ref"] = reply.Contact.Id[MetaEvents.UserRefPrefix.Length..] }
                : new JsonObject { ["id"] = reply.Contact.Id },
            ["messaging_type"] = "RESPONSE",
            ["message"] = message,
        };
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "{Channel} {Kind} for ticket {TicketId} not sent: the page token is not configured")]
    private static partial void LogNotConfigured(ILogger logger, string channel, string kind, string ticketId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Channel} {Kind} for ticket {TicketId} not sent: the customer last wrote more than 24 hours ago")]
    private static partial void LogWindowClosed(ILogger logger, string channel, string kind, string ticketId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Channel} {Kind} for ticket {TicketId} not sent: no recipient or no text")]
    private static partial void LogNotSendable(ILogger logger, string channel, string kind, string ticketId);

    [LoggerMessage(Level = LogLevel.Information, Message = "{Channel} {Kind} for ticket {TicketId} sent (message {ProviderMessageId})")]
    private static partial void LogSent(ILogger logger, string channel, string kind, string ticketId, string? providerMessageId);

    [LoggerMessage(Level = LogLevel.Error, Message = "{Channel} {Kind} for ticket {TicketId} refused by the Send API ({StatusCode})")]
    private static partial void LogRefused(ILogger logger, string channel, string kind, string ticketId, int statusCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "{Channel} {Kind} for ticket {TicketId}: the Send API answered {StatusCode}; leaving it for a retry")]
    private static partial void LogUnavailable(ILogger logger, string channel, string kind, string ticketId, int statusCode);
}
