using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Intake.Outbound;
using Intake.Tickets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Intake.Channels.X;

/// <summary>
/// Sends replies as direct messages with the v2 API, <c>POST {BaseUrl}/2/dm_conversations/with/{participant_id}/messages</c>
/// <c>{"text":…}</c> with the support account's bearer token, to the ticket's contact (the sender of the DM).
/// <list type="bullet">
/// <item>No access token: <see cref="SendResult.NotConfigured"/>, no HTTP call.</item>
/// <item>No numeric user id or no text: <see cref="OutboundStatus.Failed"/>, no HTTP call.</item>
/// <item>2xx: <see cref="OutboundStatus.Sent"/> with <c>data.dm_event_id</c>.</item>
/// <item>429 with a short <c>Retry-After</c> (or <c>x-rate-limit-reset</c>): one more try after the wait.</item>
/// <item>429 otherwise, 5xx, 408: throws <see cref="HttpRequestException"/> with the status, so that the queue retries;
/// network faults throw as they are, the HttpClient timeout as <see cref="TimeoutException"/>.</item>
/// <item>Any other 4xx (the user does not accept DMs from us, blocked us, is gone): <see cref="OutboundStatus.Failed"/>
/// with the status code only. X's error body may quote what we sent, so it is never read.</item>
/// </list>
/// </summary>
internal sealed partial class XReplySender(IHttpClientFactory httpClients, IOptionsMonitor<XOptions> options, TimeProvider time, ILogger<XReplySender> logger)
    : IReplySender
{
    public const string HttpClientName = "X";

    /// <summary>X's limit for the text of a direct message.</summary>
    public const int MaxTextLength = 10_000;

    /// <summary>How long a worker slot may wait for X's rate limit before leaving the message to the queue's retry.</summary>
    internal static readonly TimeSpan MaxInlineWait = TimeSpan.FromSeconds(2);

    /// <summary>How long one call may take before it counts as failed.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    public string Channel => XEvents.Channel;

    public async Task<SendResult> SendAsync(OutboundReply reply, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reply);
        var settings = options.CurrentValue;
        if (!settings.HasAccessToken)
        {
            LogNotConfigured(logger, reply.Kind, reply.TicketId);
            return SendResult.NotConfigured;
        }

        var participant = reply.Contact.Id;
        if (participant is not { Length: > 0 and <= 20 } || !participant.All(char.IsAsciiDigit) || string.IsNullOrWhiteSpace(reply.Text))
        {
            LogNotSendable(logger, reply.Kind, reply.TicketId);
            return new(OutboundStatus.Failed, Error: "The ticket has no X user id or the reply no text.");
        }

        var url = new Uri($"{settings.BaseUrl.AbsoluteUri.TrimEnd('/')}/2/dm_conversations/with/{participant}/messages");
        var text = Clip(reply.Text);
        using var http = httpClients.CreateClient(HttpClientName);
        for (var attempt = 1; ; attempt++)
        {
            using var response = await PostAsync(http, url, settings.AccessToken!, text, cancellationToken).ConfigureAwait(false);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                var providerId = await EventIdAsync(response, cancellationToken).ConfigureAwait(false);
                LogSent(logger, reply.Kind, reply.TicketId, providerId);
                return new(OutboundStatus.Sent, ProviderMessageId: providerId);
            }

            if (response.StatusCode == HttpStatusCode.TooManyRequests && attempt == 1 && RetryAfter(response.Headers, time.GetUtcNow()) is { } wait && wait <= MaxInlineWait)
            {
                LogThrottledWaiting(logger, reply.Kind, reply.TicketId, wait.TotalMilliseconds);
                await Task.Delay(wait, time, cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (IsWorthRetrying(response.StatusCode))
            {
                LogUnavailable(logger, reply.Kind, reply.TicketId, status);
                throw new HttpRequestException($"X answered {status} for ticket {reply.TicketId}; try again later.", null, response.StatusCode);
            }

            LogRefused(logger, reply.Kind, reply.TicketId, status);
            return new(OutboundStatus.Failed, Error: $"X refused the message: {status}.");
        }
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, Uri url, string accessToken, string text, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url)
        {
            Content = JsonContent.Create(new JsonObject { ["text"] = text }),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        try
        {
            return await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken).ConfigureAwait(false);
        }
        catch (TaskCanceledException ex) when (!cancellationToken.IsCancellationRequested)
        {
            // HttpClient reports its own timeout as a cancellation; callers should not mistake it for shutdown.
            throw new TimeoutException($"X did not answer within {http.Timeout.TotalSeconds:0.#} s.", ex);
        }
    }

    /// <summary><c>data.dm_event_id</c> of X's answer, or null if the answer does not say (the message went out all the same).</summary>
    private static async Task<string?> EventIdAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            await using (stream.ConfigureAwait(false))
            {
                using var document = await JsonDocument.ParseAsync(stream, cancellationToken: cancellationToken).ConfigureAwait(false);
                return document.RootElement is { ValueKind: JsonValueKind.Object } root
                    && root.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object
                    && data.TryGetProperty("dm_event_id", out var id) && id.ValueKind == JsonValueKind.String
                        ? id.GetString()
                        : null;
            }
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static bool IsWorthRetrying(HttpStatusCode status) =>
        (int)status >= 500 || status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests;

    /// <summary>
    /// How long X asks us to wait: <c>Retry-After</c> (seconds or a date), else <c>x-rate-limit-reset</c> (epoch seconds when
    /// the window resets); null when neither says.
    /// </summary>
    internal static TimeSpan? RetryAfter(HttpResponseHeaders headers, DateTimeOffset now)
    {
        if (headers.RetryAfter is { } retryAfter)
        {
            var wait = retryAfter.Delta ?? (retryAfter.Date is { } date ? date - now : null);
            if (wait is { } span)
            {
                return span < TimeSpan.Zero ? TimeSpan.Zero : span;
            }
        }

        if (headers.TryGetValues("x-rate-limit-reset", out var values)
            && long.TryParse(values.FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var reset)
            && reset < 100_000_000_000)
        {
            var span = DateTimeOffset.FromUnixTimeSeconds(reset) - now;
            return span < TimeSpan.Zero ? TimeSpan.Zero : span;
        }

        return null;
    }

    /// <summary>At most <see cref="MaxTextLength"/> characters, never cutting a surrogate pair in half.</summary>
    internal static string Clip(string text)
    {
        if (text.Length <= MaxTextLength)
        {
            return text;
        }

        var length = char.IsHighSurrogate(text[MaxTextLength - 1]) ? MaxTextLength - 1 : MaxTextLength;
        return text[..length];
    }

    [LoggerMessage(Level = LogLevel.Debug, Message = "X {Kind} for ticket {TicketId} not sent: no access token is configured")]
    private static partial void LogNotConfigured(ILogger logger, string kind, string ticketId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "X {Kind} for ticket {TicketId} not sent: no user id or no text")]
    private static partial void LogNotSendable(ILogger logger, string kind, string ticketId);

    [LoggerMessage(Level = LogLevel.Information, Message = "X {Kind} for ticket {TicketId} sent (event {ProviderMessageId})")]
    private static partial void LogSent(ILogger logger, string kind, string ticketId, string? providerMessageId);

    [LoggerMessage(Level = LogLevel.Information, Message = "X {Kind} for ticket {TicketId}: rate limited; trying again in {WaitMilliseconds} ms")]
    private static partial void LogThrottledWaiting(ILogger logger, string kind, string ticketId, double waitMilliseconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "X {Kind} for ticket {TicketId} refused ({StatusCode})")]
    private static partial void LogRefused(ILogger logger, string kind, string ticketId, int statusCode);

    [LoggerMessage(Level = LogLevel.Warning, Message = "X {Kind} for ticket {TicketId}: X answered {StatusCode}; leaving it for a retry")]
    private static partial void LogUnavailable(ILogger logger, string kind, string ticketId, int statusCode);
}
