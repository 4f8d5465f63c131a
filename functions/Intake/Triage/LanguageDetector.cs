using Intake.Triage.Text;

namespace Intake.Triage;

/// <summary>
/// Script first (Han, kana, Hangul, Cyrillic, Latin, counted over the text that is neither a secret nor an entity),
/// then, within Chinese, simplified against traditional characters, and within Latin and Cyrillic, the everyday
/// words and letters of each language.
/// </summary>
internal sealed class LanguageDetector(CompiledRules rules, ChineseScript chinese)
{
    public const string Undetermined = "und";

    /// <param name="cueScores">Per language, the weight of its words found in the text; letters are added here.</param>
    public string Detect(string text, List<SecretSpan> secrets, List<EntitySpan> entities, Span<int> cueScores, out string rule)
    {
        int han = 0, kana = 0, hangulWords = 0, latinWords = 0, cyrillicWords = 0, simplified = 0, traditional = 0;
        var previous = CharKind.None;
        var i = 0;
        while (i < text.Length)
        {
            var skip = ExcludedEnd(i, secrets, entities);
            if (skip > i)
            {
                i = skip;
                previous = CharKind.None;
                continue;
            }

            var c = text[i];
            var kind = CharClass.Of(c);
            var cue = rules.CharCue[c];
            if (cue != 0)
            {
                cueScores[cue - 1] += rules.Languages[cue - 1].CharWeight;
            }

            switch (kind)
            {
                case CharKind.Han:
                    han++;
                    simplified += chinese.IsSimplifiedOnly(c) ? 1 : 0;
                    traditional += chinese.IsTraditionalOnly(c) ? 1 : 0;
                    break;
                case CharKind.Kana:
                    kana++;
                    break;
                case CharKind.Hangul when previous != CharKind.Hangul:
                    hangulWords++;
                    break;
                case CharKind.Latin when previous is not (CharKind.Latin or CharKind.Mark or CharKind.Digit):
                    latinWords += StartsWord(text, i) ? 1 : 0;
                    break;
                case CharKind.Cyrillic when previous is not (CharKind.Cyrillic or CharKind.Mark):
                    cyrillicWords++;
                    break;
                default:
                    break;
            }

            previous = kind == CharKind.Mark ? previous : kind;
            i++;
        }

        var cjk = han + kana;
        var most = Math.Max(Math.Max(cjk, hangulWords), Math.Max(latinWords, cyrillicWords));
        if (most == 0)
        {
            rule = "language.none";
            return Undetermined;
        }

        if (cjk == most)
        {
            rule = "language.script.cjk";
            if (kana > 0 && kana >= rules.KanaShare * cjk)
            {
                return "ja";
            }

            return traditional > simplified ? "zh-Hant" : "zh-Hans";
        }

        if (hangulWords == most)
        {
            rule = "language.script.hangul";
            return "ko";
        }

        rule = "language.words";
        var script = cyrillicWords == most ? "cyrillic" : "latin";
        var best = -1;
        for (var lang = 0; lang < rules.Languages.Length; lang++)
        {
            if (rules.Languages[lang].Script == script && cueScores[lang] > 0 && (best < 0 || cueScores[lang] > cueScores[best]))
            {
                best = lang;
            }
        }

        if (best < 0)
        {
            // Cyrillic without any cue is still most likely Russian among the languages we serve; Latin is not.
            return script == "cyrillic" ? "ru" : Undetermined;
        }

        return rules.Languages[best].Supported ? rules.Languages[best].Tag : Undetermined;
    }

    /// <summary>A Latin word that is not part of a code like "TRC20" or "0x…".</summary>
    private static bool StartsWord(string text, int start)
    {
        var end = start;
        while (end < text.Length && (CharClass.Of(text[end]) & (CharKind.Latin | CharKind.Mark)) != 0)
        {
            end++;
        }

        return end >= text.Length || !char.IsAsciiDigit(text[end]);
    }

    private static int ExcludedEnd(int position, List<SecretSpan> secrets, List<EntitySpan> entities)
    {
        foreach (var span in secrets)
        {
            if (position >= span.Start && position < span.End)
            {
                return span.End;
            }
        }

        foreach (var span in entities)
        {
            if (position >= span.Start && position < span.End)
            {
                return span.End;
            }
        }

        return position;
    }
}
