using System.Text.Json.Nodes;

namespace Intake.Tests.Channels.Meta;

/// <summary>
/// Messages that are not plain text, one per shape, as Meta sends them.
/// <para>
/// WhatsApp messages (location, contacts, order, Flow reply, unsupported, edit) are the <c>messages[]</c> items of
/// the captured updates in pywa's test data (github.com/david-lev/pywa, <c>tests/data/updates/message.json</c>,
/// <c>flow_completion.json</c>, <c>edited_message.json</c>; MIT licence, © 2024 David Lev), copied with their values,
/// only the sender's number changed to ours. They match Meta's "messages webhook reference" pages for each type.
/// </para>
/// <para>
/// Messenger and Instagram events follow Meta's webhook reference samples (Messenger Platform, "messages" and
/// "message_edits" webhook events; Instagram Messaging, "messages" with <c>share</c>, <c>ig_post</c> and
/// <c>story_mention</c> attachments), written out field for field since those pages only show placeholders.
/// </para>
/// </summary>
internal static class MetaContentFixtures
{
    private static JsonObject Parse(string json) => JsonNode.Parse(json)!.AsObject();

    public static JsonObject WhatsAppChosenLocation(string wamid) => Parse($$"""
        {
          "context": { "forwarded": true },
          "from": "{{MetaFixtures.WaId}}",
          "id": "{{wamid}}",
          "timestamp": "1697044557",
          "location": {
            "latitude": 37.4611978,
            "longitude": -122.2164385,
            "name": "Facebook HQ",
            "address": "1 Hacker Way, Menlo Park, CA 94025",
            "url": "https://maps.google.com/?cid=2000000000000000000"
          },
          "type": "location"
        }
        """);

    public static JsonObject WhatsAppCurrentLocation(string wamid) => Parse($$"""
        {
          "from": "{{MetaFixtures.WaId}}",
          "id": "{{wamid}}",
          "timestamp": "1697044557",
          "location": { "latitude": 12.25089, "longitude": 43.90539 },
          "type": "location"
        }
        """);

    public static JsonObject WhatsAppContacts(string wamid) => Parse($$"""
        {
          "from": "{{MetaFixtures.WaId}}",
          "id": "{{wamid}}",
          "timestamp": "1697044621",
          "type": "contacts",
          "contacts": [
            {
              "name": { "first_name": "Chandler", "last_name": "Bing", "formatted_name": "Chandler Bing" },
              "phones": [ { "phone": "+1 555-555-5555", "wa_id": "972987654321", "type": "CELL" } ]
            },
            {
              "name": { "first_name": "Monica", "formatted_name": "Monica" },
              "phones": [ { "phone": "+1 666-666-6666", "wa_id": "972987654321", "type": "HOME" } ]
            }
          ]
        }
        """);

    public static JsonObject WhatsAppOrder(string wamid) => Parse($$"""
        {
          "from": "{{MetaFixtures.WaId}}",
          "id": "{{wamid}}",
          "timestamp": "1697044668",
          "type": "order",
          "order": {
            "catalog_id": "354160437058781",
            "text": "Please deliver after 6pm",
            "product_items": [
              { "product_retailer_id": "HAMBURGER", "quantity": 3, "item_price": 30, "currency": "ILS" },
              { "product_retailer_id": "FRENCH_FRIES", "quantity": 2, "item_price": 35, "currency": "ILS" }
            ]
          }
        }
        """);

    public static JsonObject WhatsAppFlowReply(string wamid) => Parse($$"""
        {
          "context": { "from": "972123456789", "id": "wamid.gvwegfretge==" },
          "from": "{{MetaFixtures.WaId}}",
          "id": "{{wamid}}",
          "timestamp": "1702502473",
          "type": "interactive",
          "interactive": {
            "type": "nfm_reply",
            "nfm_reply": {
              "response_json": "{\"comment_text\":\"Comment Text\",\"delivery_rating\":\"4\",\"flow_token\":\"AQAAAAACS5FpgQ_cAAAAAD0QI3s.\",\"purchase_rating\":\"2\",\"recommend_radio\":\"0\",\"cs_rating\":\"0\"}",
              "body": "Sent",
              "name": "flow"
            }
          }
        }
        """);

    public static JsonObject WhatsAppUnsupported(string wamid) => Parse($$"""
        {
          "from": "{{MetaFixtures.WaId}}",
          "id": "{{wamid}}",
          "timestamp": "1697044706",
          "errors": [
            { "code": 131051, "title": "Message type unknown", "message": "Message type unknown", "error_data": { "details": "Message type is currently not supported." } }
          ],
          "type": "unsupported"
        }
        """);

    public static JsonObject WhatsAppEditedText(string wamid, string original, string body) => Parse($$"""
        {
          "from": "{{MetaFixtures.WaId}}",
          "id": "{{wamid}}",
          "timestamp": "1697044968",
          "type": "edit",
          "edit": {
            "original_message_id": "{{original}}",
            "message": { "type": "text", "text": { "body": "{{body}}" } }
          }
        }
        """);

    public static JsonObject WhatsAppEditedCaption(string wamid, string original) => Parse($$"""
        {
          "from": "{{MetaFixtures.WaId}}",
          "id": "{{wamid}}",
          "timestamp": "1697044968",
          "type": "edit",
          "edit": {
            "original_message_id": "{{original}}",
            "message": {
              "type": "image",
              "image": { "caption": "caption", "mime_type": "image/jpeg", "sha256": "4654+8g=", "id": "65463453" }
            }
          }
        }
        """);

    /// <summary>Messenger's location attachment: a title, a map link and the coordinates.</summary>
    public static JsonObject MessengerLocation(string mid) => MetaFixtures.Event(Parse($$"""
        {
          "mid": "{{mid}}",
          "attachments": [
            {
              "title": "Alexanderplatz",
              "url": "https://l.facebook.com/l.php?u=https%3A%2F%2Fwww.bing.com%2Fmaps",
              "type": "location",
              "payload": { "coordinates": { "lat": 52.5219, "long": 13.4132 } }
            }
          ]
        }
        """));

    /// <summary>Messenger's sticker: an image attachment carrying the sticker id (369239263222822 is the thumbs-up).</summary>
    public static JsonObject MessengerSticker(string mid) => MetaFixtures.Event(Parse($$"""
        {
          "mid": "{{mid}}",
          "sticker_id": 369239263222822,
          "attachments": [
            { "type": "image", "payload": { "url": "https://scontent.xx.fbcdn.net/v/t39.1997-6/sticker.png", "sticker_id": 369239263222822 } }
          ]
        }
        """));

    /// <summary>Messenger's <c>message_edits</c> event: the edited message's mid, its new text, and how many edits so far.</summary>
    public static JsonObject MessengerEdit(string mid, string text, int count) => MetaFixtures.Event(
        new JsonObject { ["mid"] = mid, ["text"] = text, ["num_edit"] = count },
        kind: "message_edit");

    public static JsonObject InstagramShare(string mid) => MetaFixtures.Event(Parse($$"""
        {
          "mid": "{{mid}}",
          "attachments": [ { "type": "share", "payload": { "url": "https://www.instagram.com/p/C1a2B3c4D5e/" } } ]
        }
        """), sender: InstagramUser);

    public static JsonObject InstagramPost(string mid) => MetaFixtures.Event(Parse($$"""
        {
          "mid": "{{mid}}",
          "attachments": [
            {
              "type": "ig_post",
              "payload": { "ig_post_media_id": "18039284756102938", "title": "New listing: XYZ/USDT", "url": "https://www.instagram.com/p/C9x8Y7z6W5v/" }
            }
          ]
        }
        """), sender: InstagramUser);

    public static JsonObject InstagramStoryMention(string mid) => MetaFixtures.Event(Parse($$"""
        {
          "mid": "{{mid}}",
          "attachments": [ { "type": "story_mention", "payload": { "url": "https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=17952754950787520&signature=AbxY" } } ]
        }
        """), sender: InstagramUser);

    public const string InstagramUser = "17841400000000001";
}
