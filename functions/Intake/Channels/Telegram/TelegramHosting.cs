using Intake.Outbound;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
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

    /// <summary>The bot's webhook (<c>POST /api/intake/telegram</c>); <paramref name="api"/> is the <c>/api</c> group.</summary>
    public static IEndpointRouteBuilder MapTelegram(this IEndpointRouteBuilder api)
    {
        // JSON authenticated by its secret-token header, with no cookie for a forged post to ride on: nothing for antiforgery to protect.
        api.MapPost("/intake/telegram", TelegramEndpoints.ReceiveAsync).DisableAntiforgery();
        return api;
    }
}
