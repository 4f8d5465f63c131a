using System.Text.Json.Nodes;
using Intake.Channels.Telegram;
using Intake.Tickets;
using static Intake.Tests.Channels.Telegram.TelegramFixtures;

namespace Intake.Tests.Channels.Telegram;

/// <summary>What an update means, decided without I/O.</summary>
public sealed class TelegramUpdatesTests
{
    private static TelegramDecision Decide(string json, bool allowGroups = false) =>
        TelegramUpdates.Decide(TelegramEndpoints.Parse(System.Text.Encoding.UTF8.GetBytes(json))!, allowGroups);

    [Fact]
    public void A_private_message_becomes_a_message_for_the_chats_open_ticket_keyed_by_the_update_id()
    {
        var accept = Assert.IsType<TelegramDecision.Accept>(Decide(Text(901, "my deposit is missing", "pt-BR", messageId: 12)));

        var message = accept.Message;
        Assert.Equal("telegram", message.Channel);
        Assert.Equal(new Contact("telegram", "987654321", "Ada Lovelace"), message.Contact);
        Assert.Equal("my deposit is missing", message.Text);
        Assert.Equal("901", message.ProviderMessageId);
        Assert.Equal("12", message.ReplyToId);
        Assert.Equal("pt-BR", message.LanguageHint);
        Assert.True(message.JoinOpenTicket);
        Assert.Null(message.Subject);
        Assert.Null(message.Contact.Email);
        Assert.Null(message.Details!.EditOf);
    }

    [Fact]
    public void A_group_message_is_its_own_ticket_for_the_group_and_names_its_sender()
    {
        var accept = Assert.IsType<TelegramDecision.Accept>(
            Decide(Update(902, "message", Message(5, "withdrawal stuck", User(id: 42), chatId: -100777, chatType: "supergroup")), allowGroups: true));

        Assert.Equal("-100777", accept.Message.Contact.Id);
        Assert.False(accept.Message.JoinOpenTicket);
        Assert.Equal("42", accept.Message.Details!.Metadata["from_id"]);
        Assert.Equal("supergroup", accept.Message.Details.Metadata["chat_type"]);
    }

    [Fact]
    public void Video_voice_and_audio_are_noted_by_file_id_and_never_downloaded()
    {
        var message = Message(6, null);
        message["video"] = new JsonObject { ["file_id"] = "vid", ["file_unique_id"] = "v", ["width"] = 1, ["height"] = 1, ["duration"] = 3, ["mime_type"] = "video/mp4", ["file_size"] = 10 };
        message["voice"] = new JsonObject { ["file_id"] = "voc", ["file_unique_id"] = "o", ["duration"] = 3, ["mime_type"] = "audio/ogg" };
        message["audio"] = new JsonObject { ["file_id"] = "aud", ["file_unique_id"] = "a", ["duration"] = 3, ["file_name"] = "call.mp3" };

        var accept = Assert.IsType<TelegramDecision.Accept>(Decide(Update(903, "message", message)));

        Assert.Equal("[video]", accept.Message.Text);
        Assert.Equal(
            [
                new AttachmentNote("video.mp4", "video/mp4", 10, ProviderFileId: "vid"),
                new AttachmentNote("voice.ogg", "audio/ogg", 0, ProviderFileId: "voc"),
                new AttachmentNote("call.mp3", "application/octet-stream", 0, ProviderFileId: "aud"),
            ],
            accept.Message.Details!.Attachments);
    }

    [Fact]
    public void A_button_press_is_answered_whoever_pressed_it()
    {
        var answer = Assert.IsType<TelegramDecision.AnswerCallback>(Decide(CallbackQuery(904, "survey:4")));

        Assert.Equal("4382bfdwdsb323b2d9", answer.CallbackQueryId);
    }

    [Fact]
    public void An_edited_start_is_an_edit_not_a_greeting()
    {
        var accept = Assert.IsType<TelegramDecision.Accept>(Decide(Update(905, "edited_message", Message(7, "/start"))));

        Assert.Equal("7", accept.Message.Details!.EditOf);
    }

    [Theory]
    [InlineData("/start", true)]
    [InlineData("/start ref-123", true)]
    [InlineData("/start@ExchangeSupportBot", true)]
    [InlineData("/starter", false)]
    [InlineData("please /start", false)]
    [InlineData("/Start", false)]
    public void Start_is_the_command_with_or_without_a_payload_or_bot_name(string text, bool isStart) =>
        Assert.Equal(isStart, TelegramUpdates.IsStart(text));

    [Theory]
    [InlineData("zh-hans", "zh-Hans")]
    [InlineData("zh", "zh-Hans")]
    [InlineData("zh-CN", "zh-Hans")]
    [InlineData("zh-TW", "zh-Hant")]
    [InlineData("zh-HK", "zh-Hant")]
    [InlineData("zh-hant", "zh-Hant")]
    [InlineData("ru", "ru")]
    [InlineData("pt-br", "pt")]
    [InlineData("fr", "en")]
    [InlineData(null, "en")]
    public void The_greeting_language_follows_the_clients_language_code(string? languageCode, string expected) =>
        Assert.Equal(expected, TelegramGreeting.LanguageOf(languageCode));

    [Fact]
    public void A_user_without_a_last_name_is_named_by_the_first_name()
    {
        var user = new global::Telegram.Bot.Types.User { Id = 1, FirstName = "Ada", Username = "ada" };

        Assert.Equal("Ada", TelegramUpdates.DisplayName(user));
    }

    [Theory]
    [InlineData("webhook-secret_0123456789", true)]
    [InlineData("webhook-secret_012345678", false)]
    [InlineData("", false)]
    [InlineData("WEBHOOK-SECRET_0123456789", false)]
    public void The_secret_token_must_match_exactly(string given, bool matches) =>
        Assert.Equal(matches, Intake.Web.RequestChecks.SecretEquals(given, "webhook-secret_0123456789"));

    [Theory]
    [InlineData("location", "[location 48.85837, 2.294481]")]
    [InlineData("venue", "[venue Exchange office, 1 Main Street, London (51.501364, -0.14189)]")]
    [InlineData("contact", "[contact Grace Hopper +447700900123]")]
    [InlineData("poll", "[poll Which network did you withdraw on?: ERC-20 / TRC-20]")]
    [InlineData("video_note", "[video message]")]
    [InlineData("voice", "[voice message]")]
    [InlineData("animation", "[animation]")]
    public void A_message_without_text_or_caption_is_accepted_with_its_content_noted_as_text(string kind, string expected)
    {
        var accept = Assert.IsType<TelegramDecision.Accept>(Decide(Update(906, "message", Content(kind, Message(8, null))!)));

        Assert.Equal(expected, accept.Message.Text);
        Assert.True(accept.Message.JoinOpenTicket);
    }

    [Theory]
    [InlineData("message-sticker.json", false, "[sticker 😡]")]
    [InlineData("message-photo.json", false, "[photo]")]
    [InlineData("update-dice.json", true, "[dice 🎲 2]")]
    [InlineData("update-story.json", true, "[story @TONSpinChannel/2]")]
    public void Captured_updates_of_other_bots_are_accepted_with_their_content_noted_as_text(string file, bool allowGroups, string expected)
    {
        var accept = Assert.IsType<TelegramDecision.Accept>(Decide(RealWorld(file, 907), allowGroups));

        Assert.Equal(expected, accept.Message.Text);
    }

    [Fact]
    public void A_gif_is_one_animation_not_also_a_document()
    {
        var accept = Assert.IsType<TelegramDecision.Accept>(Decide(Update(908, "message", Content("animation", Message(9, null))!)));

        Assert.Equal([new AttachmentNote("loading.gif.mp4", "video/mp4", 90_112, ProviderFileId: "CgACAgQAAxkBAAID")], accept.Message.Details!.Attachments);
    }

    [Fact]
    public void A_forwarded_message_is_accepted_and_says_what_kind_of_sender_wrote_it_first()
    {
        var accept = Assert.IsType<TelegramDecision.Accept>(Decide(Update(909, "message", Forwarded(Message(10, "support asked me for my seed phrase")))));

        Assert.Equal("support asked me for my seed phrase", accept.Message.Text);
        Assert.Equal("user", accept.Message.Details!.Metadata["forwarded_from"]);
    }

    [Fact]
    public void A_caption_stays_the_text_of_media_that_has_one()
    {
        var message = Content("voice", Message(11, null))!;
        message["caption"] = "listen: they took my USDT";

        var accept = Assert.IsType<TelegramDecision.Accept>(Decide(Update(910, "message", message)));

        Assert.Equal("listen: they took my USDT", accept.Message.Text);
    }

    [Theory]
    [InlineData("""{"update_id":911,"message":{"message_id":3,"from":{"id":987654321,"is_bot":false,"first_name":"Ada"},"chat":{"id":987654321,"type":"private"},"date":1767225600,"new_chat_title":"x"}}""", TelegramDecision.Ignore.NoContent)]
    [InlineData("""{"update_id":912,"channel_post":{"message_id":3,"chat":{"id":-100123,"type":"channel","title":"News"},"date":1767225600,"text":"hi"}}""", TelegramDecision.Ignore.ChannelPost)]
    [InlineData("""{"update_id":913,"message":{"message_id":3,"from":{"id":42,"is_bot":true,"first_name":"Bot"},"chat":{"id":987654321,"type":"private"},"date":1767225600,"text":"hi"}}""", TelegramDecision.Ignore.NotFromAPerson)]
    [InlineData("""{"update_id":914,"message_reaction":{"chat":{"id":987654321,"type":"private"},"message_id":12,"user":{"id":987654321,"is_bot":false,"first_name":"Ada"},"date":1767225600,"old_reaction":[],"new_reaction":[{"type":"emoji","emoji":"👍"}]}}""", TelegramDecision.Ignore.Reaction)]
    [InlineData("""{"update_id":915,"message_reaction_count":{"chat":{"id":-100123,"type":"channel","title":"News"},"message_id":12,"date":1767225600,"reactions":[{"type":{"type":"emoji","emoji":"👍"},"total_count":3}]}}""", TelegramDecision.Ignore.Reaction)]
    [InlineData("""{"update_id":916,"my_chat_member":{"chat":{"id":987654321,"type":"private"},"from":{"id":987654321,"is_bot":false,"first_name":"Ada"},"date":1767225600,"old_chat_member":{"user":{"id":1,"is_bot":true,"first_name":"bot"},"status":"member"},"new_chat_member":{"user":{"id":1,"is_bot":true,"first_name":"bot"},"status":"kicked","until_date":0}}}""", TelegramDecision.Ignore.UpdateKindNotHandled)]
    public void Ignored_updates_carry_a_reason_code(string json, string reason) =>
        Assert.Equal(reason, Assert.IsType<TelegramDecision.Ignore>(Decide(json)).Reason);

    [Fact]
    public void An_update_numbered_zero_is_an_update_but_a_body_without_an_update_id_is_not()
    {
        // Telegram numbers from a positive start, but libraries capture updates with update_id 0: refusing one would be a 400 Telegram retries.
        Assert.NotNull(TelegramEndpoints.Parse("""{"update_id":0,"message":{"message_id":1,"date":0,"chat":{"id":5,"type":"private"},"from":{"id":5,"is_bot":false,"first_name":"A"},"text":"hi"}}"""u8));
        Assert.Null(TelegramEndpoints.Parse("""{"message":{"message_id":1,"date":0,"chat":{"id":5,"type":"private"},"text":"hi"}}"""u8));
        Assert.Null(TelegramEndpoints.Parse("""{"update_id":-1}"""u8));
    }

    [Theory]
    [InlineData("""{"update_id":920,"message":{"message_id":3,"from":{"id":987654321,"is_bot":false,"first_name":"Ada"},"chat":{"id":987654321,"type":"private"},"date":1767225600,"text":"is this you?","forward_origin":{"type":"some_future_origin","date":1767225000}}}""")]
    [InlineData("""{"update_id":921,"message":{"message_id":3,"from":{"id":987654321,"is_bot":false,"first_name":"Ada"},"chat":{"id":987654321,"type":"private"},"date":1767225600,"text":"is this you?","paid_media":{"star_count":5,"paid_media":[{"type":"some_future_media"}]}}}""")]
    [InlineData("""{"update_id":922,"edited_message":{"message_id":3,"from":{"id":987654321,"is_bot":false,"first_name":"Ada"},"chat":{"id":987654321,"type":"private"},"date":1767225600,"edit_date":1767225700,"text":"is this you?","reply_markup":{"inline_keyboard":[[{"text":"a","some_future_button":{"x":1}}]]},"external_reply":{"origin":{"type":"some_future_origin","date":0}}}}""")]
    public void A_message_with_a_part_newer_than_the_library_is_still_read_for_what_intake_uses(string json)
    {
        var accept = Assert.IsType<TelegramDecision.Accept>(Decide(json));

        Assert.Equal("is this you?", accept.Message.Text);
        Assert.Equal(new Contact("telegram", "987654321", "Ada"), accept.Message.Contact);
        Assert.False(accept.Message.Details!.Metadata.ContainsKey("forwarded_from"));
    }
}
