using System.Text.Json;
using System.Text.Json.Nodes;
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
    /// update, and Telegram would retry it forever. For the same reason an update the library cannot read whole (a kind
    /// of forward origin, paid media or keyboard button newer than the library) is read again with only what intake uses
    /// (<see cref="Reduced"/>).
    /// </summary>
    internal static Update? Parse(ReadOnlySpan<byte> body)
    {
        var json = JsonText.RepairSurrogateEscapes(body).ToArray();
        return Deserialize(json) ?? (Reduced(json, keepForwardOrigin: true) is { } reduced ? Deserialize(reduced) : null)
            ?? (Reduced(json, keepForwardOrigin: false) is { } bare ? Deserialize(bare) : null);
    }

    /// <summary>What a message is read for; the rest (entities, keyboards, paid media, service fields) is left out when it cannot be read.</summary>
    private static readonly HashSet<string> MessageFields = new(StringComparer.Ordinal)
    {
        "message_id", "message_thread_id", "from", "sender_chat", "chat", "date", "edit_date", "media_group_id",
        "text", "caption", "sticker", "venue", "location", "contact", "poll", "dice", "story",
        "photo", "animation", "document", "video", "voice", "video_note", "audio", "forward_origin",
    };

    private static readonly string[] MessageKinds = ["message", "edited_message", "channel_post", "edited_channel_post"];

    private static Update? Deserialize(byte[] json)
    {
        try
        {
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

    /// <summary>
    /// The update with only <c>update_id</c>, its message (or button press) and, of the message, the fields in
    /// <see cref="MessageFields"/>; without <c>forward_origin</c> too when <paramref name="keepForwardOrigin"/> is false.
    /// Null when the body is not an object with a numeric <c>update_id</c>, or has no message to reduce.
    /// </summary>
    internal static byte[]? Reduced(byte[] json, bool keepForwardOrigin)
    {
        JsonObject update;
        try
        {
            if (JsonNode.Parse(json) is not JsonObject root || root["update_id"] is not JsonValue id || id.GetValueKind() != JsonValueKind.Number)
            {
                return null;
            }

            update = root;
        }
        catch (JsonException)
        {
            return null;
        }

        var reduced = new JsonObject { ["update_id"] = update["update_id"]!.DeepClone() };
        foreach (var kind in MessageKinds)
        {
            if (update[kind] is JsonObject message)
            {
                reduced[kind] = ReducedMessage(message, keepForwardOrigin);
            }
        }

        if (update["callback_query"] is JsonObject callback)
        {
            var press = new JsonObject();
            foreach (var field in (string[])["id", "from", "data", "chat_instance", "inline_message_id"])
            {
                if (callback[field] is { } value)
                {
                    press[field] = value.DeepClone();
                }
            }

            if (callback["message"] is JsonObject carrier)
            {
                press["message"] = ReducedMessage(carrier, keepForwardOrigin);
            }

            reduced["callback_query"] = press;
        }

        return reduced.Count > 1 ? JsonSerializer.SerializeToUtf8Bytes(reduced) : null;
    }

    private static JsonObject ReducedMessage(JsonObject message, bool keepForwardOrigin)
    {
        var reduced = new JsonObject();
        foreach (var (name, value) in message)
        {
            if (MessageFields.Contains(name) && (keepForwardOrigin || name != "forward_origin"))
            {
                reduced[name] = value?.DeepClone();
            }
        }

        return reduced;
    }

    private static bool HasUpdateId(ReadOnlySpan<byte> json)
    {
        var reader = new Utf8JsonReader(json);
        using var document = JsonDocument.ParseValue(ref reader);
        return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("update_id", out var id) && id.ValueKind == JsonValueKind.Number;
    }
}
