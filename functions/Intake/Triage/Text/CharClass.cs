using System.Buffers;

namespace Intake.Triage.Text;

[Flags]
internal enum CharKind : byte
{
    None = 0,
    Latin = 1,
    Cyrillic = 2,
    OtherAlphabetic = 4,
    Digit = 8,
    Han = 16,
    Kana = 32,
    Hangul = 64,
    Mark = 128,

    /// <summary>Characters that make up space-separated words; phrase boundaries are checked against these.</summary>
    Word = Latin | Cyrillic | OtherAlphabetic | Digit | Mark,
    Cjk = Han | Kana | Hangul,
    Letter = Latin | Cyrillic | OtherAlphabetic | Han | Kana | Hangul,
}

/// <summary>A table of every UTF-16 code unit's script, built once, so the scanners never call into globalization on the hot path.</summary>
internal static class CharClass
{
    private static readonly CharKind[] Table = Build();

    public static CharKind Of(char c) => Table[c];

    public static bool IsWord(char c) => (Table[c] & CharKind.Word) != 0;

    public static bool IsHan(char c) => (Table[c] & CharKind.Han) != 0;

    public static bool IsCjk(char c) => (Table[c] & CharKind.Cjk) != 0;

    public static bool IsAsciiAlphanumeric(char c) => char.IsAsciiLetterOrDigit(c);

    /// <summary>Characters with no width that pastes leave between or inside words: soft hyphen, zero-width space and (non-)joiner, word joiner, BOM.</summary>
    public static readonly SearchValues<char> ZeroWidth = SearchValues.Create("\u00AD\u180E\u200B\u200C\u200D\u2060\u2061\u2062\u2063\u2064\uFEFF");

    public static bool IsZeroWidth(char c) => c >= '\u00AD' && c is '\u00AD' or '\u180E' or >= '\u200B' and <= '\u200D' or >= '\u2060' and <= '\u2064' or '\uFEFF';

    private static CharKind[] Build()
    {
        var table = new CharKind[char.MaxValue + 1];
        for (var i = 0; i <= char.MaxValue; i++)
        {
            var c = (char)i;
            table[i] = Classify(c);
        }

        return table;
    }

    private static CharKind Classify(char c)
    {
        if (char.IsSurrogate(c))
        {
            return CharKind.None;
        }

        if (c is >= '\u4E00' and <= '\u9FFF' or >= '\u3400' and <= '\u4DBF' or >= '\uF900' and <= '\uFAFF' or '\u3007')
        {
            return CharKind.Han;
        }

        // Hiragana, katakana, the prolonged sound mark and halfwidth katakana; not the combining (han)dakuten U+3099 and
        // U+309A, which decomposed text (NFD/NFKD, as some wallets copy a Japanese phrase) puts after a kana: marks.
        if (c is (>= '\u3041' and <= '\u30FF' or >= '\u31F0' and <= '\u31FF' or >= '\uFF66' and <= '\uFF9F') and not ('\u3099' or '\u309A'))
        {
            return CharKind.Kana;
        }

        if (c is >= '\uAC00' and <= '\uD7AF' or >= '\u1100' and <= '\u11FF' or >= '\u3130' and <= '\u318F')
        {
            return CharKind.Hangul;
        }

        switch (char.GetUnicodeCategory(c))
        {
            case System.Globalization.UnicodeCategory.DecimalDigitNumber:
                return CharKind.Digit;
            case System.Globalization.UnicodeCategory.NonSpacingMark:
            case System.Globalization.UnicodeCategory.SpacingCombiningMark:
                return CharKind.Mark;
            case System.Globalization.UnicodeCategory.UppercaseLetter:
            case System.Globalization.UnicodeCategory.LowercaseLetter:
            case System.Globalization.UnicodeCategory.TitlecaseLetter:
            case System.Globalization.UnicodeCategory.ModifierLetter:
            case System.Globalization.UnicodeCategory.OtherLetter:
                if (c <= '\u024F' || c is >= '\u1E00' and <= '\u1EFF' || c is >= '\uFF21' and <= '\uFF5A')
                {
                    return CharKind.Latin;
                }

                return c is >= '\u0400' and <= '\u052F' ? CharKind.Cyrillic : CharKind.OtherAlphabetic;
            default:
                return CharKind.None;
        }
    }
}
