using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Intake.Tests.Channels.X;

/// <summary>
/// Account Activity payloads written from the documented shapes (the <c>direct_message_events</c> webhook payload), and
/// signed as X signs them.
/// </summary>
internal static class XFixtures
{
    public const string ConsumerSecret = "consumer-secret-0123456789abcdefghijklmnopqrstuv";
    public const string SupportAccountId = "3001";
    public const string CustomerId = "4455667788";

    public static JsonObject Event(string id, string senderId, string? text, string recipientId = SupportAccountId, string type = "message_create", JsonObject? attachment = null)
    {
        var data = new JsonObject { ["entities"] = new JsonObject { ["hashtags"] = new JsonArray(), ["symbols"] = new JsonArray(), ["user_mentions"] = new JsonArray(), ["urls"] = new JsonArray() } };
        if (text is not null)
        {
            data["text"] = text;
        }

        if (attachment is not null)
        {
            data["attachment"] = attachment;
        }

        return new JsonObject
        {
            ["type"] = type,
            ["id"] = id,
            ["created_timestamp"] = "1767225600000",
            ["message_create"] = new JsonObject
            {
                ["target"] = new JsonObject { ["recipient_id"] = recipientId },
                ["sender_id"] = senderId,
                ["message_data"] = data,
            },
        };
    }

    /// <summary>An entry of <c>message_data.entities.urls</c> as X writes it; indices are code points, end exclusive.</summary>
    public static JsonObject Url(string url, string? expanded, int[]? indices = null)
    {
        var entity = new JsonObject { ["url"] = url, ["display_url"] = expanded is null ? null : expanded.Replace("https://", "", StringComparison.Ordinal)[..Math.Min(26, expanded.Length - 8)] + "…" };
        if (expanded is not null)
        {
            entity["expanded_url"] = expanded;
        }

        if (indices is not null)
        {
            entity["indices"] = new JsonArray([.. indices.Select(i => (JsonNode)i)]);
        }

        return entity;
    }

    /// <summary>A direct message whose <c>entities.urls</c> hold these links.</summary>
    public static JsonObject WithUrls(JsonObject directMessage, params JsonObject[] urls)
    {
        directMessage["message_create"]!["message_data"]!["entities"]!["urls"] = new JsonArray([.. urls]);
        return directMessage;
    }

    public static JsonObject User(string id, string? name, string? screenName) => new()
    {
        ["id"] = id,
        ["created_timestamp"] = "1422556069340",
        ["name"] = name,
        ["screen_name"] = screenName,
        ["protected"] = false,
        ["verified"] = false,
        ["followers_count"] = 12,
        ["friends_count"] = 40,
        ["statuses_count"] = 100,
        ["profile_image_url"] = "http://pbs.twimg.com/profile_images/1/a_normal.jpg",
        ["profile_image_url_https"] = "https://pbs.twimg.com/profile_images/1/a_normal.jpg",
    };

    /// <summary>A delivery of these events, with the <c>users</c> map X adds (the support account and the customer).</summary>
    public static string Payload(params JsonNode[] events) => new JsonObject
    {
        ["for_user_id"] = SupportAccountId,
        ["direct_message_events"] = new JsonArray(events),
        ["apps"] = new JsonObject { ["268278"] = new JsonObject { ["id"] = "268278", ["name"] = "Support app", ["url"] = "https://exchange.example" } },
        ["users"] = new JsonObject
        {
            [SupportAccountId] = User(SupportAccountId, "Exchange Support", "exchange_support"),
            [CustomerId] = User(CustomerId, "Ada Lovelace", "ada"),
        },
    }.ToJsonString();

    public static string Text(string eventId, string text, string senderId = CustomerId) => Payload(Event(eventId, senderId, text));

    public static JsonObject Photo(string mediaId) => new()
    {
        ["type"] = "media",
        ["media"] = new JsonObject
        {
            ["id"] = long.Parse(mediaId, System.Globalization.CultureInfo.InvariantCulture),
            ["id_str"] = mediaId,
            ["media_url"] = $"http://ton.twitter.com/1.1/ton/data/dm/1/{mediaId}/abc.jpg",
            ["media_url_https"] = $"https://ton.twitter.com/1.1/ton/data/dm/1/{mediaId}/abc.jpg",
            ["url"] = "https://t.co/abc",
            ["type"] = "photo",
        },
    };

    /// <summary><c>sha256=</c> + Base64(HMAC-SHA256(consumer secret, body)), as X signs deliveries.</summary>
    public static string Sign(string body, string secret = ConsumerSecret) =>
        "sha256=" + Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), Encoding.UTF8.GetBytes(body)));
}
