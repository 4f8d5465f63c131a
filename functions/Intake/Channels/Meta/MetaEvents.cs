using System.Text.Json;
using Intake.Tickets;
using Intake.Web;

namespace Intake.Channels.Meta;

/// <summary>
/// What to do with one event of a webhook delivery. <see cref="Event"/> says where it sat in the delivery
/// (<c>entry 0 messaging 2</c>) for the logs, which never see its text or the sender's id.
/// </summary>
public abstract record MetaDecision(string Event)
{
    /// <summary>A customer message: store it (new ticket, or the sender's open ticket) and queue it.</summary>
    public sealed record Accept(string Event, InboundMessage Message) : MetaDecision(Event);

    /// <summary>Nothing to do: our own echo, a read or delivery receipt, a reaction, a status, a kind we do not handle.</summary>
    public sealed record Ignore(string Event, string Reason) : MetaDecision(Event);

    /// <summary>An event broken in itself (no sender, no id): skipped and logged, never stopping the rest of the delivery.</summary>
    public sealed record Malformed(string Event, string Reason) : MetaDecision(Event);
}

/// <summary>A parsed delivery: the <c>object</c> it is about (<see cref="Kind"/>), and one decision per messaging event or WhatsApp message.</summary>
public sealed record MetaDelivery(string Kind, IReadOnlyList<MetaDecision> Decisions);

/// <summary>
/// Turns a Meta webhook body into decisions. Pure: no I/O, no clock, no options. One webhook serves three objects:
/// <c>page</c> (Messenger) and <c>instagram</c> carry <c>entry[].messaging[]</c>, <c>whatsapp_business_account</c>
/// carries <c>entry[].changes[].value.messages[]</c>. The contact is the sender (PSID, IGSID; on WhatsApp the
/// business-scoped user id when present, else <c>wa_id</c>), the dedupe key and the reply-to id the <c>mid</c> or
/// <c>wamid</c>. The WhatsApp phone number is kept nowhere but in the contact id it may be.
/// </summary>
public static class MetaEvents
{
    public const string Messenger = ChannelNames.Messenger;
    public const string Instagram = ChannelNames.Instagram;
    public const string WhatsApp = ChannelNames.WhatsApp;

    /// <summary>How much of a payload (ours, from a button we sent) is kept in the message's metadata.</summary>
    internal const int MaxPayloadLength = 1000;

    /// <summary>The longest id taken from a delivery: Meta's message ids are about a hundred characters, user ids a few dozen.</summary>
    internal const int MaxIdLength = 256;

    /// <summary>Messenger and Instagram attachment types worth noting; shares, stickers as likes, locations are not.</summary>
    private static readonly HashSet<string> MessengerMedia = new(StringComparer.Ordinal) { "image", "video", "audio", "file" };

    private static readonly HashSet<string> WhatsAppMedia = new(StringComparer.Ordinal) { "image", "document", "audio", "video", "sticker" };

    /// <summary>The delivery, or null when the body is not JSON or not an object with a string <c>object</c> and an <c>entry</c> array.</summary>
    public static MetaDelivery? Parse(ReadOnlySpan<byte> body)
    {
        try
        {
            var reader = new Utf8JsonReader(body);
            using var document = JsonDocument.ParseValue(ref reader);
            var root = document.RootElement;
            return root.ValueKind == JsonValueKind.Object
                && root.TryGetProperty("object", out var kind) && kind.ValueKind == JsonValueKind.String
                && root.TryGetProperty("entry", out var entries) && entries.ValueKind == JsonValueKind.Array
                ? Decide(JsonText.Get(kind), entries)
                : null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>The channel an <c>object</c> is, or null for one we do not serve.</summary>
    public static string? ChannelOf(string objectKind) => objectKind switch
    {
        "page" => Messenger,
        "instagram" => Instagram,
        "whatsapp_business_account" => WhatsApp,
        _ => null,
    };

    internal static MetaDelivery Decide(string objectKind, JsonElement entries)
    {
        var decisions = new List<MetaDecision>();
        var channel = ChannelOf(objectKind);
        if (channel is null)
        {
            decisions.Add(new MetaDecision.Ignore("delivery", "object not served"));
            return new MetaDelivery(objectKind, decisions);
        }

        var e = 0;
        foreach (var entry in entries.EnumerateArray())
        {
            var where = $"entry {e++}";
            if (entry.ValueKind != JsonValueKind.Object)
            {
                decisions.Add(new MetaDecision.Malformed(where, "entry is not an object"));
            }
            else if (channel == WhatsApp)
            {
                DecideWhatsAppEntry(entry, where, decisions);
            }
            else
            {
                DecideMessagingEntry(channel, entry, where, decisions);
            }
        }

        return new MetaDelivery(objectKind, decisions);
    }

    private static void DecideMessagingEntry(string channel, JsonElement entry, string where, List<MetaDecision> decisions)
    {
        if (!entry.TryGetProperty("messaging", out var messaging))
        {
            // Feed and comment changes, or standby events while another app holds the thread.
            decisions.Add(new MetaDecision.Ignore(where, "no messaging events"));
            return;
        }

        if (messaging.ValueKind != JsonValueKind.Array)
        {
            decisions.Add(new MetaDecision.Malformed(where, "messaging is not an array"));
            return;
        }

        var m = 0;
        foreach (var messagingEvent in messaging.EnumerateArray())
        {
            decisions.Add(DecideMessaging(channel, messagingEvent, $"{where} messaging {m++}"));
        }
    }

    /// <summary>One Messenger or Instagram messaging event.</summary>
    internal static MetaDecision DecideMessaging(string channel, JsonElement messagingEvent, string where)
    {
        if (messagingEvent.ValueKind != JsonValueKind.Object)
        {
            return new MetaDecision.Malformed(where, "event is not an object");
        }

        var sender = messagingEvent.TryGetProperty("sender", out var from) && from.ValueKind == JsonValueKind.Object ? Id(from, "id") : null;
        if (messagingEvent.TryGetProperty("message", out var message))
        {
            if (message.ValueKind != JsonValueKind.Object)
            {
                return new MetaDecision.Malformed(where, "message is not an object");
            }

            if (IsTrue(message, "is_echo"))
            {
                return new MetaDecision.Ignore(where, "echo");
            }

            if (IsTrue(message, "is_deleted") || IsTrue(message, "is_unsupported"))
            {
                return new MetaDecision.Ignore(where, "deleted or unsupported message");
            }

            return Message(channel, sender, message, where);
        }

        if (messagingEvent.TryGetProperty("postback", out var postback))
        {
            return Postback(channel, sender, postback, messagingEvent, where);
        }

        foreach (var kind in (string[])["read", "delivery", "reaction", "message_edit", "optin", "referral"])
        {
            if (messagingEvent.TryGetProperty(kind, out _))
            {
                return new MetaDecision.Ignore(where, kind);
            }
        }

        return new MetaDecision.Ignore(where, "event kind not handled");
    }

    private static MetaDecision Message(string channel, string? sender, JsonElement message, string where)
    {
        if (sender is null)
        {
            return new MetaDecision.Malformed(where, "missing sender");
        }

        if (Id(message, "mid") is not { } mid)
        {
            return new MetaDecision.Malformed(where, "missing mid");
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (message.TryGetProperty("quick_reply", out var quickReply) && Text(quickReply, "payload") is { } payload)
        {
            metadata["quickReply"] = Clip(payload);
        }

        var notes = new List<AttachmentNote>();
        if (message.TryGetProperty("attachments", out var attachments) && attachments.ValueKind == JsonValueKind.Array)
        {
            foreach (var attachment in attachments.EnumerateArray())
            {
                // The payload's URL is a short-lived signed CDN address: not worth keeping, and not ours to keep.
                if (Text(attachment, "type") is { } type && MessengerMedia.Contains(type))
                {
                    notes.Add(new AttachmentNote(type, "application/octet-stream", 0));
                }
            }
        }

        var text = Text(message, "text");
        if (string.IsNullOrWhiteSpace(text))
        {
            if (notes.Count == 0)
            {
                return new MetaDecision.Ignore(where, "message kind not handled");
            }

            text = $"[{notes[0].Name}]";
        }

        return Accept(where, channel, new Contact(channel, sender), text, mid, notes, metadata);
    }

    private static MetaDecision Postback(string channel, string? sender, JsonElement postback, JsonElement messagingEvent, string where)
    {
        if (postback.ValueKind != JsonValueKind.Object)
        {
            return new MetaDecision.Malformed(where, "postback is not an object");
        }

        if (sender is null)
        {
            return new MetaDecision.Malformed(where, "missing sender");
        }

        // Newer postbacks carry a mid; older ones only the time, which with the sender is as unique as a press can be.
        var id = Id(postback, "mid") ?? (Id(messagingEvent, "timestamp") is { } timestamp ? $"postback:{sender}:{timestamp}" : null);
        if (id is null)
        {
            return new MetaDecision.Malformed(where, "missing mid and timestamp");
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        if (Text(postback, "payload") is { } payload)
        {
            metadata["postback"] = Clip(payload);
        }

        var title = Text(postback, "title");
        return Accept(where, channel, new Contact(channel, sender), string.IsNullOrWhiteSpace(title) ? "[button]" : title, id, [], metadata);
    }

    private static void DecideWhatsAppEntry(JsonElement entry, string where, List<MetaDecision> decisions)
    {
        if (!entry.TryGetProperty("changes", out var changes) || changes.ValueKind != JsonValueKind.Array)
        {
            decisions.Add(new MetaDecision.Malformed(where, "changes missing or not an array"));
            return;
        }

        var c = 0;
        foreach (var change in changes.EnumerateArray())
        {
            var at = $"{where} change {c++}";
            if (change.ValueKind != JsonValueKind.Object)
            {
                decisions.Add(new MetaDecision.Malformed(at, "change is not an object"));
                continue;
            }

            if (Text(change, "field") != "messages")
            {
                decisions.Add(new MetaDecision.Ignore(at, "field not handled"));
                continue;
            }

            if (!change.TryGetProperty("value", out var value) || value.ValueKind != JsonValueKind.Object)
            {
                decisions.Add(new MetaDecision.Malformed(at, "value missing"));
                continue;
            }

            if (value.TryGetProperty("statuses", out _))
            {
                decisions.Add(new MetaDecision.Ignore(at, "statuses"));
            }

            if (!value.TryGetProperty("messages", out var messages))
            {
                continue;
            }

            if (messages.ValueKind != JsonValueKind.Array)
            {
                decisions.Add(new MetaDecision.Malformed(at, "messages is not an array"));
                continue;
            }

            var contacts = value.TryGetProperty("contacts", out var list) && list.ValueKind == JsonValueKind.Array ? list : default;
            var m = 0;
            foreach (var message in messages.EnumerateArray())
            {
                decisions.Add(DecideWhatsApp(message, contacts, $"{at} message {m++}"));
            }
        }
    }

    /// <summary>One WhatsApp message, with the change's <c>contacts</c> (an undefined element when there are none).</summary>
    internal static MetaDecision DecideWhatsApp(JsonElement message, JsonElement contacts, string where)
    {
        if (message.ValueKind != JsonValueKind.Object)
        {
            return new MetaDecision.Malformed(where, "message is not an object");
        }

        if (Id(message, "id") is not { } wamid)
        {
            return new MetaDecision.Malformed(where, "missing id");
        }

        var from = Id(message, "from");
        var fromUserId = Id(message, "from_user_id");
        var contact = ContactOf(contacts, from, fromUserId);

        // Since 2026 a user may write with a business-scoped id and no phone number: key on it whenever it is there.
        var contactId = fromUserId ?? (contact is { } known ? Id(known, "user_id") : null) ?? (contact is { } withNumber ? Id(withNumber, "wa_id") : null) ?? from;
        if (contactId is null)
        {
            return new MetaDecision.Malformed(where, "missing sender");
        }

        var name = contact is { } profiled && profiled.TryGetProperty("profile", out var profile) && profile.ValueKind == JsonValueKind.Object
            ? Text(profile, "name")
            : null;
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var notes = new List<AttachmentNote>();
        var type = Text(message, "type") ?? "";
        string? text;
        switch (type)
        {
            case "text":
                text = message.TryGetProperty("text", out var body) && body.ValueKind == JsonValueKind.Object ? Text(body, "body") : null;
                break;

            case "interactive":
                var reply = InteractiveReply(message);
                text = reply is { } chosen ? Text(chosen, "title") : null;
                if (reply is { } replied && Text(replied, "id") is { } replyId)
                {
                    metadata["interactiveReply"] = Clip(replyId);
                }

                break;

            case "button":
                // A quick-reply button of a template we sent.
                var button = message.TryGetProperty("button", out var pressed) && pressed.ValueKind == JsonValueKind.Object ? pressed : default;
                text = button.ValueKind == JsonValueKind.Object ? Text(button, "text") : null;
                if (button.ValueKind == JsonValueKind.Object && Text(button, "payload") is { } payload)
                {
                    metadata["button"] = Clip(payload);
                }

                break;

            case var media when WhatsAppMedia.Contains(media):
                if (!message.TryGetProperty(media, out var file) || file.ValueKind != JsonValueKind.Object || Text(file, "id") is not { } mediaId)
                {
                    return new MetaDecision.Malformed(where, "media without an id");
                }

                notes.Add(new AttachmentNote(Text(file, "filename") ?? media, Text(file, "mime_type") ?? "application/octet-stream", 0, ProviderFileId: mediaId));
                text = Text(file, "caption") is { } caption && !string.IsNullOrWhiteSpace(caption) ? caption : $"[{media}]";
                break;

            default:
                // Reactions, locations, shared contacts (other people's numbers), system notices, unsupported kinds.
                return new MetaDecision.Ignore(where, type.Length > 0 ? $"message type {type} not handled" : "message without a type");
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            return new MetaDecision.Ignore(where, $"{type} message without text");
        }

        return Accept(where, WhatsApp, new Contact(WhatsApp, contactId, string.IsNullOrWhiteSpace(name) ? null : name), text, wamid, notes, metadata);
    }

    /// <summary>The contact the message is from: the one with its phone number or user id, else the only one.</summary>
    private static JsonElement? ContactOf(JsonElement contacts, string? from, string? fromUserId)
    {
        if (contacts.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        var objects = contacts.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.Object).ToList();
        foreach (var contact in objects)
        {
            if ((from is not null && Id(contact, "wa_id") == from) || (fromUserId is not null && Id(contact, "user_id") == fromUserId))
            {
                return contact;
            }
        }

        return objects.Count == 1 && from is null && fromUserId is null ? objects[0] : null;
    }

    private static JsonElement? InteractiveReply(JsonElement message)
    {
        if (!message.TryGetProperty("interactive", out var interactive) || interactive.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var kind in (string[])["list_reply", "button_reply"])
        {
            if (interactive.TryGetProperty(kind, out var reply) && reply.ValueKind == JsonValueKind.Object)
            {
                return reply;
            }
        }

        return null;
    }

    private static MetaDecision.Accept Accept(
        string where, string channel, Contact contact, string text, string providerMessageId, List<AttachmentNote> notes, Dictionary<string, string> metadata) =>
        new(where, new InboundMessage(channel, contact, text, ProviderMessageId: providerMessageId, JoinOpenTicket: true)
        {
            ReplyToId = providerMessageId,
            Details = new MessageDetails(notes, metadata),
        });

    private static string? Text(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && JsonText.Get(value) is { Length: > 0 } text
            ? text
            : null;

    /// <summary>
    /// An id Meta sends as a string, or now and then as a number: printable ASCII without spaces, at most
    /// <see cref="MaxIdLength"/> characters (Meta's ids are far shorter); anything else is no id, so that an event carrying
    /// it is malformed rather than a key the store cannot hold.
    /// </summary>
    private static string? Id(JsonElement element, string name)
    {
        var id = element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number
            ? value.GetRawText()
            : Text(element, name)?.Trim();
        return id is { Length: > 0 and <= MaxIdLength } && id.All(c => c is > ' ' and <= '~') ? id : null;
    }

    private static bool IsTrue(JsonElement element, string name) =>
        element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.True;

    private static string Clip(string value) => value.Length <= MaxPayloadLength ? value : value[..MaxPayloadLength];
}
