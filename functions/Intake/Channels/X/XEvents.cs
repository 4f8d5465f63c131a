using System.Text.Json;
using Intake.Tickets;
using Intake.Web;

namespace Intake.Channels.X;

/// <summary>What to do with one entry of <c>direct_message_events</c>; <see cref="XEvents.Decide"/> says which.</summary>
public abstract record XDecision
{
    /// <summary>A customer's direct message: store it (new ticket, or the sender's open ticket) and queue it.</summary>
    public sealed record Accept(InboundMessage Message) : XDecision;

    /// <summary>Nothing to do: our own message, or an event type we do not handle. The reason is ours, never payload text.</summary>
    public sealed record Ignore(int Index, string? EventId, string Reason) : XDecision
    {
        public const string NotMessageCreate = "not_message_create";
        public const string OwnMessage = "own_message";
    }

    /// <summary>An event that lacks what a message needs (id, sender, text): skipped and logged; the others go on.</summary>
    public sealed record Malformed(int Index, string? EventId, string Reason) : XDecision;
}

/// <summary>
/// Turns an Account Activity payload into one <see cref="XDecision"/> per direct-message event. Pure: no I/O, no clock,
/// no options. The contact is the sender (answers go to the conversation with them); the event id is both the dedupe
/// key and what the acknowledgement refers to. Ids must be X's decimal ids: they go into storage keys and URL paths.
/// </summary>
public static class XEvents
{
    public const string Channel = ChannelNames.X;

    public const string EventsProperty = "direct_message_events";

    private const int MaxIdLength = 20;

    /// <summary>
    /// The decisions in the order of the events; empty when the payload carries no direct messages (likes, follows,
    /// tweets). Null when it is not an Account Activity payload: not an object, <c>direct_message_events</c> not an array,
    /// or direct messages without the <c>for_user_id</c> that tells ours apart.
    /// </summary>
    public static IReadOnlyList<XDecision>? Decide(JsonElement payload)
    {
        if (payload.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        if (!payload.TryGetProperty(EventsProperty, out var events))
        {
            return [];
        }

        if (events.ValueKind != JsonValueKind.Array)
        {
            return null;
        }

        if (events.GetArrayLength() == 0)
        {
            return [];
        }

        if (Id(payload, "for_user_id") is not { } forUserId)
        {
            return null;
        }

        var users = payload.TryGetProperty("users", out var map) && map.ValueKind == JsonValueKind.Object ? map : default;
        return [.. events.EnumerateArray().Select((item, index) => DecideEvent(item, index, forUserId, users))];
    }

    /// <summary>
    /// The activities a payload carries, by X's names (<c>favorite_events</c>, <c>direct_message_mark_read_events</c>,
    /// <c>user_event</c>…), for the log: lower-case letters and underscores only, so that no payload text can get in;
    /// <c>none</c> when there are none.
    /// </summary>
    internal static string ActivityKinds(JsonElement payload)
    {
        if (payload.ValueKind != JsonValueKind.Object)
        {
            return "none";
        }

        var kinds = payload.EnumerateObject()
            .Select(property => property.Name)
            .Where(name => name is not ("for_user_id" or "users" or "apps" or "user_has_blocked" or "source" or "target")
                && name.Length is > 0 and <= 64 && name.All(c => c is (>= 'a' and <= 'z') or '_'))
            .Distinct(StringComparer.Ordinal)
            .Take(8)
            .ToList();
        return kinds.Count > 0 ? string.Join(", ", kinds) : "none";
    }

    private static XDecision DecideEvent(JsonElement item, int index, string forUserId, JsonElement users)
    {
        if (item.ValueKind != JsonValueKind.Object)
        {
            return new XDecision.Malformed(index, null, "not an object");
        }

        var eventId = Id(item, "id");
        if (Text(item, "type") != "message_create")
        {
            return new XDecision.Ignore(index, eventId, XDecision.Ignore.NotMessageCreate);
        }

        if (eventId is null)
        {
            return new XDecision.Malformed(index, null, "no event id");
        }

        if (!item.TryGetProperty("message_create", out var create) || create.ValueKind != JsonValueKind.Object)
        {
            return new XDecision.Malformed(index, eventId, "no message_create");
        }

        if (Id(create, "sender_id") is not { } senderId)
        {
            return new XDecision.Malformed(index, eventId, "no sender");
        }

        if (senderId == forUserId)
        {
            // Our own messages, acknowledgements included, come back as events of the account: answering them would loop.
            return new XDecision.Ignore(index, eventId, XDecision.Ignore.OwnMessage);
        }

        var data = create.TryGetProperty("message_data", out var messageData) && messageData.ValueKind == JsonValueKind.Object ? messageData : default;
        var attachment = Attachment(data);
        var text = Text(data, "text") is { } raw ? ExpandUrls(raw, data) : null;
        if (string.IsNullOrWhiteSpace(text))
        {
            if (attachment is null)
            {
                return new XDecision.Malformed(index, eventId, "no text");
            }

            text = $"[{attachment.Value.Kind}]";
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal) { ["for_user_id"] = forUserId };
        var message = new InboundMessage(Channel, new Contact(Channel, senderId, DisplayName(users, senderId)), text, ProviderMessageId: eventId, JoinOpenTicket: true)
        {
            ReplyToId = eventId,
            Details = new MessageDetails(attachment is { } note ? [note.Note] : [], metadata),
        };
        return new XDecision.Accept(message);
    }

    /// <summary>
    /// The text with each <c>t.co</c> link replaced by its <c>expanded_url</c> from <c>entities.urls</c>, so that triage sees
    /// the address the customer pasted (a block explorer's transaction page carries the hash). An entity is found by its
    /// <c>url</c> in the text (every whole occurrence), else by its <c>indices</c> (code points, as X counts them); one
    /// that overlaps another, points outside the text or has no usable expansion is left as it is.
    /// </summary>
    internal static string ExpandUrls(string text, JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object
            || !data.TryGetProperty("entities", out var entities) || entities.ValueKind != JsonValueKind.Object
            || !entities.TryGetProperty("urls", out var urls) || urls.ValueKind != JsonValueKind.Array)
        {
            return text;
        }

        var spans = new List<(int Start, int End, string Expanded)>();
        foreach (var entity in urls.EnumerateArray())
        {
            if (Text(entity, "expanded_url") is not { } expanded || !IsWebAddress(expanded))
            {
                continue;
            }

            var url = Text(entity, "url");
            var found = false;
            for (var at = string.IsNullOrEmpty(url) ? -1 : text.IndexOf(url, StringComparison.Ordinal); at >= 0; at = text.IndexOf(url!, at + url!.Length, StringComparison.Ordinal))
            {
                // Whole links only: https://t.co/abc is not the start of https://t.co/abcd.
                if (at + url!.Length == text.Length || !char.IsAsciiLetterOrDigit(text[at + url.Length]))
                {
                    spans.Add((at, at + url.Length, expanded));
                    found = true;
                }
            }

            if (!found && Indices(entity, text) is { } span)
            {
                spans.Add((span.Start, span.End, expanded));
            }
        }

        if (spans.Count == 0)
        {
            return text;
        }

        var result = new System.Text.StringBuilder(text.Length);
        var done = 0;
        foreach (var (start, end, expanded) in spans.OrderBy(span => span.Start).ThenBy(span => span.End))
        {
            if (start < done)
            {
                continue;
            }

            result.Append(text, done, start - done).Append(expanded);
            done = end;
        }

        return result.Append(text, done, text.Length - done).ToString();
    }

    /// <summary>An entity's <c>[start, end)</c> in code points, as positions in the string; null when absent or out of range.</summary>
    private static (int Start, int End)? Indices(JsonElement entity, string text)
    {
        if (!entity.TryGetProperty("indices", out var indices) || indices.ValueKind != JsonValueKind.Array || indices.GetArrayLength() != 2
            || indices[0].ValueKind != JsonValueKind.Number || indices[1].ValueKind != JsonValueKind.Number
            || !indices[0].TryGetInt32(out var first) || !indices[1].TryGetInt32(out var last) || first < 0 || last <= first)
        {
            return null;
        }

        int? start = null;
        var codePoint = 0;
        for (var i = 0; i <= text.Length; codePoint++)
        {
            if (codePoint == first)
            {
                start = i;
            }

            if (codePoint == last)
            {
                return start is { } from ? (from, i) : null;
            }

            if (i == text.Length)
            {
                break;
            }

            i += char.IsSurrogatePair(text, i) ? 2 : 1;
        }

        return null;
    }

    private static bool IsWebAddress(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp) && !value.Any(char.IsWhiteSpace);

    /// <summary>The sender's name from the payload's <c>users</c> map: the display name, else <c>@screen_name</c>.</summary>
    internal static string? DisplayName(JsonElement users, string userId)
    {
        if (users.ValueKind != JsonValueKind.Object || !users.TryGetProperty(userId, out var user) || user.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        // Uncut: intake redacts a name before it cuts it.
        return Text(user, "name")?.Trim() is { Length: > 0 } display ? display
            : Text(user, "screen_name")?.Trim() is { Length: > 0 } screenName ? "@" + screenName
            : null;
    }

    /// <summary>The media of <c>message_data.attachment</c>, noted by its URL (else its id); nothing is downloaded.</summary>
    internal static (string Kind, AttachmentNote Note)? Attachment(JsonElement data)
    {
        if (data.ValueKind != JsonValueKind.Object
            || !data.TryGetProperty("attachment", out var attachment) || attachment.ValueKind != JsonValueKind.Object
            || !attachment.TryGetProperty("media", out var media) || media.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        var fileId = Text(media, "media_url_https") ?? Text(media, "id_str") ?? Id(media, "id");
        if (string.IsNullOrWhiteSpace(fileId))
        {
            return null;
        }

        return Text(media, "type") switch
        {
            "photo" => ("photo", new AttachmentNote("photo.jpg", "image/jpeg", 0, ProviderFileId: fileId)),
            "video" => ("video", new AttachmentNote("video.mp4", "video/mp4", 0, ProviderFileId: fileId)),
            "animated_gif" => ("animated_gif", new AttachmentNote("animated_gif.mp4", "video/mp4", 0, ProviderFileId: fileId)),
            _ => ("media", new AttachmentNote("media", "application/octet-stream", 0, ProviderFileId: fileId)),
        };
    }

    /// <summary>A property that is an X id: decimal digits, as a string (X's way) or a number.</summary>
    internal static string? Id(JsonElement element, string property)
    {
        if (element.ValueKind != JsonValueKind.Object || !element.TryGetProperty(property, out var value))
        {
            return null;
        }

        var id = value.ValueKind switch
        {
            JsonValueKind.String => JsonText.Get(value),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        return id is { Length: > 0 and <= MaxIdLength } && id.All(char.IsAsciiDigit) ? id : null;
    }

    private static string? Text(JsonElement element, string property) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String
            ? JsonText.Get(value)
            : null;
}
