using Intake.Texts;

namespace Intake.Tickets;

/// <summary>
/// The language a new ticket is answered in. A language the customer chose wins. Otherwise what triage read, except that
/// a client's language setting (Telegram's <c>language_code</c>, the browser's, the page's) decides when triage could not
/// tell, or when the text is short (under <see cref="ShortWords"/> words) and its script does not contradict the
/// setting: "ok", "help" or "hola" read as English or Spanish from a customer whose app is in Turkish is Turkish, but a
/// short Cyrillic, Hangul, kana or Han text keeps the language its script shows.
/// </summary>
public static class TicketLanguage
{
    /// <summary>
    /// Below this many words (two Han or kana characters count as one) a text is too short to tell Latin languages apart:
    /// "hi", "help me", "hola" say nothing of the writer's language; "my withdrawal is stuck" does.
    /// </summary>
    public const int ShortWords = 3;

    public static string Choose(string detected, string text, string? hint, string? chosen)
    {
        ArgumentNullException.ThrowIfNull(detected);
        if (CustomerTexts.Normalize(chosen) is var choice && choice != "und")
        {
            return choice;
        }

        var setting = CustomerTexts.Normalize(hint);
        if (setting == "und")
        {
            return detected;
        }

        if (detected == "und")
        {
            return setting;
        }

        return IsShort(text ?? "") && !ScriptContradicts(detected, setting) ? setting : detected;
    }

    /// <summary>Whether the text has fewer than <see cref="ShortWords"/> words.</summary>
    public static bool IsShort(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var words = 0.0;
        var inWord = false;
        foreach (var c in text)
        {
            if (IsIdeographic(c))
            {
                words += 0.5;
                inWord = false;
            }
            else if (char.IsLetter(c))
            {
                words += inWord ? 0 : 1;
                inWord = true;
            }
            else
            {
                inWord = char.IsLetterOrDigit(c) && inWord;
            }

            if (words >= ShortWords)
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>A script other than Latin tells its language; Latin is written by customers of every language.</summary>
    private static bool ScriptContradicts(string detected, string setting) => Family(detected) is not "latin" && Family(detected) != Family(setting);

    private static string Family(string language) => language switch
    {
        "ru" => "cyrillic",
        "ko" => "hangul",
        "zh-Hans" or "zh-Hant" or "ja" => "cjk",
        _ => "latin",
    };

    private static bool IsIdeographic(char c) => c is (>= '\u3040' and <= '\u30FF') or (>= '\u3400' and <= '\u9FFF') or (>= '\uF900' and <= '\uFAFF');
}
