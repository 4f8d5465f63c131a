using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Intake.Channels.X;
using Intake.Outbound;
using Intake.Tests.Fakes;
using Intake.Tickets;

namespace Intake.Tests.Channels.X;

/// <summary>
/// What only the X sender does, over real HTTP against the in-process fake X API (<see cref="XReplySenderRig"/>): the
/// direct-message call, the base URL's path, the length limit, waiting out a short rate limit. What every sender promises
/// is in <see cref="ReplySenderContractTests"/>.
/// </summary>
public sealed class XReplySenderTests : IAsyncLifetime
{
    private readonly XReplySenderRig rig = new();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    private FakeX X => rig.X;

    public async ValueTask InitializeAsync() => await rig.StartFakeAsync(Cancellation);

    public ValueTask DisposeAsync() => rig.DisposeAsync();

    private OutboundReply Acknowledgement() => rig.Reply;

    private Task<IReplySender> SenderAsync(Dictionary<string, string?>? settings = null) => rig.SenderAsync(settings ?? rig.Configured(), Cancellation);

    [Fact]
    public async Task A_reply_is_a_direct_message_to_the_customer_with_the_bearer_token_and_keeps_the_event_id()
    {
        var sender = await SenderAsync();

        var result = await sender.SendAsync(Acknowledgement(), Cancellation);

        Assert.Equal(OutboundStatus.Sent, result.Status);
        var call = Assert.Single(X.Requests);
        Assert.Equal("POST", call.Method);
        Assert.Equal("/2/dm_conversations/with/4455667788/messages", call.Path);
        Assert.Equal(FakeX.AccessToken, call.BearerToken);
        Assert.Equal(Acknowledgement().Text, call.Text);
        Assert.Single(call.Json.EnumerateObject());
        Assert.Matches("^[0-9]+$", result.ProviderMessageId);
    }

    [Fact]
    public async Task A_base_url_with_a_trailing_path_keeps_it()
    {
        var settings = rig.Configured();
        settings["X:BaseUrl"] = X.BaseUrl + "sandbox/";
        var sender = await SenderAsync(settings);

        var result = await sender.SendAsync(Acknowledgement(), Cancellation);

        Assert.Equal(OutboundStatus.Failed, result.Status);
        Assert.Equal("/sandbox/2/dm_conversations/with/4455667788/messages", Assert.Single(X.Requests).Path);
    }

    [Fact]
    public async Task A_long_text_is_cut_to_ten_thousand_characters_without_splitting_a_character()
    {
        var sender = await SenderAsync();

        await sender.SendAsync(Acknowledgement() with { Text = new string('a', 9_999) + "😀 and more" }, Cancellation);

        Assert.Equal(new string('a', 9_999), Assert.Single(X.Sends).Text);
    }

    [Fact]
    public async Task A_rate_limit_with_a_short_retry_after_is_waited_out_once_and_then_sent()
    {
        var sender = await SenderAsync();
        X.RespondNextWith(429);

        var result = await sender.SendAsync(Acknowledgement(), Cancellation);

        Assert.Equal(OutboundStatus.Sent, result.Status);
        Assert.Equal([429, 201], X.Requests.Select(r => r.Status));
    }

    [Fact]
    public void How_long_to_wait_comes_from_retry_after_else_the_rate_limit_reset()
    {
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
        Assert.Null(XReplySender.RetryAfter(response.Headers, now));

        response.Headers.Add("x-rate-limit-reset", now.AddSeconds(90).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture));
        Assert.Equal(TimeSpan.FromSeconds(90), XReplySender.RetryAfter(response.Headers, now));

        response.Headers.RetryAfter = new RetryConditionHeaderValue(TimeSpan.FromSeconds(1));
        Assert.Equal(TimeSpan.FromSeconds(1), XReplySender.RetryAfter(response.Headers, now));

        response.Headers.RetryAfter = new RetryConditionHeaderValue(now.AddSeconds(-5));
        Assert.Equal(TimeSpan.Zero, XReplySender.RetryAfter(response.Headers, now));
    }
}
