using Intake.Texts;
using Intake.Tickets;

namespace Intake.Channels.Telegram;

/// <summary>The answer to <c>/start</c>: what to do next, and the warning that support never asks for secrets. No ticket.</summary>
public static class TelegramGreeting
{
    /// <summary>The language of the client's <c>language_code</c> when Intake speaks it (zh-TW, zh-HK read traditional); English otherwise.</summary>
    public static string LanguageOf(string? languageCode) =>
        Languages.Normalize(languageCode) is var language && CustomerTexts.Speaks(language) ? language : "en";

    public static string Text(string language) => CustomerTexts.For(language)["Telegram.Greeting"];
}
