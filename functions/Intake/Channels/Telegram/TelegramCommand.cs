using System.ComponentModel.DataAnnotations;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Telegram.Bot;
using Telegram.Bot.Exceptions;
using Telegram.Bot.Types.Enums;

namespace Intake.Channels.Telegram;

/// <summary>
/// <c>telegram set-webhook --url https://public.example</c>: registers <c>{url}/api/intake/telegram</c> as the bot's
/// webhook with the secret token and the update kinds the channel handles. Reads the server's own configuration
/// (appsettings, user secrets in Development, environment, and any further <c>--Telegram:Key=value</c> arguments).
/// Prints one line; never the token or the secret.
/// </summary>
public static class TelegramCommand
{
    public const string WebhookPath = "/api/intake/telegram";

    public static IReadOnlyList<UpdateType> AllowedUpdates { get; } = [UpdateType.Message, UpdateType.EditedMessage, UpdateType.CallbackQuery];

    private const string Usage = "usage: telegram set-webhook --url https://<public address> [--Telegram:BotToken=... --Telegram:SecretToken=...]";

    /// <returns>0 when Telegram accepted the webhook, 1 when it could not be set, 2 for a usage error.</returns>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args is not ["set-webhook", .. var rest])
        {
            await error.WriteLineAsync(Usage).ConfigureAwait(false);
            return 2;
        }

        var (url, configurationArgs) = SplitUrl(rest);
        if (WebhookUrl(url) is not { } webhook)
        {
            await error.WriteLineAsync($"--url must be the absolute https address where Telegram reaches this server. {Usage}").ConfigureAwait(false);
            return 2;
        }

        var settings = new TelegramOptions();
        WebApplication.CreateBuilder(new WebApplicationOptions { Args = configurationArgs }).Configuration.GetSection(TelegramOptions.Section).Bind(settings);
        var problems = new List<ValidationResult>();
        if (!Validator.TryValidateObject(settings, new ValidationContext(settings), problems, validateAllProperties: true))
        {
            await error.WriteLineAsync(string.Join(' ', problems.Select(p => p.ErrorMessage))).ConfigureAwait(false);
            return 1;
        }

        if (!settings.IsWebhookConfigured)
        {
            await error.WriteLineAsync($"The bot is not configured: set {TelegramOptions.Section}:{nameof(TelegramOptions.BotToken)} and {TelegramOptions.Section}:{nameof(TelegramOptions.SecretToken)}.")
                .ConfigureAwait(false);
            return 1;
        }

        using var http = new HttpClient { Timeout = TelegramBots.Timeout };
        var bot = TelegramBots.Create(settings, http)!;
        try
        {
            await bot.SetWebhook(webhook.AbsoluteUri, secretToken: settings.SecretToken, allowedUpdates: AllowedUpdates, cancellationToken: cancellationToken)
                .ConfigureAwait(false);
        }
        catch (ApiRequestException ex)
        {
            await error.WriteLineAsync($"Telegram refused the webhook ({ex.ErrorCode}): {ex.Message}").ConfigureAwait(false);
            return 1;
        }
        catch (Exception ex) when (ex is RequestException or HttpRequestException || (ex is OperationCanceledException && !cancellationToken.IsCancellationRequested))
        {
            await error.WriteLineAsync($"Could not reach Telegram at {settings.BaseUrl}: {ex.Message}").ConfigureAwait(false);
            return 1;
        }

        await output.WriteLineAsync($"Webhook set to {webhook.AbsoluteUri} for {string.Join(", ", AllowedUpdates)} updates.").ConfigureAwait(false);
        return 0;
    }

    /// <summary><c>{url}/api/intake/telegram</c>, or null unless <paramref name="url"/> is an absolute https URL.</summary>
    internal static Uri? WebhookUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var parsed) && parsed.Scheme == Uri.UriSchemeHttps && string.IsNullOrEmpty(parsed.Query) && string.IsNullOrEmpty(parsed.Fragment)
            ? new Uri(parsed.GetLeftPart(UriPartial.Path).TrimEnd('/') + WebhookPath)
            : null;

    private static (string? Url, string[] Others) SplitUrl(string[] args)
    {
        string? url = null;
        var rest = new List<string>();
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--url" && i + 1 < args.Length)
            {
                url = args[++i];
            }
            else if (args[i].StartsWith("--url=", StringComparison.Ordinal))
            {
                url = args[i]["--url=".Length..];
            }
            else
            {
                rest.Add(args[i]);
            }
        }

        return (url, [.. rest]);
    }
}
