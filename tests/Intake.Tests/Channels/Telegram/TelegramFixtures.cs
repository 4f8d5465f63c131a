using System.Text.Json.Nodes;

namespace Intake.Tests.Channels.Telegram;

/// <summary>Webhook updates written from the Bot API's documented shapes (core.telegram.org/bots/api#update).</summary>
internal static class TelegramFixtures
{
    public const long ChatId = 987654321;

    public static JsonObject User(long id = ChatId, string? languageCode = "en", bool isBot = false) => new()
    {
        ["id"] = id,
        ["is_bot"] = isBot,
        ["first_name"] = "Ada",
        ["last_name"] = "Lovelace",
        ["username"] = "ada",
        ["language_code"] = languageCode,
    };

    public static JsonObject Message(int messageId, string? text, JsonObject? from = null, long chatId = ChatId, string chatType = "private")
    {
        var chat = new JsonObject { ["id"] = chatId, ["type"] = chatType };
        if (chatType == "private")
        {
            chat["first_name"] = "Ada";
        }
        else
        {
            chat["title"] = "Traders";
        }

        var message = new JsonObject
        {
            ["message_id"] = messageId,
            ["from"] = from ?? User(),
            ["chat"] = chat,
            ["date"] = 1_767_225_600,
        };
        if (text is not null)
        {
            message["text"] = text;
        }

        return message;
    }

    public static JsonObject Photo(JsonObject message, string? caption)
    {
        message["photo"] = new JsonArray(
            new JsonObject { ["file_id"] = "AgAD-small", ["file_unique_id"] = "s1", ["width"] = 90, ["height"] = 90, ["file_size"] = 1_200 },
            new JsonObject { ["file_id"] = "AgAD-large", ["file_unique_id"] = "l1", ["width"] = 1280, ["height"] = 960, ["file_size"] = 154_321 });
        if (caption is not null)
        {
            message["caption"] = caption;
        }

        return message;
    }

    public static JsonObject Document(JsonObject message, string? caption)
    {
        message["document"] = new JsonObject
        {
            ["file_id"] = "BQAD-statement",
            ["file_unique_id"] = "d1",
            ["file_name"] = "statement.pdf",
            ["mime_type"] = "application/pdf",
            ["file_size"] = 48_213,
        };
        if (caption is not null)
        {
            message["caption"] = caption;
        }

        return message;
    }

    /// <summary>A message carrying one content kind, shaped as the Bot API documents it; null when the kind is not one of these.</summary>
    public static JsonObject? Content(string kind, JsonObject message)
    {
        JsonNode? content = kind switch
        {
            "location" => new JsonObject { ["latitude"] = 48.858370, ["longitude"] = 2.294481 },
            "venue" => new JsonObject
            {
                ["location"] = new JsonObject { ["latitude"] = 51.501364, ["longitude"] = -0.14189 },
                ["title"] = "Exchange office",
                ["address"] = "1 Main Street, London",
                ["foursquare_id"] = "4ac518cef964a520b5a720e3",
            },
            "contact" => new JsonObject { ["phone_number"] = "+447700900123", ["first_name"] = "Grace", ["last_name"] = "Hopper", ["user_id"] = 555 },
            "poll" => new JsonObject
            {
                ["id"] = "5323405627424342017",
                ["question"] = "Which network did you withdraw on?",
                ["options"] = new JsonArray(
                    new JsonObject { ["text"] = "ERC-20", ["voter_count"] = 0 },
                    new JsonObject { ["text"] = "TRC-20", ["voter_count"] = 0 }),
                ["total_voter_count"] = 0,
                ["is_closed"] = false,
                ["is_anonymous"] = true,
                ["type"] = "regular",
                ["allows_multiple_answers"] = false,
            },
            "video_note" => new JsonObject { ["file_id"] = "DQACAgIAAxkBAAIB", ["file_unique_id"] = "AgADvn", ["length"] = 240, ["duration"] = 7, ["file_size"] = 301_422 },
            "voice" => new JsonObject { ["file_id"] = "AwACAgIAAxkBAAIC", ["file_unique_id"] = "AgADvo", ["duration"] = 4, ["mime_type"] = "audio/ogg", ["file_size"] = 12_311 },
            "animation" => new JsonObject { ["file_id"] = "CgACAgQAAxkBAAID", ["file_unique_id"] = "AgADvp", ["width"] = 320, ["height"] = 240, ["duration"] = 2, ["file_name"] = "loading.gif.mp4", ["mime_type"] = "video/mp4", ["file_size"] = 90_112 },
            _ => null,
        };
        if (content is null)
        {
            return null;
        }

        message[kind] = content;
        if (kind == "venue")
        {
            message["location"] = content["location"]!.DeepClone();
        }
        else if (kind == "animation")
        {
            // Telegram sends a GIF as a document too, for clients that predate animations.
            message["document"] = new JsonObject { ["file_id"] = "CgACAgQAAxkBAAID", ["file_unique_id"] = "AgADvp", ["file_name"] = "loading.gif.mp4", ["mime_type"] = "video/mp4", ["file_size"] = 90_112 };
        }

        return message;
    }

    /// <summary>A text the customer forwarded from another user's chat.</summary>
    public static JsonObject Forwarded(JsonObject message)
    {
        message["forward_origin"] = new JsonObject
        {
            ["type"] = "user",
            ["date"] = 1_767_225_000,
            ["sender_user"] = new JsonObject { ["id"] = 777, ["is_bot"] = false, ["first_name"] = "Exchange Support (real)" },
        };
        return message;
    }

    /// <summary>A file of Data/RealWorld/telegram (see its SOURCES.md); a bare message is wrapped in an update with this id.</summary>
    public static string RealWorld(string file, int updateId)
    {
        var node = JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Data", "RealWorld", "telegram", file)))!.AsObject();
        if (node.ContainsKey("update_id"))
        {
            node["update_id"] = updateId;
            return node.ToJsonString();
        }

        return Update(updateId, "message", node);
    }

    public static string Update(int updateId, string kind, JsonNode payload) =>
        new JsonObject { ["update_id"] = updateId, [kind] = payload }.ToJsonString();

    public static string Text(int updateId, string text, string? languageCode = "en", int messageId = 10) =>
        Update(updateId, "message", Message(messageId, text, User(languageCode: languageCode)));

    public static string CallbackQuery(int updateId, string data) => Update(updateId, "callback_query", new JsonObject
    {
        ["id"] = "4382bfdwdsb323b2d9",
        ["from"] = User(),
        ["message"] = Message(500, "How did we do?"),
        ["chat_instance"] = "-8123456789",
        ["data"] = data,
    });
}
