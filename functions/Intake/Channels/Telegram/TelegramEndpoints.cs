using System.Text.Json;
using Intake.Web;
using Microsoft.AspNetCore.Http;
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

        if (!RequestChecks.SecretEquals(http.Request.Headers[SecretTokenHeader].ToString(), settings.SecretToken!))
        {
            return TypedResults.Problem($"Missing or wrong {SecretTokenHeader}.", statusCode: StatusCodes.Status401Unauthorized);
        }

        var body = await RequestChecks.ReadBodyAsync(http, MaxBodyBytes, cancellationToken).ConfigureAwait(false);
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
    /// The update, or null when the body is not JSON or not an update (no <c>update_id</c>, or a negative one). A text with
    /// half an emoji (an unpaired surrogate escape) is read with U+FFFD there: the deserializer would refuse the whole
    /// update, and Telegram would retry it forever.
    /// </summary>
    internal static Update? Parse(ReadOnlySpan<byte> body)
    {
        try
        {
            var json = JsonText.RepairSurrogateEscapes(body);
            return JsonSerializer.Deserialize<Update>(json, JsonBotAPI.Options) switch
            {
                { Id: > 0 } update => update,

                // 0 is an id like any other (libraries' captured updates use it); a body without update_id deserializes to 0 too.
                { Id: 0 } update when HasUpdateId(json) => update,
                _ => null,
            };
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException or ArgumentException or InvalidOperationException or FormatException or OverflowException)
        {
            // The library's converters throw more than JsonException for values out of range; none of it may become a 500.
            return null;
        }
    }

    private static bool HasUpdateId(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        using var document = JsonDocument.ParseValue(ref reader);
        return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("update_id", out var id) && id.ValueKind == JsonValueKind.Number;
    }
}
