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
