using System.Text;
using System.Text.Json.Nodes;
using Intake.Channels.Meta;
using Intake.Tickets;
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
}
