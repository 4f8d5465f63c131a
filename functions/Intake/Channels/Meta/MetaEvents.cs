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

    /// <summary>Nothing to do: our own echo, a read or delivery receipt, a reaction, a status, an event without content. <see cref="Reason"/> is a short code, never content.</summary>
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

    /// <summary>Messenger and Instagram media: noted by type (their CDN addresses are short-lived and not ours to keep).</summary>
    private static readonly HashSet<string> MessengerMedia = new(StringComparer.Ordinal) { "image", "video", "audio", "file", "sticker" };

    /// <summary>Marks a contact id that is a chat plugin guest's <c>user_ref</c>, not a PSID.</summary>
    public const string UserRefPrefix = "user_ref:";

    /// <summary>How much of a link (a shared post, a story) or of one field of a form reply is kept in the text.</summary>
    internal const int MaxFieldLength = 500;

    /// <summary>How many lines a shared contact card, an order or a form reply may add to the text.</summary>
    internal const int MaxLines = 50;

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
            decisions.Add(new MetaDecision.Ignore("delivery", "object_not_served"));
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

    /// <summary>
    /// An entry's events: <c>messaging</c>, and <c>standby</c> (what customers write while another app holds the
    /// thread, still theirs to read: stored, flagged <see cref="ChannelFlags.Standby"/> so that we do not answer over the
    /// app that holds it); else the <c>changes</c> shape the app dashboard's test button sends, whose value is
    /// one messaging event.
    /// </summary>
    private static void DecideMessagingEntry(string channel, JsonElement entry, string where, List<MetaDecision> decisions)
    {
        var found = false;
        foreach (var key in (string[])["messaging", "standby"])
        {
            if (!entry.TryGetProperty(key, out var events))
            {
                continue;
            }

            found = true;
            if (events.ValueKind != JsonValueKind.Array)
            {
                decisions.Add(new MetaDecision.Malformed(where, $"{key} is not an array"));
                continue;
            }

            var m = 0;
            foreach (var messagingEvent in events.EnumerateArray())
            {
                var decision = DecideMessaging(channel, messagingEvent, $"{where} {key} {m++}");
                decisions.Add(key == "standby" && decision is MetaDecision.Accept accept
                    ? accept with { Message = accept.Message with { Flags = [.. accept.Message.Flags, ChannelFlags.Standby] } }
                    : decision);
            }
        }

        if (!found && entry.TryGetProperty("changes", out var changes) && changes.ValueKind == JsonValueKind.Array)
        {
            found = true;
            var c = 0;
            foreach (var change in changes.EnumerateArray())
            {
                var at = $"{where} change {c++}";
                decisions.Add(change.ValueKind == JsonValueKind.Object && change.TryGetProperty("value", out var value)
                    && value.ValueKind == JsonValueKind.Object && value.TryGetProperty("sender", out _)
                    ? DecideMessaging(channel, value, at)
                    : new MetaDecision.Ignore(at, "field_not_handled"));
            }
        }

        if (!found)
        {
            // Feed and comment changes.
            decisions.Add(new MetaDecision.Ignore(where, "no_messaging_events"));
        }
    }

    /// <summary>One Messenger or Instagram messaging event.</summary>
    internal static MetaDecision DecideMessaging(string channel, JsonElement messagingEvent, string where)
    {
        if (messagingEvent.ValueKind != JsonValueKind.Object)
        {
            return new MetaDecision.Malformed(where, "event is not an object");
        }

        var sender = messagingEvent.TryGetProperty("sender", out var from) && from.ValueKind == JsonValueKind.Object ? SenderId(from) : null;
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

            if (IsTrue(message, "is_deleted"))
            {
                return new MetaDecision.Ignore(where, "deleted");
            }

            return Message(channel, sender, message, where);
        }

        if (messagingEvent.TryGetProperty("postback", out var postback))
        {
            return Postback(channel, sender, postback, messagingEvent, where);
        }

        if (messagingEvent.TryGetProperty("message_edit", out var edit))
        {
            return MessageEdit(channel, sender, edit, messagingEvent, where);
        }

        foreach (var kind in (string[])["read", "delivery", "reaction", "optin", "referral"])
        {
            if (messagingEvent.TryGetProperty(kind, out _))
            {
                return new MetaDecision.Ignore(where, kind);
            }
        }

        return new MetaDecision.Ignore(where, "event_kind_not_handled");
    }

    /// <summary>
    /// The sender's PSID or IGSID; a guest of the website chat plugin has none, only a <c>user_ref</c>, kept as
    /// <c>user_ref:…</c> (a PSID is digits, so the two never meet) and answered by it.
    /// </summary>
    private static string? SenderId(JsonElement from) =>
        Id(from, "id") ?? (Id(from, "user_ref") is { } userRef && userRef.Length + UserRefPrefix.Length <= MaxIdLength ? UserRefPrefix + userRef : null);

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
        var lines = new List<string>();
        if (message.TryGetProperty("reply_to", out var replyTo) && replyTo.ValueKind == JsonValueKind.Object)
        {
            if (Id(replyTo, "mid") is { } repliedTo)
            {
                metadata["replyTo"] = repliedTo;
            }

            // An answer to one of our stories means nothing without the story: its link goes with the text.
            if (replyTo.TryGetProperty("story", out var story) && story.ValueKind == JsonValueKind.Object)
            {
                lines.Add(Bracketed("reply to story", null, ClipField(Text(story, "url"))));
                if (Id(story, "id") is { } storyId)
                {
                    metadata["replyToStory"] = storyId;
                }
            }
        }

        if (Text(message, "text") is { } said && !string.IsNullOrWhiteSpace(said))
        {
            lines.Add(said);
        }

        // A sticker (the thumbs-up "like" among them) comes as an image attachment with a sticker id.
        var sticker = message.TryGetProperty("sticker_id", out _);
        string? placeholder = null;
        if (message.TryGetProperty("attachments", out var attachments) && attachments.ValueKind == JsonValueKind.Array)
        {
            foreach (var attachment in attachments.EnumerateArray().Take(MaxLines))
            {
                var type = Text(attachment, "type");
                var attached = attachment.ValueKind == JsonValueKind.Object && attachment.TryGetProperty("payload", out var p) && p.ValueKind == JsonValueKind.Object ? p : default;
                if (type is not null && MessengerMedia.Contains(type))
                {
                    var kind = sticker || (attached.ValueKind == JsonValueKind.Object && attached.TryGetProperty("sticker_id", out _)) ? "sticker" : type;
                    notes.Add(new AttachmentNote(kind, "application/octet-stream", 0));
                    placeholder ??= $"[{kind}]";
                }
                else if (MessengerAttachment(type, attachment, attached) is { } line)
                {
                    lines.Add(line);
                }
            }
        }

        if (message.TryGetProperty("referral", out var referral) && Referral(referral, metadata) is { } from)
        {
            lines.Add(from);
        }

        if (lines.Count == 0)
        {
            // A kind the API cannot show us is still something the customer sent.
            placeholder ??= IsTrue(message, "is_unsupported") ? "[unsupported message]" : null;
            if (placeholder is null)
            {
                return new MetaDecision.Ignore(where, "no_content");
            }

            lines.Add(placeholder);
        }

        return Accept(where, channel, new Contact(channel, sender), string.Join('\n', lines), mid, notes, metadata);
    }

    /// <summary>
    /// A line for an attachment that is not media: a location, a shared post or reel, a story mention, a link; any other
    /// type noted by name, so that nothing a customer sent is dropped unseen.
    /// </summary>
    private static string? MessengerAttachment(string? type, JsonElement attachment, JsonElement payload)
    {
        // A link's fallback has carried its address as "url" in the payload, and as "URL" beside it.
        var url = ClipField(Text(payload, "url") ?? Text(attachment, "url") ?? Text(attachment, "URL") ?? Text(payload, "story_media_url"));
        var title = ClipField(Text(payload, "title") ?? Text(attachment, "title"));
        return type switch
        {
            null => "[attachment]",
            "location" => Location(
                title,
                null,
                payload.ValueKind == JsonValueKind.Object && payload.TryGetProperty("coordinates", out var at) && at.ValueKind == JsonValueKind.Object ? at : default,
                "lat",
                "long"),
            "share" or "ig_post" or "post" => Bracketed("shared post", title, url),
            "ig_story" => Bracketed("shared story", title, url),
            "ig_reel" or "reel" => Bracketed("shared reel", title, url),
            "story_mention" => Bracketed("story mention", null, url),
            "fallback" => Bracketed("link", title, url),
            _ => Bracketed(TypeName(type), title, url),
        };
    }

    /// <summary>
    /// A Messenger edit: the new text of the message <c>mid</c>, added to the thread as an edit of it. Each edit is
    /// keyed on the message and its edit count (at most five), so a redelivered edit is stored once.
    /// </summary>
    private static MetaDecision MessageEdit(string channel, string? sender, JsonElement edit, JsonElement messagingEvent, string where)
    {
        if (edit.ValueKind != JsonValueKind.Object)
        {
            return new MetaDecision.Malformed(where, "message_edit is not an object");
        }

        if (sender is null)
        {
            return new MetaDecision.Malformed(where, "missing sender");
        }

        if (Id(edit, "mid") is not { } mid)
        {
            return new MetaDecision.Malformed(where, "missing mid");
        }

        if (Text(edit, "text") is not { } text || string.IsNullOrWhiteSpace(text))
        {
            return new MetaDecision.Ignore(where, "edit_without_text");
        }

        var count = Id(edit, "num_edit") ?? Id(messagingEvent, "timestamp");
        var id = count is null ? $"edit:{mid}" : $"edit:{mid}:{count}";
        return Accept(where, channel, new Contact(channel, sender), text, id, [], new Dictionary<string, string>(StringComparer.Ordinal), editOf: mid, replyTo: mid);
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
        if (postback.TryGetProperty("referral", out var referral))
        {
            // The button that opened the thread, from an ad or a link: the agent sees where the customer came from.
            _ = Referral(referral, metadata);
        }

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
                decisions.Add(new MetaDecision.Ignore(at, "field_not_handled"));
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
        var type = Text(message, "type") ?? "";
        var contactOf = new Contact(WhatsApp, contactId, string.IsNullOrWhiteSpace(name) ? null : name);
        if (type == "edit")
        {
            // The new version of an earlier message (text, or a caption), under an id of its own.
            var edit = message.TryGetProperty("edit", out var edited) && edited.ValueKind == JsonValueKind.Object ? edited : default;
            if (Id(edit, "original_message_id") is not { } original)
            {
                return new MetaDecision.Malformed(where, "edit without original_message_id");
            }

            if (!edit.TryGetProperty("message", out var replaced) || replaced.ValueKind != JsonValueKind.Object)
            {
                return new MetaDecision.Malformed(where, "edit without message");
            }

            var editedType = Text(replaced, "type") ?? "";
            if (editedType == "edit")
            {
                return new MetaDecision.Malformed(where, "edit of an edit");
            }

            return WhatsAppMessage(replaced, editedType, where, contactOf, wamid, original);
        }

        return WhatsAppMessage(message, type, where, contactOf, wamid, null);
    }

    private static MetaDecision WhatsAppMessage(JsonElement message, string type, string where, Contact contact, string wamid, string? editOf)
    {
        if (WhatsAppSkip(message, type, where) is { } skip)
        {
            return skip;
        }

        var notes = new List<AttachmentNote>();
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        var text = WhatsAppText(message, type, notes, metadata);
        if (string.IsNullOrWhiteSpace(text))
        {
            return new MetaDecision.Ignore(where, "no_content");
        }

        WhatsAppContext(message, metadata);
        if (message.TryGetProperty("referral", out var referral) && Referral(referral, metadata) is { } from)
        {
            text += "\n" + from;
        }

        return Accept(where, WhatsApp, contact, text, wamid, notes, metadata, editOf, replyTo: editOf);
    }

    /// <summary>
    /// What <c>context</c> says of a WhatsApp message, in metadata: the message it answers (<c>replyTo</c>), whether it was
    /// forwarded (<c>forwarded</c>, <c>frequentlyForwarded</c>: a scam passed along looks like this), and the product it
    /// asks about (<c>referredProduct</c>).
    /// </summary>
    private static void WhatsAppContext(JsonElement message, Dictionary<string, string> metadata)
    {
        if (!message.TryGetProperty("context", out var context) || context.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        if (Id(context, "id") is { } repliedTo)
        {
            metadata["replyTo"] = repliedTo;
        }

        if (IsTrue(context, "forwarded"))
        {
            metadata["forwarded"] = "true";
        }

        if (IsTrue(context, "frequently_forwarded"))
        {
            metadata["forwarded"] = "true";
            metadata["frequentlyForwarded"] = "true";
        }

        if (context.TryGetProperty("referred_product", out var product) && ClipField(Scalar(product, "product_retailer_id")) is { } productId)
        {
            metadata["referredProduct"] = productId;
        }
    }

    /// <summary>
    /// Where the customer came from: a click-to-WhatsApp or click-to-Messenger ad, a post, an m.me link. Each part is kept
    /// in metadata (<c>referralSource</c>, <c>referralAd</c>, <c>referralRef</c>, <c>referralHeadline</c>,
    /// <c>referralUrl</c>); the line returned, <c>[referral: ADS — headline — url]</c>, names what an agent can look at
    /// (null when there is nothing but codes).
    /// </summary>
    private static string? Referral(JsonElement referral, Dictionary<string, string> metadata)
    {
        if (referral.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var ads = referral.TryGetProperty("ads_context_data", out var context) && context.ValueKind == JsonValueKind.Object ? context : default;
        var source = ClipField(Text(referral, "source_type") ?? Text(referral, "source"));
        var headline = ClipField(Text(referral, "headline") ?? Text(ads, "ad_title"));
        var url = ClipField(Text(referral, "source_url") ?? Text(referral, "referer_uri"));
        var parts = new (string Key, string? Value)[]
        {
            ("referralSource", source),
            ("referralAd", ClipField(Scalar(referral, "source_id") ?? Scalar(referral, "ad_id"))),
            ("referralRef", ClipField(Text(referral, "ref"))),
            ("referralHeadline", headline),
            ("referralUrl", url),
        };
        foreach (var (key, value) in parts)
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                metadata[key] = value;
            }
        }

        return headline is null && url is null ? null : Bracketed("referral", string.Join(" — ", new[] { source, headline }.Where(p => !string.IsNullOrWhiteSpace(p))), url);
    }

    /// <summary>Why a WhatsApp message of this type is not stored (a reaction, a system notice, no type, broken media), or null.</summary>
    private static MetaDecision? WhatsAppSkip(JsonElement message, string type, string where)
    {
        switch (type)
        {
            case "reaction":
                return new MetaDecision.Ignore(where, "reaction");
            case "system":
                // "The customer changed their number": not something they wrote.
                return new MetaDecision.Ignore(where, "system");
            case "request_welcome":
                return new MetaDecision.Ignore(where, "request_welcome");
            case "revoke":
                // The customer deleted a message for everyone: nothing new was said.
                return new MetaDecision.Ignore(where, "deleted");
            case "":
                return new MetaDecision.Ignore(where, "message_without_type");
            case var media when WhatsAppMedia.Contains(media):
                if (!message.TryGetProperty(media, out var file) || file.ValueKind != JsonValueKind.Object || Text(file, "id") is null)
                {
                    return new MetaDecision.Malformed(where, "media without an id");
                }

                break;
        }

        return null;
    }

    /// <summary>
    /// The text a WhatsApp message of a stored type reads as, noting its media and metadata: the text or caption,
    /// bracketed lines for what is not text (<c>[location: …]</c>, <c>[contact: …]</c>, <c>[order: …]</c>,
    /// <c>[form reply]</c>), and <c>[type message]</c> for a type we do not know.
    /// </summary>
    private static string? WhatsAppText(JsonElement message, string type, List<AttachmentNote> notes, Dictionary<string, string> metadata)
    {
        var content = message.TryGetProperty(type, out var inner) && inner.ValueKind == JsonValueKind.Object ? inner : default;
        switch (type)
        {
            case "text":
                return Text(content, "body");

            case "interactive":
                if (content.ValueKind == JsonValueKind.Object && content.TryGetProperty("nfm_reply", out var flow) && flow.ValueKind == JsonValueKind.Object)
                {
                    return FlowReply(flow);
                }

                var reply = InteractiveReply(message);
                if (reply is { } replied && Text(replied, "id") is { } replyId)
                {
                    metadata["interactiveReply"] = Clip(replyId);
                }

                return (reply is { } chosen ? Text(chosen, "title") : null) ?? "[interactive message]";

            case "button":
                // A quick-reply button of a template we sent.
                if (Text(content, "payload") is { } payload)
                {
                    metadata["button"] = Clip(payload);
                }

                return Text(content, "text");

            case var media when WhatsAppMedia.Contains(media):
                notes.Add(new AttachmentNote(Text(content, "filename") ?? media, Text(content, "mime_type") ?? "application/octet-stream", 0, ProviderFileId: Text(content, "id")));
                return Text(content, "caption") is { } caption && !string.IsNullOrWhiteSpace(caption) ? caption : $"[{media}]";

            case "location":
                return Location(ClipField(Text(content, "name")), ClipField(Text(content, "address")), content, "latitude", "longitude");

            case "contacts":
                return SharedContacts(message);

            case "order":
                return Order(content);

            default:
                // "unsupported" among them: the customer sent something, and an agent should know it.
                return $"[{TypeName(type)} message]";
        }
    }

    /// <summary><c>[location: Name, address — lat, long]</c>, leaving out what is not given.</summary>
    private static string Location(string? name, string? address, JsonElement coordinates, string latitude, string longitude)
    {
        var place = string.Join(", ", new[] { name, address }.Where(part => !string.IsNullOrWhiteSpace(part)));
        var at = Number(coordinates, latitude) is { } lat && Number(coordinates, longitude) is { } lon ? $"{lat}, {lon}" : null;
        var body = string.Join(" — ", new[] { place, at }.Where(part => !string.IsNullOrEmpty(part)));
        return body.Length > 0 ? $"[location: {body}]" : "[location]";
    }

    /// <summary>One line per shared contact card: <c>[contact: Name, +1 555-555-5555, …]</c>.</summary>
    private static string SharedContacts(JsonElement message)
    {
        var lines = new List<string>();
        if (message.TryGetProperty("contacts", out var cards) && cards.ValueKind == JsonValueKind.Array)
        {
            foreach (var card in cards.EnumerateArray().Where(c => c.ValueKind == JsonValueKind.Object).Take(MaxLines))
            {
                var parts = new List<string>();
                if (card.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.Object
                    && (Text(name, "formatted_name") ?? string.Join(' ', new[] { Text(name, "first_name"), Text(name, "last_name") }.Where(n => n is not null))) is { Length: > 0 } full)
                {
                    parts.Add(ClipField(full)!);
                }

                if (card.TryGetProperty("phones", out var phones) && phones.ValueKind == JsonValueKind.Array)
                {
                    parts.AddRange(phones.EnumerateArray().Take(MaxLines).Select(phone => ClipField(Text(phone, "phone") ?? Id(phone, "wa_id"))).OfType<string>());
                }

                lines.Add(parts.Count > 0 ? $"[contact: {string.Join(", ", parts)}]" : "[contact]");
            }
        }

        return lines.Count > 0 ? string.Join('\n', lines) : "[contact]";
    }

    /// <summary><c>[order: catalog …]</c>, a line per item (product id, quantity, price, currency), then the order's text.</summary>
    private static string Order(JsonElement order)
    {
        var lines = new List<string> { Scalar(order, "catalog_id") is { } catalog ? $"[order: catalog {ClipField(catalog)}]" : "[order]" };
        if (order.ValueKind == JsonValueKind.Object && order.TryGetProperty("product_items", out var items) && items.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in items.EnumerateArray().Where(i => i.ValueKind == JsonValueKind.Object).Take(MaxLines))
            {
                var price = string.Join(' ', new[] { Scalar(item, "item_price"), Scalar(item, "currency") }.Where(p => p is not null));
                lines.Add($"item {ClipField(Scalar(item, "product_retailer_id")) ?? "?"}: quantity {ClipField(Scalar(item, "quantity")) ?? "?"}, price {(price.Length > 0 ? ClipField(price) : "?")}");
            }
        }

        if (Text(order, "text") is { } text && !string.IsNullOrWhiteSpace(text))
        {
            lines.Add(text);
        }

        return string.Join('\n', lines);
    }

    /// <summary>
    /// A WhatsApp Flow's answer: <c>[form reply]</c> and a <c>name: value</c> line per field of its <c>response_json</c>,
    /// each field and the number of lines bounded; the <c>flow_token</c> is ours, not the customer's, and is left out.
    /// </summary>
    private static string FlowReply(JsonElement flow)
    {
        var lines = new List<string> { "[form reply]" };
        if (Text(flow, "response_json") is { } json)
        {
            try
            {
                using var answers = JsonDocument.Parse(json);
                if (answers.RootElement.ValueKind == JsonValueKind.Object)
                {
                    foreach (var field in answers.RootElement.EnumerateObject().Where(f => f.Name != "flow_token").Take(MaxLines))
                    {
                        var value = field.Value.ValueKind == JsonValueKind.String ? JsonText.Get(field.Value) : field.Value.GetRawText();
                        lines.Add($"{ClipField(field.Name)}: {ClipField(value)}");
                    }
                }
            }
            catch (JsonException)
            {
                // Not JSON after all: the header alone still tells the agent a form was sent.
            }
        }

        return string.Join('\n', lines);
    }

    /// <summary><c>[label: title — url]</c>, leaving out what is not given.</summary>
    private static string Bracketed(string label, string? title, string? url)
    {
        var body = string.Join(" — ", new[] { title, url }.Where(part => !string.IsNullOrWhiteSpace(part)));
        return body.Length > 0 ? $"[{label}: {body}]" : $"[{label}]";
    }

    /// <summary>A type name from the payload, as letters, digits and underscores only and short, so it cannot carry content.</summary>
    private static string TypeName(string type)
    {
        var name = new string([.. type.Where(c => char.IsAsciiLetterOrDigit(c) || c == '_').Take(32)]);
        return name.Length > 0 ? name : "unknown";
    }

    /// <summary>A number as Meta wrote it (coordinates, prices), or a numeric string.</summary>
    private static string? Number(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value)
            ? value.ValueKind == JsonValueKind.Number ? value.GetRawText()
                : value.ValueKind == JsonValueKind.String && double.TryParse(JsonText.Get(value), System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out _) ? JsonText.Get(value) : null
            : null;

    /// <summary>A string or number field as text.</summary>
    private static string? Scalar(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.Number ? value.GetRawText() : Text(element, name);

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
        string where, string channel, Contact contact, string text, string providerMessageId, List<AttachmentNote> notes, Dictionary<string, string> metadata,
        string? editOf = null, string? replyTo = null) =>
        new(where, new InboundMessage(channel, contact, text, ProviderMessageId: providerMessageId, JoinOpenTicket: true)
        {
            ReplyToId = replyTo ?? providerMessageId,
            EditsProviderMessageId = editOf,
            Details = new MessageDetails(notes, metadata, editOf),
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

    private static string? ClipField(string? value) => value is null || value.Length <= MaxFieldLength ? value : value[..MaxFieldLength] + "…";
}
