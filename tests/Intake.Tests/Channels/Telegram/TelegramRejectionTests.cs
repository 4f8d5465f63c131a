using System.Net;
using System.Net.Http.Json;
using System.Text;
using Intake.Tests.Fakes;
using Intake.Tests.Integration;
using Microsoft.AspNetCore.Mvc;
using static Intake.Tests.Channels.Telegram.TelegramFixtures;

namespace Intake.Tests.Channels.Telegram;

/// <summary>What the webhook refuses, and what it accepts without storing anything: never a 500, never a ticket.</summary>
public sealed class TelegramRejectionTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Secret = "webhook-secret_0123456789";
    private static readonly Uri Webhook = new("/api/intake/telegram", UriKind.Relative);

    private readonly FakeTelegram telegram = new();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await telegram.StartAsync(Cancellation);

    public async ValueTask DisposeAsync() => await telegram.DisposeAsync();

    private static async Task<(HttpStatusCode Status, ProblemDetails? Problem)> PostAsync(HttpClient client, HttpContent content, string? secret = Secret)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, Webhook) { Content = content };
        if (secret is not null)
        {
            request.Headers.Add("X-Telegram-Bot-Api-Secret-Token", secret);
        }

        using var response = await client.SendAsync(request, Cancellation);
        var problem = response.Content.Headers.ContentType?.MediaType == "application/problem+json"
            ? await response.Content.ReadFromJsonAsync<ProblemDetails>(Cancellation)
            : null;
        return (response.StatusCode, problem);
    }

    private static StringContent Json(string body) => new(body, Encoding.UTF8, "application/json");

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("wrong-secret")]
    [InlineData(Secret + "x")]
    [InlineData("WEBHOOK-SECRET_0123456789")]
    public async Task A_forged_or_missing_secret_token_gets_401_and_nothing_is_stored(string? secret)
    {
        await using var host = await IntakeHost.StartAsync(azurite, telegram.Settings(Secret));
        using var client = host.CreateClient();

        var (status, problem) = await PostAsync(client, Json(Text(7001, "my withdrawal is stuck")), secret);

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(401, problem?.Status);
        Assert.Equal(0, await host.CountTicketsAsync());
        await Task.Delay(300, Cancellation);
        Assert.Empty(telegram.Requests);
    }

    [Theory]
    [InlineData(false, false)]
    [InlineData(true, false)]
    [InlineData(false, true)]
    public async Task Without_both_bot_token_and_secret_token_the_channel_is_off(bool botToken, bool secretToken)
    {
        var settings = telegram.Settings(Secret);
        if (!botToken)
        {
            settings["Telegram:BotToken"] = "";
        }

        if (!secretToken)
        {
            settings["Telegram:SecretToken"] = "";
        }

        await using var host = await IntakeHost.StartAsync(azurite, settings);
        using var client = host.CreateClient();

        var (status, problem) = await PostAsync(client, Json(Text(7101, "my withdrawal is stuck")));

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Equal(404, problem?.Status);
        Assert.Equal(0, await host.CountTicketsAsync());
    }

    [Theory]
    [InlineData("{")]
    [InlineData("not json")]
    [InlineData("")]
    [InlineData("[]")]
    [InlineData("{}")]
    [InlineData("null")]
    [InlineData("""{"update_id":"seven"}""")]
    [InlineData("""{"update_id":-5,"message":{"message_id":1,"date":0,"chat":{"id":1,"type":"private"},"text":"hi"}}""")]
    [InlineData("""{"update_id":7,"message":"text"}""")]
    [InlineData("""{"update_id":7,"message":{"message_id":1,"date":99999999999999999999,"chat":{"id":1,"type":"private"},"text":"hi"}}""")]
    [InlineData("""{"update_id":7,"message":{"message_id":1,"date":0,"chat":{"id":1,"type":"private"},"text":"hi","from":{"id":"x"}}}""")]
    public async Task A_body_that_is_not_an_update_gets_400_and_nothing_is_stored(string body)
    {
        await using var host = await IntakeHost.StartAsync(azurite, telegram.Settings(Secret));
        using var client = host.CreateClient();

        var (status, problem) = await PostAsync(client, Json(body));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Equal(400, problem?.Status);
        Assert.Equal(0, await host.CountTicketsAsync());
    }

    [Fact]
    public async Task A_body_over_one_megabyte_gets_413()
    {
        await using var host = await IntakeHost.StartAsync(azurite, telegram.Settings(Secret));
        using var client = host.CreateClient();

        var (status, problem) = await PostAsync(client, Json(Text(7301, new string('a', 1024 * 1024))));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Equal(413, problem?.Status);
        Assert.Equal(0, await host.CountTicketsAsync());
    }

    [Theory]
    [InlineData("""{"update_id":7401,"poll":{"id":"1","question":"?","options":[],"total_voter_count":0,"is_closed":false,"is_anonymous":true,"type":"regular","allows_multiple_answers":false}}""")]
    [InlineData("""{"update_id":7402,"message":{"message_id":1,"date":0,"chat":{"id":5,"type":"private"},"from":{"id":5,"is_bot":false,"first_name":"A"},"new_chat_members":[{"id":6,"is_bot":false,"first_name":"B"}]}}""")]
    [InlineData("""{"update_id":7403,"message":{"message_id":1,"date":0,"chat":{"id":5,"type":"private"},"text":"sent by nobody"}}""")]
    [InlineData("""{"update_id":7404,"channel_post":{"message_id":1,"date":0,"chat":{"id":-1005,"type":"channel","title":"News"},"text":"hello"}}""")]
    [InlineData("""{"update_id":7405,"message":{"message_id":1,"date":0,"chat":{"id":-1005,"type":"channel","title":"News"},"from":{"id":5,"is_bot":false,"first_name":"A"},"text":"hello"}}""")]
    [InlineData("""{"update_id":7406,"message":{"message_id":1,"date":0,"chat":{"id":5,"type":"private"},"from":{"id":5,"is_bot":false,"first_name":"A"},"text":"   "}}""")]
    public async Task An_update_we_do_not_handle_gets_200_and_nothing_is_stored(string body)
    {
        await using var host = await IntakeHost.StartAsync(azurite, telegram.Settings(Secret));
        using var client = host.CreateClient();

        var (status, _) = await PostAsync(client, Json(body));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(0, await host.CountTicketsAsync());
        Assert.Empty(telegram.Requests);
    }
}
