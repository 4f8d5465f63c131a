using System.Text;
using System.Text.Json.Nodes;
using Intake.Channels.Meta;
using Intake.Tickets;
using static Intake.Tests.Channels.Meta.MetaFixtures;

namespace Intake.Tests.Channels.Meta;

/// <summary>
/// What a message says about its context, decided without I/O: the story or message it answers, the ad it came from,
/// whether it was forwarded, and the delivery shapes besides <c>messaging</c> (standby, the dashboard's test).
/// </summary>
public sealed class MetaContextTests
{
    private static MetaDelivery Parse(string body) => MetaEvents.Parse(Encoding.UTF8.GetBytes(body)) ?? throw new InvalidOperationException("Not a delivery.");

    private static InboundMessage Accepted(MetaDecision decision) => Assert.IsType<MetaDecision.Accept>(decision).Message;

    private static JsonObject Message(string json) => Event(JsonNode.Parse(json)!.AsObject());

    [Fact]
    public void An_instagram_story_reply_keeps_the_story_link_before_the_text()
    {
        var message = Accepted(Assert.Single(Parse(Instagram(Message("""
            {"mid":"ig_s1","text":"is this offer real?","reply_to":{"story":{"url":"https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1","id":"17900000000000001"}}}
            """))).Decisions));

        Assert.Equal("[reply to story: https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1]\nis this offer real?", message.Text);
        Assert.Equal("17900000000000001", message.Details!.Metadata["replyToStory"]);
    }

    [Fact]
    public void A_reply_to_an_earlier_message_names_it_in_metadata()
    {
        var message = Accepted(Assert.Single(Parse(Messenger(Message("""
            {"mid":"m_2","text":"still waiting","reply_to":{"mid":"m_1","is_self_reply":false}}
            """))).Decisions));

        Assert.Equal("still waiting", message.Text);
        Assert.Equal("m_1", message.Details!.Metadata["replyTo"]);
    }

    [Fact]
    public void A_shared_story_is_noted_with_its_media_link()
    {
        var message = Accepted(Assert.Single(Parse(Instagram(Message("""
            {"mid":"ig_s2","attachments":[{"type":"ig_story","payload":{"story_media_id":"1794","story_media_url":"https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1794"}}]}
            """))).Decisions));

        Assert.Equal("[shared story: https://lookaside.fbsbx.com/ig_messaging_cdn/?asset_id=1794]", message.Text);
    }

    [Fact]
    public void A_shared_link_keeps_its_address_whether_meta_writes_it_url_or_URL()
    {
        var message = Accepted(Assert.Single(Parse(Messenger(Message("""
            {"mid":"m_fb","attachments":[{"type":"fallback","payload":null,"title":"Withdrawal 0x12ab on Etherscan","URL":"https://etherscan.io/tx/0x12ab"}]}
            """))).Decisions));

        Assert.Equal("[link: Withdrawal 0x12ab on Etherscan — https://etherscan.io/tx/0x12ab]", message.Text);
    }

    [Fact]
    public void A_messenger_sticker_attachment_is_a_sticker_without_its_link()
    {
        var message = Accepted(Assert.Single(Parse(Messenger(Message("""
            {"mid":"m_st","attachments":[{"type":"sticker","payload":{"url":"https://scontent.xx.fbcdn.net/sticker.png","sticker_id":369239263222822}}]}
            """))).Decisions));

        Assert.Equal("[sticker]", message.Text);
        Assert.DoesNotContain("fbcdn", message.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_message_from_a_messenger_ad_keeps_where_it_came_from()
    {
        var message = Accepted(Assert.Single(Parse(Messenger(Message("""
            {"mid":"m_ad","text":"how do I claim the bonus?","referral":{"ref":"spring","ad_id":"6100","source":"ADS","type":"OPEN_THREAD","ads_context_data":{"ad_title":"Zero fees in May","post_id":"99"}}}
            """))).Decisions));

        Assert.Equal("how do I claim the bonus?\n[referral: ADS — Zero fees in May]", message.Text);
        var metadata = message.Details!.Metadata;
        Assert.Equal("ADS", metadata["referralSource"]);
        Assert.Equal("6100", metadata["referralAd"]);
        Assert.Equal("spring", metadata["referralRef"]);
        Assert.Equal("Zero fees in May", metadata["referralHeadline"]);
    }

    [Fact]
    public void A_postback_from_a_link_keeps_the_referral_in_metadata_only()
    {
        var postback = Event(JsonNode.Parse("""{"mid":"m_pb","title":"Get Started","payload":"GET_STARTED","referral":{"ref":"campaign-7","source":"SHORTLINK","type":"OPEN_THREAD"}}""")!.AsObject(), kind: "postback");

        var message = Accepted(Assert.Single(Parse(Messenger(postback)).Decisions));

        Assert.Equal("Get Started", message.Text);
        Assert.Equal("SHORTLINK", message.Details!.Metadata["referralSource"]);
        Assert.Equal("campaign-7", message.Details.Metadata["referralRef"]);
    }

    [Fact]
    public void A_whatsapp_message_from_an_ad_notes_the_ad_in_the_text_and_metadata()
    {
        var text = WhatsAppText("wamid.AD", "I saw your ad");
        text["referral"] = JsonNode.Parse("""
            {"source_url":"https://fb.me/3cr4Wqqkv","source_id":"6100","source_type":"ad","headline":"Buy BTC with zero fees","body":"Open an account today","media_type":"image","image_url":"https://example.com/ad.jpg","ctwa_clid":"ARA1"}
            """);

        var message = Accepted(Assert.Single(Parse(WhatsApp(text)).Decisions));

        Assert.Equal("I saw your ad\n[referral: ad — Buy BTC with zero fees — https://fb.me/3cr4Wqqkv]", message.Text);
        Assert.Equal("ad", message.Details!.Metadata["referralSource"]);
        Assert.Equal("6100", message.Details.Metadata["referralAd"]);
        Assert.Equal("https://fb.me/3cr4Wqqkv", message.Details.Metadata["referralUrl"]);
    }

    [Fact]
    public void A_whatsapp_reply_and_a_forward_are_noted_in_metadata()
    {
        var reply = WhatsAppText("wamid.R", "this one");
        reply["context"] = JsonNode.Parse("""{"from":"15550001111","id":"wamid.OURS"}""");
        var forward = WhatsAppText("wamid.F", "support said to send my seed here");
        forward["context"] = JsonNode.Parse("""{"forwarded":true,"frequently_forwarded":true}""");

        var decisions = Parse(WhatsApp(reply, forward)).Decisions;

        Assert.Equal("wamid.OURS", Accepted(decisions[0]).Details!.Metadata["replyTo"]);
        var forwarded = Accepted(decisions[1]).Details!.Metadata;
        Assert.Equal("true", forwarded["forwarded"]);
        Assert.Equal("true", forwarded["frequentlyForwarded"]);
        Assert.False(forwarded.ContainsKey("replyTo"));
    }

    [Fact]
    public void A_whatsapp_message_deleted_for_everyone_is_skipped_as_deleted()
    {
        var revoke = WhatsAppMessage("wamid.DEL", "revoke", JsonNode.Parse("""{"original_message_id":"wamid.OLD"}""")!.AsObject());

        Assert.Equal("deleted", Assert.IsType<MetaDecision.Ignore>(Assert.Single(Parse(WhatsApp(revoke)).Decisions)).Reason);
    }

    [Fact]
    public void A_message_in_standby_is_a_message_flagged_not_to_be_answered_and_its_echo_is_still_skipped()
    {
        var body = Delivery("instagram", new JsonObject
        {
            ["id"] = "17841400000000000",
            ["time"] = 1_700_000_000_000,
            ["standby"] = new JsonArray(TextEvent("ig_sb", "anyone there?"), EchoEvent("ig_echo", "We will answer soon")),
        });

        var decisions = Parse(body).Decisions;

        Assert.Equal("anyone there?", Accepted(decisions[0]).Text);
        Assert.Equal([ChannelFlags.Standby], Accepted(decisions[0]).Flags);
        Assert.Contains(ChannelFlags.Standby, ChannelFlags.NoAcknowledgement);
        Assert.Equal("echo", Assert.IsType<MetaDecision.Ignore>(decisions[1]).Reason);
    }

    [Fact]
    public void The_dashboards_test_event_in_the_changes_shape_is_read_as_a_messaging_event()
    {
        var body = Delivery("instagram", JsonNode.Parse("""
            {"id":"0","time":1700000000,"changes":[
              {"field":"messages","value":{"sender":{"id":"12334"},"recipient":{"id":"23245"},"timestamp":"1527459824","message":{"mid":"random_mid","text":"random_text"}}},
              {"field":"comments","value":{"id":"c1","text":"nice"}}]}
            """)!.AsObject());

        var decisions = Parse(body).Decisions;

        Assert.Equal(new Contact("instagram", "12334"), Accepted(decisions[0]).Contact);
        Assert.Equal("random_text", Accepted(decisions[0]).Text);
        Assert.Equal("field_not_handled", Assert.IsType<MetaDecision.Ignore>(decisions[1]).Reason);
    }

    [Fact]
    public void A_chat_plugin_guest_without_a_psid_is_the_contact_by_user_ref()
    {
        var guest = JsonNode.Parse("""
            {"sender":{"user_ref":"guest-7f3a"},"recipient":{"id":"PAGE"},"timestamp":1458692752478,"message":{"mid":"m_guest","text":"can I buy without an account?"}}
            """)!.AsObject();

        var message = Accepted(Assert.Single(Parse(Messenger(guest)).Decisions));

        Assert.Equal(new Contact("messenger", "user_ref:guest-7f3a"), message.Contact);
    }
}
