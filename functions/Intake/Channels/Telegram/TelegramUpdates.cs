using System.Globalization;
using Intake.Tickets;
using Telegram.Bot.Types;
using Telegram.Bot.Types.Enums;
using Contact = Intake.Tickets.Contact;

namespace Intake.Channels.Telegram;

/// <summary>What to do with one webhook update; <see cref="TelegramUpdates.Decide"/> says which.</summary>
public abstract record TelegramDecision
{
    /// <summary>A customer message: store it (new ticket, or the chat's open ticket) and queue it.</summary>
    public sealed record Accept(InboundMessage Message) : TelegramDecision;

    /// <summary><c>/start</c>: greet in the user's language at once; no ticket.</summary>
    public sealed record Greet(long ChatId, int MessageId, string Language) : TelegramDecision;

    /// <summary>
    /// A button press: Telegram shows a spinner until it is answered. <see cref="Data"/> is the button's
    /// <c>callback_data</c> (a survey's signed score); <see cref="ChatId"/> and <see cref="MessageId"/> the message that
    /// carried the buttons, when Telegram still has it.
    /// </summary>
    public sealed record AnswerCallback(string CallbackQueryId, string? Data = null, long? ChatId = null, int? MessageId = null) : TelegramDecision;

    /// <summary>Nothing to do (a bot, a group, a kind of update or message we do not handle); the reason is one of the codes here.</summary>
    public sealed record Ignore(string Reason) : TelegramDecision
    {
        public const string UpdateKindNotHandled = "update_kind_not_handled";
        public const string ChannelPost = "channel_post";
        public const string NoChat = "no_chat";
        public const string NotFromAPerson = "not_from_a_person";
        public const string ChannelChat = "channel_chat";
        public const string GroupChat = "group_chat";
        public const string NoContent = "no_content";

        /// <summary>An emoji on a message (ours, usually): a reaction, not a question; the same on every channel.</summary>
        public const string Reaction = "reaction";
    }
}

/// <summary>
/// Turns a webhook <see cref="Update"/> into a <see cref="TelegramDecision"/>. Pure: no I/O, no clock, no options
/// object. The contact is the chat (answers go where the customer wrote); the update id is the dedupe key, and the
/// message id is what the acknowledgement replies to.
/// </summary>
public static class TelegramUpdates
{
    public const string Channel = ChannelNames.Telegram;

    public static TelegramDecision Decide(Update update, bool allowGroups)
    {
        ArgumentNullException.ThrowIfNull(update);
        if (update.CallbackQuery is { } callback)
        {
            // Every press is answered; one carrying a survey token is also recorded (see TelegramWebhook).
            return new TelegramDecision.AnswerCallback(callback.Id, callback.Data, callback.Message?.Chat?.Id, callback.Message?.Chat is null ? null : callback.Message.Id);
        }

        var edited = update.Message is null;
        if ((update.Message ?? update.EditedMessage) is not { } message)
        {
            return new TelegramDecision.Ignore(
                update.ChannelPost is not null || update.EditedChannelPost is not null ? TelegramDecision.Ignore.ChannelPost
                : update.MessageReaction is not null || update.MessageReactionCount is not null ? TelegramDecision.Ignore.Reaction
                : TelegramDecision.Ignore.UpdateKindNotHandled);
        }

        if (message.Chat is null)
        {
            // The library's types say a message always has a chat; a delivery without one is not Telegram's.
            return new TelegramDecision.Ignore(TelegramDecision.Ignore.NoChat);
        }

        if (message.From is not { } from || from.IsBot)
        {
            // Our own and other bots' messages, and anonymous group admins (who write as a chat, not a person).
            return new TelegramDecision.Ignore(TelegramDecision.Ignore.NotFromAPerson);
        }

        var isPrivate = message.Chat.Type == ChatType.Private;
        if (!isPrivate && !(allowGroups && message.Chat.Type is ChatType.Group or ChatType.Supergroup))
        {
            return new TelegramDecision.Ignore(message.Chat.Type == ChatType.Channel ? TelegramDecision.Ignore.ChannelChat : TelegramDecision.Ignore.GroupChat);
        }

        if (!edited && IsStart(message.Text))
        {
            return new TelegramDecision.Greet(message.Chat.Id, message.Id, TelegramGreeting.LanguageOf(from.LanguageCode));
        }

        var attachments = Attachments(message);
        var text = message.Text ?? message.Caption;
        if (string.IsNullOrWhiteSpace(text))
        {
            // What the customer sent is the question (a sticker, a shared location, a voice message): never drop it.
            text = ContentNote(message) ?? (attachments.Count > 0 ? $"[{attachments[0].Kind}]" : null);
            if (text is null)
            {
                // Service messages (members joining, pins, topics) and kinds we do not read.
                return new TelegramDecision.Ignore(TelegramDecision.Ignore.NoContent);
            }
        }

        var metadata = new Dictionary<string, string>(StringComparer.Ordinal) { ["chat_type"] = ChatTypeName(message.Chat.Type) };
        if (!isPrivate)
        {
            metadata["from_id"] = from.Id.ToString(CultureInfo.InvariantCulture);
        }

        if (message.ForwardOrigin is { } origin)
        {
            // Who wrote it first matters to the agent (a scammer's message passed on); only the kind of origin is kept.
            metadata["forwarded_from"] = OriginName(origin.Type);
        }

        var messageId = message.Id.ToString(CultureInfo.InvariantCulture);
        var inbound = new InboundMessage(
            Channel,
            new Contact(Channel, message.Chat.Id.ToString(CultureInfo.InvariantCulture), DisplayName(from)),
            text,
            ProviderMessageId: update.Id.ToString(CultureInfo.InvariantCulture),
            LanguageHint: from.LanguageCode,

            // A private chat is one customer; in a group every message is its own question.
            JoinOpenTicket: isPrivate)
        {
            ReplyToId = messageId,
            Details = new MessageDetails([.. attachments.Select(a => a.Note)], metadata, edited ? messageId : null),
        };
        return new TelegramDecision.Accept(inbound);
    }

    /// <summary><c>/start</c>, <c>/start payload</c> or <c>/start@OurBot</c>.</summary>
    internal static bool IsStart(string? text)
    {
        if (text is null || !text.StartsWith("/start", StringComparison.Ordinal))
        {
            return false;
        }

        return text.Length == "/start".Length || text["/start".Length] is ' ' or '@' or '\n';
    }

    /// <summary>"Ada Lovelace", else "@ada", else the first name Telegram always sends.</summary>
    internal static string DisplayName(User user)
    {
        var name = string.Join(' ', new[] { user.FirstName, user.LastName }.Where(part => !string.IsNullOrWhiteSpace(part))).Trim();
        return name.Length > 0 ? name : user.Username is { Length: > 0 } username ? "@" + username : user.FirstName;
    }

    /// <summary>
    /// The text for a message whose content is not a text or a file: a sticker by its emoji, a location by its
    /// coordinates, a venue by its name and address, a shared contact by name and phone (intake redacts it like any
    /// text), a poll by its question and options, a die by its value, a story by where it was posted. Null for the rest.
    /// </summary>
    internal static string? ContentNote(Message message)
    {
        if (message.Sticker is { } sticker)
        {
            return string.IsNullOrWhiteSpace(sticker.Emoji) ? "[sticker]" : $"[sticker {sticker.Emoji}]";
        }

        // A venue comes with its location too: the venue says more.
        if (message.Venue is { } venue)
        {
            var place = string.Join(", ", new[] { venue.Title, venue.Address }.Where(part => !string.IsNullOrWhiteSpace(part)));
            return $"[venue {place} ({Coordinates(venue.Location)})]";
        }

        if (message.Location is { } location)
        {
            return $"[location {Coordinates(location)}]";
        }

        if (message.Contact is { } contact)
        {
            var parts = new[] { contact.FirstName, contact.LastName, contact.PhoneNumber }.Where(part => !string.IsNullOrWhiteSpace(part));
            return $"[contact {string.Join(' ', parts)}]";
        }

        if (message.Poll is { } poll)
        {
            var options = string.Join(" / ", (poll.Options ?? []).Select(option => option.Text));
            return $"[poll {poll.Question}: {options}]";
        }

        if (message.Dice is { } dice)
        {
            return $"[dice {dice.Emoji} {dice.Value.ToString(CultureInfo.InvariantCulture)}]";
        }

        if (message.Story is { } story)
        {
            var chat = story.Chat?.Username is { Length: > 0 } username ? "@" + username : story.Chat?.Id.ToString(CultureInfo.InvariantCulture);
            return chat is null ? "[story]" : $"[story {chat}/{story.Id.ToString(CultureInfo.InvariantCulture)}]";
        }

        return null;
    }

    private static string Coordinates(Location? location) => location is null
        ? "?"
        : string.Create(CultureInfo.InvariantCulture, $"{location.Latitude:0.######}, {location.Longitude:0.######}");

    private static string OriginName(MessageOriginType type) => type switch
    {
        MessageOriginType.User => "user",
        MessageOriginType.HiddenUser => "hidden_user",
        MessageOriginType.Chat => "chat",
        MessageOriginType.Channel => "channel",
        _ => "other",
    };

    /// <summary>What the message carries, noted by Telegram's file id; nothing is downloaded.</summary>
    internal static List<(string Kind, AttachmentNote Note)> Attachments(Message message)
    {
        var notes = new List<(string, AttachmentNote)>();
        if (message.Photo is { Length: > 0 } sizes)
        {
            // Telegram lists the sizes smallest first; the largest is the one worth looking at.
            var photo = sizes[^1];
            notes.Add(("photo", new AttachmentNote("photo.jpg", "image/jpeg", photo.FileSize ?? 0, ProviderFileId: photo.FileId)));
        }

        if (message.Animation is { } animation)
        {
            notes.Add(("animation", Note(animation, animation.FileName, "animation.mp4", animation.MimeType)));
        }
        else if (message.Document is { } document)
        {
            // Telegram sends a GIF as an animation and, for old clients, as a document too: one note is enough.
            notes.Add(("document", Note(document, document.FileName, "document", document.MimeType)));
        }

        if (message.Video is { } video)
        {
            notes.Add(("video", Note(video, video.FileName, "video.mp4", video.MimeType)));
        }

        if (message.Voice is { } voice)
        {
            notes.Add(("voice message", Note(voice, null, "voice.ogg", voice.MimeType)));
        }

        if (message.VideoNote is { } videoNote)
        {
            notes.Add(("video message", Note(videoNote, null, "video_note.mp4", "video/mp4")));
        }

        if (message.Audio is { } audio)
        {
            notes.Add(("audio", Note(audio, audio.FileName, "audio", audio.MimeType)));
        }

        return notes;
    }

    private static AttachmentNote Note(FileBase file, string? fileName, string fallbackName, string? mimeType) =>
        new(string.IsNullOrWhiteSpace(fileName) ? fallbackName : fileName, mimeType ?? "application/octet-stream", file.FileSize ?? 0, ProviderFileId: file.FileId);

    private static string ChatTypeName(ChatType type) => type switch
    {
        ChatType.Private => "private",
        ChatType.Group => "group",
        ChatType.Supergroup => "supergroup",
        _ => "other",
    };
}
