using System.Text.Json;
using System.Text.Json.Nodes;
using Intake.Channels.X;
using Intake.Tickets;
using static Intake.Tests.Channels.X.XFixtures;

namespace Intake.Tests.Channels.X;

/// <summary>What a delivery means, decided without I/O.</summary>
public sealed class XEventsTests
{
    private static IReadOnlyList<XDecision>? Decide(string json)
    {
        using var document = JsonDocument.Parse(json);
        return XEvents.Decide(document.RootElement);
    }

    [Fact]
    public void A_direct_message_becomes_a_message_for_the_senders_open_ticket_keyed_by_the_event_id()
    {
        var accept = Assert.IsType<XDecision.Accept>(Assert.Single(Decide(Text("1630000000000000001", "my deposit is missing"))!));

        var message = accept.Message;
        Assert.Equal("x", message.Channel);
        Assert.Equal(new Contact("x", CustomerId, "Ada Lovelace"), message.Contact);
        Assert.Equal("my deposit is missing", message.Text);
        Assert.Equal("1630000000000000001", message.ProviderMessageId);
        Assert.Equal("1630000000000000001", message.ReplyToId);
        Assert.True(message.JoinOpenTicket);
        Assert.Null(message.Subject);
        Assert.Empty(message.Details!.Attachments);
        Assert.Equal(SupportAccountId, message.Details.Metadata["for_user_id"]);
    }

    [Theory]
    [InlineData("Ada Lovelace", "ada", "Ada Lovelace")]
    [InlineData(null, "ada", "@ada")]
    [InlineData("  ", "ada", "@ada")]
    [InlineData(null, null, null)]
    public void The_contact_is_named_from_the_users_map(string? name, string? screenName, string? expected)
    {
        var payload = JsonNode.Parse(Text("11", "hello, my withdrawal is stuck"))!;
        payload["users"]![CustomerId] = User(CustomerId, name, screenName);

        var accept = Assert.IsType<XDecision.Accept>(Assert.Single(Decide(payload.ToJsonString())!));

        Assert.Equal(expected, accept.Message.Contact.Name);
    }

    [Fact]
    public void A_sender_missing_from_the_users_map_has_no_name()
    {
        var accept = Assert.IsType<XDecision.Accept>(Assert.Single(Decide(Payload(Event("12", "999", "withdrawal stuck")))!));

        Assert.Equal(new Contact("x", "999"), accept.Message.Contact);
    }

    [Fact]
    public void Our_own_messages_are_ignored()
    {
        var ignore = Assert.IsType<XDecision.Ignore>(Assert.Single(Decide(Payload(Event("13", SupportAccountId, "We have received your message", recipientId: CustomerId)))!));

        Assert.Equal("13", ignore.EventId);
        Assert.Equal(XDecision.Ignore.OwnMessage, ignore.Reason);
    }

    [Theory]
    [InlineData("""{"for_user_id":"3001","favorite_events":[{"id":"1","favorited_status":{}}]}""")]
    [InlineData("""{"for_user_id":"3001","follow_events":[{"type":"follow"}]}""")]
    [InlineData("""{"for_user_id":"3001","tweet_create_events":[{"id_str":"1","text":"hello"}]}""")]
    [InlineData("""{"for_user_id":"3001","direct_message_indicate_typing_events":[{"created_timestamp":"1","sender_id":"4455667788","target":{"recipient_id":"3001"}}]}""")]
    [InlineData("""{"for_user_id":"3001","direct_message_events":[]}""")]
    [InlineData("""{}""")]
    public void A_payload_without_direct_messages_decides_nothing(string json)
    {
        Assert.Empty(Decide(json)!);
    }

    [Theory]
    [InlineData("""{"for_user_id":"3001","favorite_events":[{"id":"1"}],"users":{"3001":{"name":"Support"}}}""", "favorite_events")]
    [InlineData("""{"for_user_id":"3001","direct_message_mark_read_events":[{}],"direct_message_indicate_typing_events":[{}]}""", "direct_message_mark_read_events, direct_message_indicate_typing_events")]
    [InlineData("""{"replay_job_status":{"job_state":"Complete"}}""", "replay_job_status")]
    [InlineData("""{"for_user_id":"3001","Some Text: my seed phrase":[]}""", "none")]
    [InlineData("""{}""", "none")]
    public void The_activities_of_a_payload_are_named_for_the_log_by_xs_names_only(string json, string kinds)
    {
        using var document = JsonDocument.Parse(json);

        Assert.Equal(kinds, XEvents.ActivityKinds(document.RootElement));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("\"text\"")]
    [InlineData("null")]
    [InlineData("""{"for_user_id":"3001","direct_message_events":{"id":"1"}}""")]
    [InlineData("""{"direct_message_events":[{"type":"message_create","id":"1","message_create":{"sender_id":"2","message_data":{"text":"hi"}}}]}""")]
    [InlineData("""{"for_user_id":"not-an-id","direct_message_events":[{"type":"message_create","id":"1","message_create":{"sender_id":"2","message_data":{"text":"hi"}}}]}""")]
    public void A_body_that_is_not_an_account_activity_payload_is_refused(string json)
    {
        Assert.Null(Decide(json));
    }

    [Fact]
    public void Other_event_types_are_skipped()
    {
        var decisions = Decide(Payload(Event("21", CustomerId, "hi", type: "message_delete"), Event("22", CustomerId, "my withdrawal is stuck")))!;

        Assert.IsType<XDecision.Ignore>(decisions[0]);
        Assert.IsType<XDecision.Accept>(decisions[1]);
    }

    [Fact]
    public void Malformed_events_are_skipped_and_the_good_ones_around_them_kept()
    {
        var noId = Event("31", CustomerId, "no id");
        noId.Remove("id");
        var noSender = Event("32", CustomerId, "no sender");
        noSender["message_create"]!.AsObject().Remove("sender_id");
        var noText = Event("33", CustomerId, null);
        var textNotString = Event("34", CustomerId, null);
        textNotString["message_create"]!["message_data"]!["text"] = 42;
        var idNotDecimal = Event("35", CustomerId, "id with letters");
        idNotDecimal["id"] = "35/../36";
        var senderNotDecimal = Event("36", "../../2/users/me", "path in the sender");

        var decisions = Decide(Payload(
            Event("30", CustomerId, "first good"), noId, noSender, noText, textNotString, idNotDecimal, senderNotDecimal, JsonValue.Create(7), Event("39", CustomerId, "last good")))!;

        Assert.Equal(9, decisions.Count);
        Assert.Equal(["30", "39"], decisions.OfType<XDecision.Accept>().Select(a => a.Message.ProviderMessageId));
        Assert.Equal(7, decisions.OfType<XDecision.Malformed>().Count());
        Assert.Equal(
            ["no event id", "no sender", "no text", "no text", "no event id", "no sender", "not an object"],
            decisions.OfType<XDecision.Malformed>().Select(m => m.Reason));
    }

    [Fact]
    public void Numeric_ids_are_read_as_their_digits()
    {
        var payload = JsonNode.Parse(Text("41", "withdrawal stuck"))!;
        payload["direct_message_events"]![0]!["id"] = 1630000000000000041;

        var accept = Assert.IsType<XDecision.Accept>(Assert.Single(Decide(payload.ToJsonString())!));

        Assert.Equal("1630000000000000041", accept.Message.ProviderMessageId);
    }

    [Fact]
    public void A_photo_is_noted_by_its_media_url_and_nothing_is_downloaded()
    {
        var accept = Assert.IsType<XDecision.Accept>(Assert.Single(
            Decide(Payload(Event("51", CustomerId, "deposit missing, see screenshot https://t.co/abc", attachment: Photo("1700000000000000051"))))!));

        var note = Assert.Single(accept.Message.Details!.Attachments);
        Assert.Equal(new AttachmentNote("photo.jpg", "image/jpeg", 0, ProviderFileId: "https://ton.twitter.com/1.1/ton/data/dm/1/1700000000000000051/abc.jpg"), note);
        Assert.Equal("deposit missing, see screenshot https://t.co/abc", accept.Message.Text);
    }

    [Fact]
    public void Media_without_text_gets_a_placeholder_and_media_without_a_url_is_noted_by_its_id()
    {
        var attachment = Photo("1700000000000000052");
        attachment["media"]!.AsObject().Remove("media_url_https");
        attachment["media"]!["type"] = "video";

        var accept = Assert.IsType<XDecision.Accept>(Assert.Single(Decide(Payload(Event("52", CustomerId, "", attachment: attachment)))!));

        Assert.Equal("[video]", accept.Message.Text);
        Assert.Equal("1700000000000000052", Assert.Single(accept.Message.Details!.Attachments).ProviderFileId);
    }

    private const string TxHash = "0x5c504ed432cb51138bcf09aa5e8a410dd4a1e204ef84bfed1be16dfba1b22060";

    private static string Expand(string text, params JsonObject[] urls)
    {
        using var document = JsonDocument.Parse(WithUrls(Event("20", CustomerId, text), urls)["message_create"]!["message_data"]!.ToJsonString());
        return XEvents.ExpandUrls(text, document.RootElement);
    }

    [Fact]
    public void A_tco_link_reaches_triage_as_the_address_the_customer_pasted()
    {
        var accept = Assert.IsType<XDecision.Accept>(Assert.Single(Decide(Payload(WithUrls(
            Event("21", CustomerId, "withdrawal stuck https://t.co/Ab12Cd34Ef"),
            Url("https://t.co/Ab12Cd34Ef", $"https://etherscan.io/tx/{TxHash}", [17, 40]))))!));

        Assert.Equal($"withdrawal stuck https://etherscan.io/tx/{TxHash}", accept.Message.Text);
    }

    [Fact]
    public void Several_links_are_each_expanded_by_their_url_wherever_they_occur()
    {
        var text = "see https://t.co/aaa and https://t.co/bbb, again https://t.co/aaa";

        var expanded = Expand(
            text,
            Url("https://t.co/aaa", "https://etherscan.io/tx/0xaaa"),
            Url("https://t.co/bbb", "https://tronscan.org/#/transaction/bbb"));

        Assert.Equal("see https://etherscan.io/tx/0xaaa and https://tronscan.org/#/transaction/bbb, again https://etherscan.io/tx/0xaaa", expanded);
    }

    [Fact]
    public void Indices_place_a_link_whose_url_is_missing_counting_code_points_not_utf16_units()
    {
        // "🚨 " is two code points but three UTF-16 units: X's indices count code points.
        var text = "🚨 https://t.co/zzz stuck";

        var expanded = Expand(text, Url("", "https://etherscan.io/tx/0xzzz", [2, 18]));

        Assert.Equal("🚨 https://etherscan.io/tx/0xzzz stuck", expanded);
    }

    [Fact]
    public void Overlapping_out_of_range_or_unexpanded_entities_leave_the_text_as_it_is()
    {
        var text = "links https://t.co/one https://t.co/two https://t.co/three";

        var expanded = Expand(
            text,
            Url("", "https://etherscan.io/tx/0x1", [6, 22]),
            Url("", "https://etherscan.io/tx/0xoverlap", [10, 30]),
            Url("", "https://etherscan.io/tx/0xfar", [200, 223]),
            Url("https://t.co/three", null),
            Url("https://t.co/two", "javascript:alert(1)"));

        Assert.Equal("links https://etherscan.io/tx/0x1 https://t.co/two https://t.co/three", expanded);
    }

    [Fact]
    public void A_url_is_only_replaced_as_a_whole_link()
    {
        var expanded = Expand("https://t.co/abcd and https://t.co/abc", Url("https://t.co/abc", "https://etherscan.io/tx/0xabc"));

        Assert.Equal("https://t.co/abcd and https://etherscan.io/tx/0xabc", expanded);
    }

    [Fact]
    public void Text_without_entities_is_kept_as_it_is()
    {
        using var document = JsonDocument.Parse("""{"text":"https://t.co/abc"}""");

        Assert.Equal("https://t.co/abc", XEvents.ExpandUrls("https://t.co/abc", document.RootElement));
    }
}
