using System.Text;
using System.Text.Json.Nodes;
using Intake.Channels.Meta;
using Intake.Tickets;
using static Intake.Tests.Channels.Meta.MetaContentFixtures;
using static Intake.Tests.Channels.Meta.MetaFixtures;

namespace Intake.Tests.Channels.Meta;

/// <summary>The pure decision of a delivery: no fakes, no storage.</summary>
public sealed class MetaEventsTests
{
    private static MetaDelivery Parse(string body) => MetaEvents.Parse(Encoding.UTF8.GetBytes(body)) ?? throw new InvalidOperationException("Not a delivery.");

    private static InboundMessage Accepted(MetaDecision decision) => Assert.IsType<MetaDecision.Accept>(decision).Message;

    [Fact]
    public void A_messenger_text_becomes_a_message_from_the_psid_keyed_and_answered_by_its_mid()
    {
        var delivery = Parse(Messenger(TextEvent("m_AAA", "my withdrawal is stuck")));

        var message = Accepted(Assert.Single(delivery.Decisions));
        Assert.Equal("messenger", message.Channel);
        Assert.Equal(new Contact("messenger", Psid), message.Contact);
        Assert.Equal("my withdrawal is stuck", message.Text);
        Assert.Equal("m_AAA", message.ProviderMessageId);
        Assert.Equal("m_AAA", message.ReplyToId);
        Assert.True(message.JoinOpenTicket);
    }

    [Fact]
    public void An_instagram_delivery_is_the_instagram_channel()
    {
        var message = Accepted(Assert.Single(Parse(Instagram(TextEvent("ig_1", "deposit missing", sender: "17841400000000001"))).Decisions));

        Assert.Equal(new Contact("instagram", "17841400000000001"), message.Contact);
        Assert.Equal("ig_1", message.ProviderMessageId);
    }

    [Fact]
    public void A_quick_reply_is_its_text_with_the_payload_in_metadata()
    {
        var message = Accepted(Assert.Single(Parse(Messenger(QuickReplyEvent("m_Q", "5", "survey:5"))).Decisions));

        Assert.Equal("5", message.Text);
        Assert.Equal("survey:5", message.Details!.Metadata["quickReply"]);
    }

    [Fact]
    public void A_postback_is_its_title_with_the_payload_in_metadata()
    {
        var message = Accepted(Assert.Single(Parse(Messenger(PostbackEvent("m_P", "Talk to support", "SUPPORT"))).Decisions));

        Assert.Equal("Talk to support", message.Text);
        Assert.Equal("SUPPORT", message.Details!.Metadata["postback"]);
        Assert.Equal("m_P", message.ProviderMessageId);
    }

    [Fact]
    public void A_postback_without_a_mid_is_keyed_by_sender_and_time()
    {
        var message = Accepted(Assert.Single(Parse(Messenger(PostbackEvent(null, "Get started", "GET_STARTED"))).Decisions));

        Assert.Equal($"postback:{Psid}:{Time}", message.ProviderMessageId);
    }

    [Fact]
    public void An_image_without_text_is_noted_with_a_placeholder()
    {
        var image = Event(new JsonObject
        {
            ["mid"] = "m_I",
            ["attachments"] = new JsonArray(new JsonObject { ["type"] = "image", ["payload"] = new JsonObject { ["url"] = "https://cdn.example/x.jpg?sig=1" } }),
        });

        var message = Accepted(Assert.Single(Parse(Messenger(image)).Decisions));

        Assert.Equal("[image]", message.Text);
        Assert.Equal("image", Assert.Single(message.Details!.Attachments).Name);
        Assert.DoesNotContain("cdn.example", message.Details.Metadata.Values.Concat(message.Details.Attachments.Select(a => a.Name)));
    }

    [Fact]
    public void Echoes_reads_deliveries_and_reactions_are_ignored()
    {
        var delivery = Parse(Messenger(EchoEvent("m_E", "We opened ticket T-ABC234"), ReadEvent(), DeliveryEvent(), ReactionEvent()));

        Assert.Equal(4, delivery.Decisions.Count);
        Assert.All(delivery.Decisions, decision => Assert.IsType<MetaDecision.Ignore>(decision));
        Assert.Equal(["echo", "read", "delivery", "reaction"], delivery.Decisions.Cast<MetaDecision.Ignore>().Select(i => i.Reason));
    }

    [Fact]
    public void A_malformed_event_is_skipped_without_losing_the_others()
    {
        var noSender = new JsonObject { ["recipient"] = new JsonObject { ["id"] = PageId }, ["timestamp"] = Time, ["message"] = new JsonObject { ["mid"] = "m_X", ["text"] = "hi" } };
        var noMid = Event(new JsonObject { ["text"] = "no id" });
        var delivery = Parse(Delivery(
            "page",
            Entry(TextEvent("m_1", "first"), noSender, noMid),
            new JsonObject { ["id"] = PageId, ["messaging"] = "not an array" },
            Entry(TextEvent("m_2", "second"))));

        Assert.Equal(["m_1", "m_2"], delivery.Decisions.OfType<MetaDecision.Accept>().Select(a => a.Message.ProviderMessageId));
        Assert.Equal(
            ["missing sender", "missing mid", "messaging is not an array"],
            delivery.Decisions.OfType<MetaDecision.Malformed>().Select(m => m.Reason));
        Assert.Equal("entry 0 messaging 1", delivery.Decisions.OfType<MetaDecision.Malformed>().First().Event);
    }

    [Fact]
    public void A_whatsapp_text_is_keyed_on_wa_id_with_the_profile_name()
    {
        var message = Accepted(Assert.Single(Parse(WhatsApp(WhatsAppText("wamid.A", "提币还没到账"))).Decisions));

        Assert.Equal(new Contact("whatsapp", WaId, "Ana Souza"), message.Contact);
        Assert.Equal("wamid.A", message.ProviderMessageId);
        Assert.Equal("wamid.A", message.ReplyToId);
        Assert.Equal("提币还没到账", message.Text);
        Assert.Empty(message.Details!.Metadata);
    }

    [Fact]
    public void A_whatsapp_contact_is_keyed_on_the_business_scoped_user_id_when_present()
    {
        var withBoth = Parse(Delivery("whatsapp_business_account", WhatsAppEntry([WhatsAppText("wamid.B", "hello")], [WhatsAppContact(WaId, BusinessUserId)])));
        var idOnly = Parse(Delivery("whatsapp_business_account", WhatsAppEntry(
            [WhatsAppText("wamid.C", "hello", from: null, fromUserId: BusinessUserId)], [WhatsAppContact(null, BusinessUserId)])));

        Assert.Equal(new Contact("whatsapp", BusinessUserId, "Ana Souza"), Accepted(Assert.Single(withBoth.Decisions)).Contact);
        Assert.Equal(new Contact("whatsapp", BusinessUserId, "Ana Souza"), Accepted(Assert.Single(idOnly.Decisions)).Contact);
    }

    [Fact]
    public void A_whatsapp_phone_number_is_kept_nowhere_but_the_contact_id()
    {
        var message = Accepted(Assert.Single(Parse(Delivery("whatsapp_business_account", WhatsAppEntry([WhatsAppImage("wamid.P", "see")], [WhatsAppContact(WaId, BusinessUserId)]))).Decisions));

        Assert.Equal(BusinessUserId, message.Contact.Id);
        Assert.DoesNotContain(WaId, System.Text.Json.JsonSerializer.Serialize(message), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("list")]
    [InlineData("button")]
    public void A_whatsapp_interactive_reply_is_its_title_with_the_id_in_metadata(string kind)
    {
        var reply = kind == "list" ? WhatsAppListReply("wamid.L", "rating-5", "Excellent") : WhatsAppButtonReply("wamid.L", "rating-5", "Excellent");

        var message = Accepted(Assert.Single(Parse(WhatsApp(reply)).Decisions));

        Assert.Equal("Excellent", message.Text);
        Assert.Equal("rating-5", message.Details!.Metadata["interactiveReply"]);
    }

    [Fact]
    public void A_whatsapp_template_button_press_is_its_text_with_the_payload_in_metadata()
    {
        var press = WhatsAppMessage("wamid.T", "button", new JsonObject { ["text"] = "Still need help", ["payload"] = "REOPEN" });

        var message = Accepted(Assert.Single(Parse(WhatsApp(press)).Decisions));

        Assert.Equal("Still need help", message.Text);
        Assert.Equal("REOPEN", message.Details!.Metadata["button"]);
    }

    [Fact]
    public void Whatsapp_media_is_noted_by_media_id_with_the_caption_or_a_placeholder_as_text()
    {
        var delivery = Parse(WhatsApp(WhatsAppImage("wamid.I", "my deposit screenshot"), WhatsAppDocument("wamid.D")));

        var image = Accepted(delivery.Decisions[0]);
        var document = Accepted(delivery.Decisions[1]);
        Assert.Equal("my deposit screenshot", image.Text);
        Assert.Equal(new AttachmentNote("image", "image/jpeg", 0, ProviderFileId: "1479537139650973"), Assert.Single(image.Details!.Attachments));
        Assert.Equal("[document]", document.Text);
        Assert.Equal(new AttachmentNote("statement.pdf", "application/pdf", 0, ProviderFileId: "2095481847521309"), Assert.Single(document.Details!.Attachments));
    }

    [Fact]
    public void Whatsapp_statuses_and_reactions_are_ignored()
    {
        var reaction = WhatsAppMessage("wamid.R", "reaction", new JsonObject { ["message_id"] = "wamid.X", ["emoji"] = "👍" });
        var delivery = Parse(Delivery("whatsapp_business_account", WhatsAppEntry([reaction], statuses: [WhatsAppStatus("wamid.OUT1")])));

        Assert.All(delivery.Decisions, decision => Assert.IsType<MetaDecision.Ignore>(decision));
        Assert.Equal(2, delivery.Decisions.Count);
    }

    [Fact]
    public void A_whatsapp_message_without_an_id_or_a_sender_is_malformed()
    {
        var noId = new JsonObject { ["from"] = WaId, ["type"] = "text", ["text"] = new JsonObject { ["body"] = "x" } };
        var noSender = WhatsAppText("wamid.N", "x", from: null);
        var delivery = Parse(Delivery("whatsapp_business_account", WhatsAppEntry([noId, noSender, WhatsAppText("wamid.OK", "fine")], [WhatsAppContact(WaId), WhatsAppContact("4911111")])));

        Assert.Equal(["missing id", "missing sender"], delivery.Decisions.OfType<MetaDecision.Malformed>().Select(m => m.Reason));
        Assert.Equal("wamid.OK", Accepted(delivery.Decisions[2]).ProviderMessageId);
    }

    [Fact]
    public void An_object_we_do_not_serve_is_ignored()
    {
        var delivery = Parse(Delivery("user", new JsonObject { ["id"] = "1", ["changes"] = new JsonArray() }));

        Assert.Equal("user", delivery.Kind);
        Assert.IsType<MetaDecision.Ignore>(Assert.Single(delivery.Decisions));
    }

    [Theory]
    [InlineData("")]
    [InlineData("not json")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("""{"object":"page"}""")]
    [InlineData("""{"object":"page","entry":{}}""")]
    [InlineData("""{"object":1,"entry":[]}""")]
    [InlineData("""{"object":"page","entry":[]""")]
    public void A_body_that_is_not_a_delivery_is_refused(string body) =>
        Assert.Null(MetaEvents.Parse(Encoding.UTF8.GetBytes(body)));

    [Theory]
    [InlineData("")]
    [InlineData("sha256=")]
    [InlineData("sha1=0123456789abcdef0123456789abcdef01234567")]
    [InlineData("sha256=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde")]
    [InlineData("sha256=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdefAB")]
    [InlineData("sha256=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdeg")]
    [InlineData(" sha256=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")]
    public void A_malformed_signature_header_has_no_bytes(string header) =>
        Assert.Null(MetaEndpoints.SignatureBytes(header));

    [Fact]
    public void The_signature_is_the_hmac_of_the_raw_body_under_the_app_secret()
    {
        const string body = """{"object":"page","entry":[]}""";
        var signature = MetaEndpoints.SignatureBytes(Sign(body))!;

        Assert.True(MetaEndpoints.SignatureMatches(Encoding.UTF8.GetBytes(body), signature, AppSecret));
        Assert.False(MetaEndpoints.SignatureMatches(Encoding.UTF8.GetBytes(body + " "), signature, AppSecret));
        Assert.False(MetaEndpoints.SignatureMatches(Encoding.UTF8.GetBytes(body), signature, AppSecret + "x"));
    }

    private static InboundMessage AcceptedWhatsApp(JsonObject message) => Accepted(Assert.Single(Parse(WhatsApp(message)).Decisions));

    [Fact]
    public void A_messenger_location_reads_as_its_title_and_coordinates()
    {
        var message = Accepted(Assert.Single(Parse(Messenger(MessengerLocation("m_loc"))).Decisions));

        Assert.Equal("[location: Alexanderplatz — 52.5219, 13.4132]", message.Text);
        Assert.Equal("m_loc", message.ProviderMessageId);
    }

    [Fact]
    public void A_messenger_sticker_is_noted_as_a_sticker_not_an_image()
    {
        var message = Accepted(Assert.Single(Parse(Messenger(MessengerSticker("m_st"))).Decisions));

        Assert.Equal("[sticker]", message.Text);
        Assert.Equal("sticker", Assert.Single(message.Details!.Attachments).Name);
    }

    [Fact]
    public void An_instagram_shared_post_reads_as_its_link()
    {
        var share = Accepted(Assert.Single(Parse(Instagram(InstagramShare("ig_share"))).Decisions));
        var post = Accepted(Assert.Single(Parse(Instagram(InstagramPost("ig_post"))).Decisions));

        Assert.Equal("[shared post: https://www.instagram.com/p/C1a2B3c4D5e/]", share.Text);
        Assert.Equal("[shared post: New listing: XYZ/USDT — https://www.instagram.com/p/C9x8Y7z6W5v/]", post.Text);
        Assert.Equal(new Contact("instagram", InstagramUser), post.Contact);
    }

    [Fact]
    public void An_instagram_story_mention_reads_as_its_link()
    {
        var message = Accepted(Assert.Single(Parse(Instagram(InstagramStoryMention("ig_story"))).Decisions));

        Assert.Equal("[story mention: https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=17952754950787520&signature=AbxY]", message.Text);
    }

    [Fact]
    public void An_attachment_of_a_kind_we_do_not_know_is_noted_by_its_type_and_an_unsupported_one_as_unsupported()
    {
        var unknown = Event(new JsonObject { ["mid"] = "m_t", ["attachments"] = new JsonArray(new JsonObject { ["type"] = "template", ["payload"] = new JsonObject { ["product"] = new JsonObject() } }) });
        var unsupported = Event(new JsonObject { ["mid"] = "ig_u", ["is_unsupported"] = true });

        var decisions = Parse(Instagram(unknown, unsupported)).Decisions;

        Assert.Equal(["[template]", "[unsupported message]"], decisions.Select(d => Accepted(d).Text));
    }

    [Fact]
    public void A_messenger_edit_is_an_edit_of_its_mid_keyed_on_the_mid_and_the_edit_count()
    {
        var delivery = Parse(Messenger(MessengerEdit("m_orig", "my withdrawal is stuck since Monday", 1), MessengerEdit("m_orig", "since Sunday", 2)));

        var first = Accepted(delivery.Decisions[0]);
        Assert.Equal("my withdrawal is stuck since Monday", first.Text);
        Assert.Equal("m_orig", first.Details!.EditOf);
        Assert.Equal("edit:m_orig:1", first.ProviderMessageId);
        Assert.Equal("m_orig", first.ReplyToId);
        Assert.Equal(new Contact("messenger", Psid), first.Contact);
        Assert.Equal("edit:m_orig:2", Accepted(delivery.Decisions[1]).ProviderMessageId);
    }

    [Fact]
    public void A_whatsapp_location_reads_as_name_address_and_coordinates_or_coordinates_alone()
    {
        Assert.Equal("[location: Facebook HQ, 1 Hacker Way, Menlo Park, CA 94025 — 37.4611978, -122.2164385]", AcceptedWhatsApp(WhatsAppChosenLocation("wamid.loc1")).Text);
        Assert.Equal("[location: 12.25089, 43.90539]", AcceptedWhatsApp(WhatsAppCurrentLocation("wamid.loc2")).Text);
    }

    [Fact]
    public void A_whatsapp_shared_contact_reads_as_names_and_phone_numbers()
    {
        var message = AcceptedWhatsApp(WhatsAppContacts("wamid.contacts"));

        Assert.Equal("[contact: Chandler Bing, +1 555-555-5555]\n[contact: Monica, +1 666-666-6666]", message.Text);
        Assert.Equal(new Contact("whatsapp", WaId, "Ana Souza"), message.Contact);
    }

    [Fact]
    public void A_whatsapp_order_reads_as_catalog_items_and_text()
    {
        var message = AcceptedWhatsApp(WhatsAppOrder("wamid.order"));

        Assert.Equal(
            "[order: catalog 354160437058781]\nitem HAMBURGER: quantity 3, price 30 ILS\nitem FRENCH_FRIES: quantity 2, price 35 ILS\nPlease deliver after 6pm",
            message.Text);
    }

    [Fact]
    public void A_whatsapp_flow_reply_reads_as_its_fields_without_our_flow_token()
    {
        var message = AcceptedWhatsApp(WhatsAppFlowReply("wamid.flow"));

        Assert.Equal("[form reply]\ncomment_text: Comment Text\ndelivery_rating: 4\npurchase_rating: 2\nrecommend_radio: 0\ncs_rating: 0", message.Text);
        Assert.DoesNotContain("AQAAAAACS5Fpg", message.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_whatsapp_flow_reply_is_bounded_per_field_and_in_lines()
    {
        var answers = new JsonObject();
        for (var i = 0; i < 80; i++)
        {
            answers[$"field_{i}"] = new string('x', 2000);
        }

        var flow = WhatsAppMessage("wamid.bigflow", "interactive", new JsonObject
        {
            ["type"] = "nfm_reply",
            ["nfm_reply"] = new JsonObject { ["name"] = "flow", ["body"] = "Sent", ["response_json"] = answers.ToJsonString() },
        });

        var lines = AcceptedWhatsApp(flow).Text.Split('\n');

        Assert.Equal(51, lines.Length);
        Assert.All(lines.Skip(1), line => Assert.True(line.Length <= 520, $"line of {line.Length} characters"));
    }

    [Fact]
    public void An_unsupported_or_unknown_whatsapp_message_is_noted_by_its_type()
    {
        Assert.Equal("[unsupported message]", AcceptedWhatsApp(WhatsAppUnsupported("wamid.unsup")).Text);
        Assert.Equal("[poll_vote message]", AcceptedWhatsApp(WhatsAppMessage("wamid.poll", "poll_vote", new JsonObject { ["option"] = 1 })).Text);
    }

    [Fact]
    public void A_whatsapp_edit_is_an_edit_of_the_original_keyed_on_its_own_id()
    {
        var text = AcceptedWhatsApp(WhatsAppEditedText("wamid.edit1", "wamid.orig", "Text was edited"));
        var caption = AcceptedWhatsApp(WhatsAppEditedCaption("wamid.edit2", "wamid.orig"));

        Assert.Equal("Text was edited", text.Text);
        Assert.Equal("wamid.orig", text.Details!.EditOf);
        Assert.Equal("wamid.edit1", text.ProviderMessageId);
        Assert.Equal("caption", caption.Text);
        Assert.Equal("wamid.orig", caption.Details!.EditOf);
        Assert.Equal("65463453", Assert.Single(caption.Details.Attachments).ProviderFileId);
    }

    [Fact]
    public void Ignored_events_carry_a_reason_code()
    {
        var reaction = WhatsAppMessage("wamid.R", "reaction", new JsonObject { ["message_id"] = "wamid.X", ["emoji"] = "👍" });
        var system = WhatsAppMessage("wamid.S", "system", new JsonObject { ["body"] = "changed number", ["type"] = "user_changed_number" });
        var whatsapp = Parse(Delivery("whatsapp_business_account", WhatsAppEntry([reaction, system], statuses: [WhatsAppStatus("wamid.OUT1")]))).Decisions;
        var messenger = Parse(Messenger(Event(new JsonObject { ["mid"] = "m_empty" }), MessengerEdit("m_x", "", 1))).Decisions;

        Assert.Equal(["statuses", "reaction", "system"], whatsapp.Cast<MetaDecision.Ignore>().Select(i => i.Reason));
        Assert.Equal(["no_content", "edit_without_text"], messenger.Cast<MetaDecision.Ignore>().Select(i => i.Reason));
    }
}
