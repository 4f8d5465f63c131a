using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Intake.Tests.Channels.Meta;

/// <summary>
/// Webhook deliveries written from Meta's documented shapes: Messenger Platform webhook events
/// (<c>messages</c>, <c>messaging_postbacks</c>, <c>message_echoes</c>, <c>message_reads</c>, <c>message_deliveries</c>,
/// <c>message_reactions</c>), the same for Instagram, and the WhatsApp Cloud API <c>messages</c> field (text,
/// interactive, media, statuses; business-scoped <c>user_id</c>).
/// </summary>
internal static class MetaFixtures
{
    public const string AppSecret = "app-secret-0123456789abcdef";
    public const string VerifyToken = "verify-token-42";
    public const string PageId = "104500000000001";
    public const string Psid = "6543210987654321";
    public const string WaId = "4915112345678";
    public const string BusinessUserId = "DE.13491208655302741918";
    public const long Time = 1_767_225_600_000;

    /// <summary><c>sha256=</c> and the lower-case hex HMAC-SHA256 of the body under the secret.</summary>
    public static string Sign(string body, string secret = AppSecret) =>
        "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));

    public static string Delivery(string objectKind, params JsonObject[] entries) =>
        new JsonObject { ["object"] = objectKind, ["entry"] = new JsonArray([.. entries]) }.ToJsonString();

    /// <summary>A Messenger (<c>page</c>) or Instagram entry with these messaging events.</summary>
    public static JsonObject Entry(params JsonObject[] events) => new()
    {
        ["id"] = PageId,
        ["time"] = Time,
        ["messaging"] = new JsonArray([.. events]),
    };

    public static JsonObject Event(JsonObject body, string sender = Psid, string kind = "message")
    {
        var messagingEvent = new JsonObject
        {
            ["sender"] = new JsonObject { ["id"] = sender },
            ["recipient"] = new JsonObject { ["id"] = PageId },
            ["timestamp"] = Time,
        };
        messagingEvent[kind] = body;
        return messagingEvent;
    }

    public static JsonObject TextEvent(string mid, string text, string sender = Psid) =>
        Event(new JsonObject { ["mid"] = mid, ["text"] = text }, sender);

    public static JsonObject QuickReplyEvent(string mid, string text, string payload) =>
        Event(new JsonObject { ["mid"] = mid, ["text"] = text, ["quick_reply"] = new JsonObject { ["payload"] = payload } });

    public static JsonObject EchoEvent(string mid, string text) => new()
    {
        ["sender"] = new JsonObject { ["id"] = PageId },
        ["recipient"] = new JsonObject { ["id"] = Psid },
        ["timestamp"] = Time,
        ["message"] = new JsonObject { ["is_echo"] = true, ["app_id"] = 1517776481860111, ["mid"] = mid, ["text"] = text },
    };

    public static JsonObject PostbackEvent(string? mid, string title, string payload)
    {
        var postback = new JsonObject { ["title"] = title, ["payload"] = payload };
        if (mid is not null)
        {
            postback["mid"] = mid;
        }

        return Event(postback, kind: "postback");
    }

    public static JsonObject ReadEvent() => Event(new JsonObject { ["watermark"] = Time }, kind: "read");

    public static JsonObject DeliveryEvent() => Event(new JsonObject { ["mids"] = new JsonArray("m_1"), ["watermark"] = Time }, kind: "delivery");

    public static JsonObject ReactionEvent() => Event(new JsonObject { ["mid"] = "m_r", ["action"] = "react", ["reaction"] = "love", ["emoji"] = "❤" }, kind: "reaction");

    public static string Messenger(params JsonObject[] events) => Delivery("page", Entry(events));

    public static string Instagram(params JsonObject[] events) => Delivery("instagram", Entry(events));

    /// <summary>A WhatsApp contact as the webhook carries it: the profile name, the phone number and, when given, the business-scoped id.</summary>
    public static JsonObject WhatsAppContact(string? waId = WaId, string? userId = null, string name = "Ana Souza")
    {
        var contact = new JsonObject { ["profile"] = new JsonObject { ["name"] = name } };
        if (waId is not null)
        {
            contact["wa_id"] = waId;
        }

        if (userId is not null)
        {
            contact["user_id"] = userId;
        }

        return contact;
    }

    public static JsonObject WhatsAppMessage(string wamid, string type, JsonObject content, string? from = WaId, string? fromUserId = null)
    {
        var message = new JsonObject { ["id"] = wamid, ["timestamp"] = "1767225600", ["type"] = type };
        if (from is not null)
        {
            message["from"] = from;
        }

        if (fromUserId is not null)
        {
            message["from_user_id"] = fromUserId;
        }

        message[type] = content;
        return message;
    }

    public static JsonObject WhatsAppText(string wamid, string body, string? from = WaId, string? fromUserId = null) =>
        WhatsAppMessage(wamid, "text", new JsonObject { ["body"] = body }, from, fromUserId);

    public static JsonObject WhatsAppImage(string wamid, string? caption)
    {
        var image = new JsonObject { ["id"] = "1479537139650973", ["mime_type"] = "image/jpeg", ["sha256"] = "HgBc" };
        if (caption is not null)
        {
            image["caption"] = caption;
        }

        return WhatsAppMessage(wamid, "image", image);
    }

    public static JsonObject WhatsAppDocument(string wamid) => WhatsAppMessage(wamid, "document", new JsonObject
    {
        ["id"] = "2095481847521309",
        ["mime_type"] = "application/pdf",
        ["filename"] = "statement.pdf",
        ["sha256"] = "Jk3l",
    });

    public static JsonObject WhatsAppListReply(string wamid, string id, string title) =>
        WhatsAppMessage(wamid, "interactive", new JsonObject
        {
            ["type"] = "list_reply",
            ["list_reply"] = new JsonObject { ["id"] = id, ["title"] = title, ["description"] = "" },
        });

    public static JsonObject WhatsAppButtonReply(string wamid, string id, string title) =>
        WhatsAppMessage(wamid, "interactive", new JsonObject
        {
            ["type"] = "button_reply",
            ["button_reply"] = new JsonObject { ["id"] = id, ["title"] = title },
        });

    public static JsonObject WhatsAppStatus(string wamid) => new()
    {
        ["id"] = wamid,
        ["status"] = "delivered",
        ["timestamp"] = "1767225600",
        ["recipient_id"] = WaId,
    };

    /// <summary>A <c>whatsapp_business_account</c> entry with one <c>messages</c> change.</summary>
    public static JsonObject WhatsAppEntry(JsonObject[] messages, JsonObject[]? contacts = null, JsonObject[]? statuses = null)
    {
        var value = new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["metadata"] = new JsonObject { ["display_phone_number"] = "15550001111", ["phone_number_id"] = "106540352242922" },
        };
        if (messages.Length > 0)
        {
            value["contacts"] = new JsonArray([.. contacts ?? [WhatsAppContact()]]);
            value["messages"] = new JsonArray([.. messages]);
        }

        if (statuses is not null)
        {
            value["statuses"] = new JsonArray([.. statuses]);
        }

        return new JsonObject
        {
            ["id"] = "102290129340398",
            ["changes"] = new JsonArray(new JsonObject { ["field"] = "messages", ["value"] = value }),
        };
    }

    public static string WhatsApp(params JsonObject[] messages) => Delivery("whatsapp_business_account", WhatsAppEntry(messages));
}
