using System.Net;
using Intake.Outbound;
using Intake.Tests.Fakes;
using Intake.Tickets;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Intake.Tests.Channels.Meta;

/// <summary>
/// What only the Messenger, Instagram and WhatsApp senders do, with their real HttpClient and retries against the in-process
/// fake Graph API (<see cref="MetaReplySenderRig"/>): the two APIs' shapes, the length limits, the 24-hour window and
/// WhatsApp's template, the short in-process retries. What every sender promises is in <see cref="ReplySenderContractTests"/>.
/// </summary>
public sealed class MetaReplySenderTests : IAsyncLifetime
{
    private const string Psid = MetaReplySenderRig.Psid;
    private const string WaId = MetaReplySenderRig.WaId;

    // One fake Graph API and one registration serve the three channels; each test asks for the sender it needs.
    private readonly MetaReplySenderRig rig = new("messenger");

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private FakeGraph Graph => rig.Graph;

    public async ValueTask InitializeAsync() => await rig.StartFakeAsync(Cancellation);

    public ValueTask DisposeAsync() => rig.DisposeAsync();

    private static OutboundReply Acknowledgement(string channel, string contactId, DateTimeOffset? wroteAt, string text = "We opened ticket T-ABC234. Freeze it in the app (Account > Security) & never share your <password>.") => new(
        TicketId: "01JABCDEF0123456789ABCDEFG",
        Reference: "T-ABC234",
        Contact: new Contact(channel, contactId, "Ana"),
        Language: "en",
        Kind: "acknowledgement",
        Subject: "[T-ABC234] We have received your message",
        Text: text,
        Automatic: true)
    {
        InReplyTo = "m_1",
        CustomerWroteAt = wroteAt,
    };

    private static OutboundReply Messenger(DateTimeOffset? wroteAt = null, string? text = null) =>
        text is null ? Acknowledgement("messenger", Psid, wroteAt ?? DateTimeOffset.UtcNow) : Acknowledgement("messenger", Psid, wroteAt ?? DateTimeOffset.UtcNow, text);

    private static OutboundReply WhatsApp(DateTimeOffset? wroteAt = null, string contactId = WaId, string? text = null) =>
        text is null ? Acknowledgement("whatsapp", contactId, wroteAt ?? DateTimeOffset.UtcNow) : Acknowledgement("whatsapp", contactId, wroteAt ?? DateTimeOffset.UtcNow, text);

    private Dictionary<string, string?> Configured() => rig.Configured();

    private Task<IReplySender> SenderAsync(string channel, Dictionary<string, string?> settings, TimeProvider? time = null) =>
        rig.SenderAsync(channel, settings, time is null ? null : services => services.AddSingleton(time), Cancellation);

    [Theory]
    [InlineData("messenger")]
    [InlineData("instagram")]
    public async Task A_reply_goes_through_the_send_api_as_plain_text_with_the_page_token_as_a_bearer(string channel)
    {
        var sender = await SenderAsync(channel, Configured());
        var reply = Acknowledgement(channel, Psid, DateTimeOffset.UtcNow);

        var result = await sender.SendAsync(reply, Cancellation);

        Assert.Equal(OutboundStatus.Sent, result.Status);
        Assert.StartsWith("m_", result.ProviderMessageId, StringComparison.Ordinal);
        var call = Assert.Single(Graph.Requests);
        Assert.Equal("/v25.0/me/messages", call.Path);
        Assert.Equal(FakeGraph.PageAccessToken, call.BearerToken);
        Assert.Equal("", call.Query);
        Assert.Equal(Psid, call.Json.GetProperty("recipient").GetProperty("id").GetString());
        Assert.Equal("RESPONSE", call.Json.GetProperty("messaging_type").GetString());
        Assert.Equal(reply.Text, call.Text);
    }

    [Fact]
    public async Task A_whatsapp_reply_goes_through_the_cloud_api_to_the_phone_number()
    {
        var sender = await SenderAsync("whatsapp", Configured());

        var result = await sender.SendAsync(WhatsApp(), Cancellation);

        Assert.Equal(OutboundStatus.Sent, result.Status);
        Assert.StartsWith("wamid.", result.ProviderMessageId, StringComparison.Ordinal);
        var call = Assert.Single(Graph.Requests);
        Assert.Equal($"/v25.0/{FakeGraph.PhoneNumberId}/messages", call.Path);
        Assert.Equal(FakeGraph.WhatsAppToken, call.BearerToken);
        Assert.Equal("whatsapp", call.Json.GetProperty("messaging_product").GetString());
        Assert.Equal(WaId, call.Json.GetProperty("to").GetString());
        Assert.Equal("text", call.Json.GetProperty("type").GetString());
        Assert.Equal(WhatsApp().Text, call.Text);
    }

    [Fact]
    public async Task A_chat_plugin_guest_is_answered_by_user_ref()
    {
        var sender = await SenderAsync("messenger", Configured());

        var result = await sender.SendAsync(Acknowledgement("messenger", "user_ref:guest-7f3a", DateTimeOffset.UtcNow), Cancellation);

        Assert.Equal(OutboundStatus.Sent, result.Status);
        var recipient = Assert.Single(Graph.Requests).Json.GetProperty("recipient");
        Assert.Equal("guest-7f3a", recipient.GetProperty("user_ref").GetString());
        Assert.False(recipient.TryGetProperty("id", out _));
    }

    [Fact]
    public async Task A_whatsapp_contact_keyed_on_a_business_scoped_id_is_addressed_as_recipient()
    {
        var sender = await SenderAsync("whatsapp", Configured());

        await sender.SendAsync(WhatsApp(contactId: "DE.13491208655302741918"), Cancellation);

        var call = Assert.Single(Graph.Requests);
        Assert.Equal("DE.13491208655302741918", call.Json.GetProperty("recipient").GetString());
        Assert.False(call.Json.TryGetProperty("to", out _));
    }

    [Fact]
    public async Task Long_texts_are_cut_to_each_platforms_limit()
    {
        var messenger = await SenderAsync("messenger", Configured());
        var whatsapp = await SenderAsync("whatsapp", Configured());
        var text = string.Concat(Enumerable.Repeat("提币未到账 ", 1000));

        await messenger.SendAsync(Messenger(text: text), Cancellation);
        await whatsapp.SendAsync(WhatsApp(text: text), Cancellation);

        Assert.Equal(2000, Graph.SendApiCalls.Single().Text!.Length);
        Assert.Equal(4096, Graph.CloudApiCalls.Single().Text!.Length);
        Assert.EndsWith("…", Graph.SendApiCalls.Single().Text, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("messenger", 25.0)]
    [InlineData("messenger", 24.0)]
    [InlineData("messenger", null)]
    [InlineData("instagram", 25.0)]
    [InlineData("whatsapp", 25.0)]
    [InlineData("whatsapp", null)]
    public async Task Outside_the_24_hour_window_nothing_is_sent_and_the_window_is_reported_closed(string channel, double? hoursAgo)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        var sender = await SenderAsync(channel, Configured(), time);
        DateTimeOffset? wroteAt = hoursAgo is { } hours ? time.GetUtcNow().AddHours(-hours) : null;

        var result = await sender.SendAsync(Acknowledgement(channel, channel == "whatsapp" ? WaId : Psid, wroteAt), Cancellation);

        Assert.Equal(OutboundStatus.WindowClosed, result.Status);
        Assert.Empty(Graph.Requests);
    }

    [Theory]
    [InlineData("messenger")]
    [InlineData("whatsapp")]
    public async Task Inside_the_window_the_reply_is_sent(string channel)
    {
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        var sender = await SenderAsync(channel, Configured(), time);

        var result = await sender.SendAsync(Acknowledgement(channel, channel == "whatsapp" ? WaId : Psid, time.GetUtcNow().AddHours(-23.9)), Cancellation);

        Assert.Equal(OutboundStatus.Sent, result.Status);
        Assert.Single(Graph.Requests);
    }

    [Fact]
    public async Task Outside_the_window_whatsapp_sends_the_configured_template_instead()
    {
        var settings = Configured();
        settings["WhatsApp:TemplateName"] = "ticket_update";
        settings["WhatsApp:TemplateLanguage"] = "zh_CN";
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 23, 9, 0, 0, TimeSpan.Zero));
        var sender = await SenderAsync("whatsapp", settings, time);

        var result = await sender.SendAsync(WhatsApp(wroteAt: time.GetUtcNow().AddHours(-30)), Cancellation);

        Assert.Equal(OutboundStatus.Sent, result.Status);
        var call = Assert.Single(Graph.CloudApiCalls);
        Assert.Equal("template", call.Json.GetProperty("type").GetString());
        Assert.Equal("ticket_update", call.Json.GetProperty("template").GetProperty("name").GetString());
        Assert.Equal("zh_CN", call.Json.GetProperty("template").GetProperty("language").GetProperty("code").GetString());
        Assert.DoesNotContain("We opened ticket", call.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("messenger", 429)]
    [InlineData("whatsapp", 429)]
    [InlineData("messenger", 500)]
    [InlineData("whatsapp", 503)]
    [InlineData("messenger", 408)]
    public async Task Throttling_and_outages_are_retried_with_backoff_and_then_sent(string channel, int status)
    {
        var sender = await SenderAsync(channel, Configured());
        Graph.RespondNextWith(status, times: 2);

        var result = await sender.SendAsync(channel == "whatsapp" ? WhatsApp() : Messenger(), Cancellation);

        Assert.Equal(OutboundStatus.Sent, result.Status);
        Assert.Equal([status, status, 200], Graph.Requests.Select(r => r.Status));
    }

    [Fact]
    public async Task Retry_after_is_honoured()
    {
        var sender = await SenderAsync("messenger", Configured());
        Graph.RespondNextWith(429, retryAfter: "1");
        var started = DateTimeOffset.UtcNow;

        var result = await sender.SendAsync(Messenger(), Cancellation);

        Assert.Equal(OutboundStatus.Sent, result.Status);
        Assert.Equal(2, Graph.Requests.Count);
        Assert.True(DateTimeOffset.UtcNow - started >= TimeSpan.FromSeconds(0.9));
    }

    [Fact]
    public async Task A_long_retry_after_is_left_to_the_queue_instead_of_waited_out()
    {
        var sender = await SenderAsync("whatsapp", Configured());
        Graph.RespondNextWith(429, retryAfter: "3600");

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => sender.SendAsync(WhatsApp(), Cancellation));

        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.Single(Graph.Requests);
    }
}
