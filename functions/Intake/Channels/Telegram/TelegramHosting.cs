using Intake.Replies;
using Intake.Replies.Telegram;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Intake.Channels.Telegram;

public static class TelegramHosting
{
    /// <summary>
    /// The Telegram channel: <see cref="TelegramOptions"/> (validated at start-up), the <c>Telegram</c> HttpClient, the
    /// webhook's handler, and the reply sender as one of the <see cref="IReplySender"/>s.
    /// </summary>
    public static IHostApplicationBuilder AddTelegramChannel(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<TelegramOptions>()
            .BindConfiguration(TelegramOptions.Section)
            .ValidateDataAnnotations()
            .ValidateOnStart();

        // The Bot API puts the token in every URL, and HttpClient's request logging writes URLs out: no loggers at all.
        builder.Services.AddHttpClient(TelegramBots.HttpClientName, client => client.Timeout = TelegramBots.Timeout)
            .RemoveAllLoggers();

        builder.Services.AddSingleton<TelegramBots>();
        builder.Services.AddSingleton<TelegramWebhook>();
        builder.Services.AddSingleton<IReplySender, TelegramReplySender>();
        return builder;
    }
}
