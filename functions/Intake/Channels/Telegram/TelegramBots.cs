using Microsoft.Extensions.Options;
using Telegram.Bot;

namespace Intake.Channels.Telegram;

/// <summary>
/// Makes the Telegram.Bot client for each use, on a fresh HttpClient from the factory (pooled handlers) and the current
/// options. The library's own retry of "429 retry after N" is turned off: the queue's redelivery is the retry policy,
/// and a worker slot should not sleep on a throttled chat.
/// </summary>
public sealed class TelegramBots(IHttpClientFactory httpClients, IOptionsMonitor<TelegramOptions> options)
{
    /// <summary>The named HttpClient. Its request logging is removed: every Bot API URL carries the token.</summary>
    public const string HttpClientName = "Telegram";

    /// <summary>How long one Bot API call may take before it counts as failed.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    /// <summary>The client, or null without a bot token.</summary>
    public ITelegramBotClient? Create() => Create(options.CurrentValue, httpClients.CreateClient(HttpClientName));

    internal static TelegramBotClient? Create(TelegramOptions settings, HttpClient http) =>
        settings.HasBotToken
            ? new TelegramBotClient(new TelegramBotClientOptions(settings.BotToken!, settings.BaseUrl.AbsoluteUri.TrimEnd('/')) { RetryThreshold = 0 }, http)
            : null;
}
