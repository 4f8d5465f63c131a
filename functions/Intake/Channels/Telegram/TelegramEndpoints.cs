using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Telegram.Bot;
using Telegram.Bot.Types;

namespace Intake.Channels.Telegram;

/// <summary>
/// <c>POST /api/intake/telegram</c>, the bot's webhook. 404 while the channel is off, 401 without the secret token,
/// 413 over 1 MB, 400 for anything that is not an update; otherwise 200 once the update is handled (a message stored
/// and queued), including updates we ignore. Telegram retries anything but 2xx.
/// </summary>
public static class TelegramEndpoints
{
    public const string SecretTokenHeader = "X-Telegram-Bot-Api-Secret-Token";

    public const int MaxBodyBytes = 1024 * 1024;

    public static async Task<IResult> ReceiveAsync(
        HttpContext http, TelegramWebhook webhook, IOptionsMonitor<TelegramOptions> options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(webhook);
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.CurrentValue;
        if (!settings.IsWebhookConfigured)
        {
            return TypedResults.Problem("The Telegram channel is not configured.", statusCode: StatusCodes.Status404NotFound);
        }

        if (!SecretMatches(http.Request.Headers[SecretTokenHeader].ToString(), settings.SecretToken!))
        {
            return TypedResults.Problem($"Missing or wrong {SecretTokenHeader}.", statusCode: StatusCodes.Status401Unauthorized);
        }

        var body = await ReadBodyAsync(http, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return TypedResults.Problem($"The request is larger than {MaxBodyBytes / 1024 / 1024} MB.", statusCode: StatusCodes.Status413PayloadTooLarge);
        }

        if (Parse(body.WrittenSpan) is not { } update)
        {
            return TypedResults.Problem("The body is not a Telegram Update in JSON.", statusCode: StatusCodes.Status400BadRequest);
        }

        await webhook.HandleAsync(update, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok();
    }

    /// <summary>
    /// Constant time whatever the input: both sides are hashed first, so neither the content nor the length of the
    /// secret leaks through timing.
    /// </summary>
    internal static bool SecretMatches(string given, string expected) =>
        CryptographicOperations.FixedTimeEquals(SHA256.HashData(Encoding.UTF8.GetBytes(given)), SHA256.HashData(Encoding.UTF8.GetBytes(expected)));

    /// <summary>The update, or null when the body is not JSON or not an update (no positive <c>update_id</c>).</summary>
    internal static Update? Parse(ReadOnlySpan<byte> body)
    {
        try
        {
            return JsonSerializer.Deserialize<Update>(body, JsonBotAPI.Options) is { Id: > 0 } update ? update : null;
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException or InvalidOperationException or FormatException or OverflowException)
        {
            // The library's converters throw more than JsonException for values out of range; none of it may become a 500.
            return null;
        }
    }

    /// <summary>The body, or null when it is over the limit (declared or actual).</summary>
    private static async Task<ArrayBufferWriter<byte>?> ReadBodyAsync(HttpContext http, CancellationToken cancellationToken)
    {
        if (http.Request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        if (http.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes + 1;
        }

        var buffer = new ArrayBufferWriter<byte>(4096);
        try
        {
            while (true)
            {
                var read = await http.Request.Body.ReadAsync(buffer.GetMemory(4096), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    return buffer;
                }

                buffer.Advance(read);
                if (buffer.WrittenCount > MaxBodyBytes)
                {
                    return null;
                }
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null;
        }
    }
}
