using Intake.Channels.Telegram;
using Intake.Tests.Fakes;

namespace Intake.Tests.Channels.Telegram;

/// <summary><c>telegram set-webhook</c> against the fake Bot API.</summary>
public sealed class TelegramCommandTests : IAsyncLifetime
{
    private const string Secret = "webhook-secret_0123456789";

    private readonly FakeTelegram telegram = new();
    private readonly StringWriter output = new();
    private readonly StringWriter error = new();

    private static CancellationToken Cancellation => TestContext.Current.CancellationToken;

    public async ValueTask InitializeAsync() => await telegram.StartAsync(Cancellation);

    public async ValueTask DisposeAsync()
    {
        await telegram.DisposeAsync();
        output.Dispose();
        error.Dispose();
    }

    private string[] Configuration(string? botToken = FakeTelegram.BotToken, string? secret = Secret) =>
    [
        $"--Telegram:BaseUrl={telegram.BaseUrl}",
        $"--Telegram:BotToken={botToken}",
        $"--Telegram:SecretToken={secret}",
    ];

    private Task<int> RunAsync(params string[] args) => TelegramCommand.RunAsync(args, output, error, Cancellation);

    [Theory]
    [InlineData("https://support.exchange.example")]
    [InlineData("https://support.exchange.example/")]
    public async Task Set_webhook_registers_our_url_the_secret_and_the_updates_we_handle(string url)
    {
        var exitCode = await RunAsync(["set-webhook", "--url", url, .. Configuration()]);

        Assert.Equal(0, exitCode);
        var call = Assert.Single(telegram.Calls("setWebhook"));
        Assert.Equal(FakeTelegram.BotToken, call.Token);
        Assert.Equal("https://support.exchange.example/api/intake/telegram", call.Json.GetProperty("url").GetString());
        Assert.Equal(Secret, call.Json.GetProperty("secret_token").GetString());
        Assert.Equal(["message", "edited_message", "callback_query"], call.Json.GetProperty("allowed_updates").EnumerateArray().Select(e => e.GetString()));
        var line = Assert.Single(output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains("https://support.exchange.example/api/intake/telegram", line, StringComparison.Ordinal);
        Assert.DoesNotContain(Secret, output.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(FakeTelegram.BotToken, output.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("http://support.exchange.example")]
    [InlineData("support.exchange.example")]
    [InlineData("https://support.exchange.example/?a=1")]
    public async Task A_missing_or_non_https_url_is_a_usage_error(string? url)
    {
        string[] args = url is null ? ["set-webhook", .. Configuration()] : ["set-webhook", "--url", url, .. Configuration()];

        var exitCode = await RunAsync(args);

        Assert.Equal(2, exitCode);
        Assert.Contains("https", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(telegram.Requests);
    }

    [Theory]
    [InlineData("", Secret)]
    [InlineData(FakeTelegram.BotToken, "")]
    public async Task Without_a_bot_token_and_a_secret_token_nothing_is_registered(string botToken, string secret)
    {
        var exitCode = await RunAsync(["set-webhook", "--url", "https://support.exchange.example", .. Configuration(botToken, secret)]);

        Assert.Equal(1, exitCode);
        Assert.Contains("Telegram:BotToken and Telegram:SecretToken", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(telegram.Requests);
    }

    [Fact]
    public async Task A_bad_secret_token_is_refused_without_quoting_it()
    {
        var exitCode = await RunAsync(["set-webhook", "--url", "https://support.exchange.example", .. Configuration(secret: "has spaces and !")]);

        Assert.Equal(1, exitCode);
        Assert.Contains("Telegram:SecretToken", error.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain("has spaces and !", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(telegram.Requests);
    }

    [Fact]
    public async Task A_refusal_from_telegram_exits_non_zero()
    {
        telegram.RespondNextWith(400, "Bad Request: bad webhook: Failed to resolve host");

        var exitCode = await RunAsync(["set-webhook", "--url=https://support.exchange.example", .. Configuration()]);

        Assert.Equal(1, exitCode);
        Assert.Contains("bad webhook", error.ToString(), StringComparison.Ordinal);
        Assert.Empty(output.ToString());
    }

    [Fact]
    public async Task An_unknown_subcommand_is_a_usage_error()
    {
        Assert.Equal(2, await RunAsync("get-webhook"));
        Assert.Contains("usage: telegram set-webhook", error.ToString(), StringComparison.Ordinal);
    }
}
