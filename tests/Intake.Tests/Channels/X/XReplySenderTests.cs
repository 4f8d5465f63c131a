using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using Intake.Channels.X;
using Intake.Outbound;
using Intake.Tests.Fakes;
using Intake.Tickets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Intake.Tests.Channels.X;

/// <summary>The X sender over real HTTP against the in-process fake X API.</summary>
public sealed class XReplySenderTests : IAsyncLifetime
{
    private const string AckText = "We opened ticket T-ABC234. Support never asks for your recovery phrase.";

    private readonly FakeX x = new();
    private readonly List<IHost> hosts = [];
    private readonly CapturedLogs logs = new();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await x.StartAsync(Cancellation);

    public async ValueTask DisposeAsync()
    {
        foreach (var host in hosts)
        {
            host.Dispose();
        }

        await x.DisposeAsync();
    }

    private static OutboundReply Acknowledgement(string userId = "4455667788", string text = AckText) => new(
        TicketId: "01JABCDEF0123456789ABCDEFG",
        Reference: "T-ABC234",
        Contact: new Contact("x", userId, "Ada"),
        Language: "en",
        Kind: "acknowledgement",
        Subject: "[T-ABC234] We have received your message",
        Text: text,
        Automatic: true,
        InReplyTo: "1630000000000000001");

    private Dictionary<string, string?> Configured() => new()
    {
        ["X:BaseUrl"] = x.BaseUrl.ToString(),
        ["X:AccessToken"] = FakeX.AccessToken,
    };

    private async Task<IReplySender> SenderAsync(Dictionary<string, string?> settings)
    {
        var builder = Host.CreateEmptyApplicationBuilder(new HostApplicationBuilderSettings());
        builder.Configuration.AddInMemoryCollection(settings);
        builder.Logging.SetMinimumLevel(LogLevel.Trace).AddProvider(logs);
        builder.AddXChannel();
        var host = builder.Build();
        hosts.Add(host);
        await host.StartAsync(Cancellation);
        return Assert.Single(host.Services.GetServices<IReplySender>(), sender => sender.Channel == "x");
    }

    [Fact]
    public async Task A_reply_is_a_direct_message_to_the_customer_with_the_bearer_token_and_keeps_the_event_id()
    {
        var sender = await SenderAsync(Configured());

        var result = await sender.SendAsync(Acknowledgement(), Cancellation);

        Assert.Equal(OutboundStatus.Sent, result.Status);
        var call = Assert.Single(x.Requests);
        Assert.Equal("POST", call.Method);
        Assert.Equal("/2/dm_conversations/with/4455667788/messages", call.Path);
        Assert.Equal(FakeX.AccessToken, call.BearerToken);
        Assert.Equal(AckText, call.Text);
        Assert.Single(call.Json.EnumerateObject());
        Assert.Matches("^[0-9]+$", result.ProviderMessageId);
    }

    [Fact]
    public async Task A_base_url_with_a_trailing_path_keeps_it()
    {
        var settings = Configured();
        settings["X:BaseUrl"] = x.BaseUrl + "sandbox/";
        var sender = await SenderAsync(settings);

        var result = await sender.SendAsync(Acknowledgement(), Cancellation);

        Assert.Equal(OutboundStatus.Failed, result.Status);
        Assert.Equal("/sandbox/2/dm_conversations/with/4455667788/messages", Assert.Single(x.Requests).Path);
    }

    [Fact]
    public async Task A_long_text_is_cut_to_ten_thousand_characters_without_splitting_a_character()
    {
        var sender = await SenderAsync(Configured());

        await sender.SendAsync(Acknowledgement(text: new string('a', 9_999) + "😀 and more"), Cancellation);

        Assert.Equal(new string('a', 9_999), Assert.Single(x.Sends).Text);
    }

    [Fact]
    public async Task Without_an_access_token_nothing_is_sent()
    {
        var sender = await SenderAsync(new() { ["X:BaseUrl"] = x.BaseUrl.ToString(), ["X:ConsumerSecret"] = "secret" });

        var result = await sender.SendAsync(Acknowledgement(), Cancellation);

        Assert.Equal(OutboundStatus.NotConfigured, result.Status);
        Assert.Empty(x.Requests);
    }

    [Theory]
    [InlineData("ada@example.com", AckText)]
    [InlineData("../../2/users/me", AckText)]
    [InlineData("", AckText)]
    [InlineData("4455667788", " ")]
    public async Task A_contact_without_a_user_id_or_a_reply_without_text_fails_without_a_request(string userId, string text)
    {
        var sender = await SenderAsync(Configured());

        var result = await sender.SendAsync(Acknowledgement(userId, text), Cancellation);

        Assert.Equal(OutboundStatus.Failed, result.Status);
        Assert.Empty(x.Requests);
    }

    [Theory]
    [InlineData(403)]
    [InlineData(400)]
    [InlineData(404)]
    public async Task A_refusal_is_a_failure_with_the_status_code_and_never_the_answer(int status)
    {
        var sender = await SenderAsync(Configured());
        x.RespondNextWith(status);

        var result = await sender.SendAsync(Acknowledgement(), Cancellation);

        Assert.Equal(OutboundStatus.Failed, result.Status);
        Assert.Contains(status.ToString(CultureInfo.InvariantCulture), result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("You sent", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain(logs.Lines, line => line.Contains("You sent", StringComparison.Ordinal));
        Assert.Single(x.Requests);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(503)]
    [InlineData(408)]
    public async Task A_server_error_throws_at_once_so_the_queue_retries(int status)
    {
        var sender = await SenderAsync(Configured());
        x.RespondNextWith(status);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => sender.SendAsync(Acknowledgement(), Cancellation));

        Assert.Equal((HttpStatusCode)status, error.StatusCode);
        Assert.Single(x.Requests);
    }

    [Fact]
    public async Task A_rate_limit_with_a_short_retry_after_is_waited_out_once_and_then_sent()
    {
        var sender = await SenderAsync(Configured());
        x.RespondNextWith(429);

        var result = await sender.SendAsync(Acknowledgement(), Cancellation);

        Assert.Equal(OutboundStatus.Sent, result.Status);
        Assert.Equal([429, 201], x.Requests.Select(r => r.Status));
    }

    [Fact]
    public async Task A_rate_limit_that_persists_throws_so_the_queue_retries()
    {
        var sender = await SenderAsync(Configured());
        x.RespondNextWith(429, count: 3);

        var error = await Assert.ThrowsAsync<HttpRequestException>(() => sender.SendAsync(Acknowledgement(), Cancellation));

        Assert.Equal(HttpStatusCode.TooManyRequests, error.StatusCode);
        Assert.Equal(2, x.Requests.Count);
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
