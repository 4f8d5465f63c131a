using System.Buffers;
using System.Globalization;
using System.Text;
using Intake.Triage.Text;
using Intake.Triage.Validation;

namespace Intake.Triage;

/// <summary>
/// Finds recovery phrases: 12 or more consecutive words of one BIP-39 list. A run is a mnemonic when a window of
/// 12–24 words has a valid checksum, when the message calls something a recovery phrase, or when the run alone has
/// a mnemonic's length; in every case the words must not read like ordinary text (few everyday words, and for
/// Chinese few of the most frequent characters). Chinese counts with or without spaces between characters. Words may
/// stand apart the ways pastes set them apart (one a line behind bullets or numbers, in a table, quoted, with tabs or
/// zero-width spaces), and a zero-width character inside a word does not break it.
/// </summary>
internal sealed class MnemonicScanner(Bip39Wordlists lists)
{
    private const int MinimumWords = 12;
    private const int MaxGap = 16;
    private const char KatakanaMiddleDot = '\u30FB';
    private const int MaxChecksumTests = 512;
    private const int EverydayAverageRank = 450;
    private static readonly int[] WindowSizes = [24, 21, 18, 15, 12];

    // Bullets, dashes and the marks of quotes, lists and tables, ASCII and full-width.
    private static readonly SearchValues<char> ListMarks = SearchValues.Create(
        ",;|/-+*#>()[]\"'、，\u00B7\u2010\u2011\u2012\u2013\u2014\u2015\u2022\u2023\u2027\u2043\u2212\u2219\u25A0\u25AA\u25B8\u25BA\u25CF\u25E6\u30FB\uFF03\uFF08\uFF0A\uFF0B\uFF0C\uFF0D\uFF1B\uFF1E\uFF3B\uFF3D\uFF5C\uFF65\u3010\u3011");

    internal struct Token
    {
        public int Start;
        public int End;
        public int Entry;
        public char Han;
        public ushort Mask;
        public bool GapValid;
        public bool Spaced;
        public bool MayBeMistyped;
    }

    public void Scan(string text, ReadOnlySpan<char> folded, List<LabelMatch> labels, List<Token> tokens, List<SecretSpan> secrets)
    {
        var labelled = false;
        foreach (var label in labels)
        {
            labelled |= label.Kind == LabelKind.Mnemonic;
        }

        tokens.Clear();
        var anyMask = Tokenize(text, folded, tokens);
        if (anyMask == 0 || tokens.Count < MinimumWords)
        {
            return;
        }

        for (var list = 0; list < Bip39Wordlists.ListCount; list++)
        {
            var bit = (ushort)(1 << list);
            if ((anyMask & bit) != 0)
            {
                ScanList(text, list, bit, labelled ? labels : null, tokens, secrets);
            }
        }
    }

    private ushort Tokenize(string text, ReadOnlySpan<char> folded, List<Token> tokens)
    {
        ushort anyMask = 0;
        var previousEnd = -1;
        var i = 0;
        while (i < text.Length)
        {
            var kind = CharClass.Of(text[i]);
            if ((kind & (CharKind.Letter | CharKind.Mark)) == 0 || text[i] == KatakanaMiddleDot)
            {
                i++;
                continue;
            }

            if (AtLineStart(text, i) && NumberLabelEnd(text, i) is var labelEnd && labelEnd > i)
            {
                // "Word 1:", "Слово 1:", "単語1：" number the words of a paste as "1." does: not a word of the phrase.
                i = labelEnd;
                continue;
            }

            var token = new Token { Start = i, Entry = -1 };
            if (kind == CharKind.Han)
            {
                token.End = i + 1;
                token.Han = text[i];
                token.Mask = lists.HanMask(text[i]);
            }
            else
            {
                var script = kind == CharKind.Mark ? CharKind.Latin : kind;
                var j = i + 1;
                var hasMark = kind == CharKind.Mark;
                while (j < text.Length)
                {
                    var next = CharClass.Of(text[j]);
                    if (next == CharKind.Mark)
                    {
                        hasMark = true;
                    }
                    else if (next != script)
                    {
                        break;
                    }

                    j++;
                }

                if (script == CharKind.Kana && text.AsSpan(i, j - i).IndexOf(KatakanaMiddleDot) is > 0 and var dot)
                {
                    // "・" is a bullet between Japanese words, though it is written with the kana.
                    j = i + dot;
                }
                else if (j < text.Length && CharClass.IsZeroWidth(text[j]) && HiddenWordEnd(text, i, script) is var hidden && hidden > j)
                {
                    AddPieces(text, folded, i, hidden, tokens, ref previousEnd, ref anyMask);
                    i = hidden;
                    continue;
                }

                token.End = j;
                token.Entry = hasMark || HasJamo(text.AsSpan(i, j - i))
                    ? FindDecomposed(text.AsSpan(i, j - i))
                    : lists.Find(folded[i..j]);
                token.Mask = token.Entry >= 0 ? lists.MaskOf(token.Entry) : (ushort)0;
                token.MayBeMistyped = j - i >= 3 && j - i <= 12;
            }

            Add(text, tokens, token, ref previousEnd, ref anyMask);
            i = token.End;
        }

        return anyMask;
    }

    /// <summary>
    /// Where a word that zero-width characters run through ends: letters of one script and combining marks, and
    /// zero-width characters between two of them, which a paste leaves inside a word or between words.
    /// </summary>
    private static int HiddenWordEnd(string text, int start, CharKind script)
    {
        var j = start + 1;
        while (j < text.Length)
        {
            var c = text[j];
            var next = CharClass.Of(c);
            if ((next == script && c != KatakanaMiddleDot) || next == CharKind.Mark)
            {
                j++;
                continue;
            }

            if (!CharClass.IsZeroWidth(c))
            {
                break;
            }

            var k = j + 1;
            while (k < text.Length && k - j < MaxGap && CharClass.IsZeroWidth(text[k]))
            {
                k++;
            }

            if (k == text.Length || text[k] == KatakanaMiddleDot || (CharClass.Of(text[k]) != script && CharClass.Of(text[k]) != CharKind.Mark))
            {
                break;
            }

            j = k;
        }

        return j;
    }

    /// <summary>
    /// A stretch of letters that zero-width characters cut into pieces: from each piece on, the longest run of pieces
    /// that joins into a word of a list is one word ("aban&lt;ZWSP&gt;don"); a piece that starts none is a word alone,
    /// so that a zero-width character standing for a space separates ("abandon&lt;ZWSP&gt;ability").
    /// </summary>
    private void AddPieces(string text, ReadOnlySpan<char> folded, int start, int end, List<Token> tokens, ref int previousEnd, ref ushort anyMask)
    {
        var p = start;
        while (p < end)
        {
            var pieceEnd = NextPieceEnd(text, p, end);
            var wordEnd = pieceEnd;
            var wordEntry = FindHidden(text, folded, p, pieceEnd, out var letters);
            var wordLetters = letters;
            var q = pieceEnd;
            while (q < end)
            {
                var nextStart = q;
                while (nextStart < end && CharClass.IsZeroWidth(text[nextStart]))
                {
                    nextStart++;
                }

                q = NextPieceEnd(text, nextStart, end);
                var entry = FindHidden(text, folded, p, q, out letters);
                if (letters > lists.MaxWordLength)
                {
                    break;
                }

                if (entry >= 0)
                {
                    wordEnd = q;
                    wordEntry = entry;
                    wordLetters = letters;
                }
            }

            Add(text, tokens, WordToken(p, wordEnd, wordLetters, wordEntry), ref previousEnd, ref anyMask);
            p = wordEnd;
            while (p < end && CharClass.IsZeroWidth(text[p]))
            {
                p++;
            }
        }
    }

    private static int NextPieceEnd(string text, int from, int end)
    {
        var q = from;
        while (q < end && !CharClass.IsZeroWidth(text[q]))
        {
            q++;
        }

        return q;
    }

    /// <summary>The entry of the letters of [start, end) without the zero-width characters among them, or -1.</summary>
    private int FindHidden(string text, ReadOnlySpan<char> folded, int start, int end, out int letters)
    {
        letters = 0;
        if (end - start > 4 * lists.MaxWordLength)
        {
            letters = end - start;
            return -1;
        }

        Span<char> original = stackalloc char[end - start];
        Span<char> key = stackalloc char[end - start];
        var decomposed = false;
        for (var k = start; k < end; k++)
        {
            if (!CharClass.IsZeroWidth(text[k]))
            {
                decomposed |= CharClass.Of(text[k]) == CharKind.Mark || text[k] is >= '\u1100' and <= '\u11FF';
                original[letters] = text[k];
                key[letters++] = folded[k];
            }
        }

        return decomposed ? FindDecomposed(original[..letters]) : lists.Find(key[..letters]);
    }

    private Token WordToken(int start, int end, int letters, int entry) => new()
    {
        Start = start,
        End = end,
        Entry = entry,
        Mask = entry >= 0 ? lists.MaskOf(entry) : (ushort)0,
        MayBeMistyped = letters is >= 3 and <= 12,
    };

    private static void Add(string text, List<Token> tokens, Token token, ref int previousEnd, ref ushort anyMask)
    {
        if (previousEnd >= 0)
        {
            var gap = text.AsSpan(previousEnd, token.Start - previousEnd);
            token.GapValid = IsSeparator(gap);
            token.Spaced = gap.Length > 0;
        }

        anyMask |= token.Mask;
        tokens.Add(token);
        previousEnd = token.End;
    }

    private void ScanList(string text, int list, ushort bit, List<LabelMatch>? labels, List<Token> tokens, List<SecretSpan> secrets)
    {
        var labelled = labels is not null;
        var chinese = list is Bip39Wordlists.ChineseSimplified or Bip39Wordlists.ChineseTraditional;
        var runStart = -1;
        var lastMember = -1;
        var members = 0;
        var misses = 0;
        for (var t = 0; t < tokens.Count; t++)
        {
            var token = tokens[t];
            if (runStart >= 0 && !token.GapValid)
            {
                Close(text, list, runStart, lastMember, members, labels, tokens, secrets);
                runStart = -1;
            }

            if ((token.Mask & bit) != 0)
            {
                if (runStart < 0)
                {
                    runStart = t;
                    members = 0;
                    misses = 0;
                }

                lastMember = t;
                members++;
            }
            else if (runStart >= 0)
            {
                // With a recovery-phrase label in the message, a mistyped word does not end the phrase.
                if (labelled && !chinese && token.MayBeMistyped && misses < 1 + (members / MinimumWords))
                {
                    misses++;
                }
                else
                {
                    Close(text, list, runStart, lastMember, members, labels, tokens, secrets);
                    runStart = -1;
                }
            }
        }

        if (runStart >= 0)
        {
            Close(text, list, runStart, lastMember, members, labels, tokens, secrets);
        }
    }

    private void Close(string text, int list, int first, int last, int members, List<LabelMatch>? labels, List<Token> tokens, List<SecretSpan> secrets)
    {
        var labelled = labels is not null;
        var chinese = list is Bip39Wordlists.ChineseSimplified or Bip39Wordlists.ChineseTraditional;
        if (members < MinimumWords)
        {
            // With a recovery-phrase label, eleven words and a mistyped one are still a phrase (2,048 guesses from whole):
            // the mistyped word may stand at either end, where the run itself does not reach.
            if (!labelled || chinese || members < MinimumWords - 1)
            {
                return;
            }

            if (last - first + 1 < MinimumWords && first > 0 && tokens[first - 1].MayBeMistyped && tokens[first].GapValid)
            {
                first--;
            }
            else if (last - first + 1 < MinimumWords && last + 1 < tokens.Count && tokens[last + 1].MayBeMistyped && tokens[last + 1].GapValid)
            {
                last++;
            }

            if (last - first + 1 < MinimumWords)
            {
                return;
            }
        }

        var count = last - first + 1;
        var rented = count > 256 ? new int[count * 2] : null;
        Span<int> buffer = rented ?? stackalloc int[count * 2];
        var indices = buffer[..count];
        var commonBefore = buffer[count..];
        var common = 0;
        for (var k = 0; k < count; k++)
        {
            var token = tokens[first + k];
            commonBefore[k] = common;
            if (chinese)
            {
                indices[k] = lists.HanIndex(token.Han, list);
                common += indices[k] is >= 0 and < Bip39Wordlists.CommonChineseRank ? 1 : 0;
            }
            else
            {
                indices[k] = token.Entry >= 0 ? lists.IndexOf(token.Entry, list) : -1;
                common += token.Entry >= 0 && lists.IsCommon(token.Entry) ? 1 : 0;
            }
        }

        if (chinese)
        {
            CloseChinese(text, indices, first, labels, tokens, secrets);
            return;
        }

        var start = tokens[first].Start;
        var end = tokens[last].End;
        if (FindChecksummedWindows(indices, commonBefore, common, first, tokens, secrets) is > 0 and var covered)
        {
            // A valid window inside a longer run (a 24-word phrase with a typo, whose first half checks by chance) is not
            // all of it: when half a phrase's worth of the run is left over, the whole run goes, if it reads like a phrase.
            if (count - covered >= MinimumWords / 2 && common * 4 <= count)
            {
                secrets.Add(new SecretSpan(start, end, SecretKind.Mnemonic, labelled ? "secret.mnemonic.labelled" : "secret.mnemonic.checksum"));
            }

            return;
        }

        if (labelled && common * 4 <= count)
        {
            secrets.Add(new SecretSpan(start, end, SecretKind.Mnemonic, "secret.mnemonic.labelled"));
        }
        else if (members == count && Array.IndexOf(WindowSizes, count) >= 0 && common * MinimumWords <= count)
        {
            secrets.Add(new SecretSpan(start, end, SecretKind.Mnemonic, "secret.mnemonic.shape"));
        }
    }

    /// <summary>
    /// Chinese splits into stretches spaced character by character, which nobody does with ordinary text, and
    /// clauses of touching characters. An unspaced clause reads like any sentence and a 12-word checksum is only 4
    /// bits, so a clause counts only when it is exactly a mnemonic's length and made of rarely used characters, and
    /// then only with a valid checksum unless the message calls something a recovery phrase.
    /// </summary>
    private static void CloseChinese(string text, Span<int> indices, int first, List<LabelMatch>? labels, List<Token> tokens, List<SecretSpan> secrets)
    {
        var count = indices.Length;
        var k = 0;
        while (k < count)
        {
            var end = k + 1;
            var spaced = IsSpacedOut(tokens, first, k, count);
            while (end < count && (spaced
                ? IsSpacedOut(tokens, first, end, count)
                : !IsSpacedOut(tokens, first, end, count) && tokens[first + end].Start == tokens[first + end - 1].End))
            {
                end++;
            }

            if (spaced)
            {
                var window = indices[k..end];
                if (window.Length >= MinimumWords && CountCommon(window) * 3 <= window.Length)
                {
                    secrets.Add(new SecretSpan(tokens[first + k].Start, tokens[first + end - 1].End, SecretKind.Mnemonic, "secret.mnemonic.spaced_chinese"));
                }
            }
            else if (!TryClause(text, indices, first, k, end, labels is not null, tokens, secrets) && labels is not null)
            {
                // "助记词是希奉脚迅…": the label runs straight into the words, so the phrase starts after it.
                var after = AfterLabel(text, labels, tokens, first, k, end);
                if (after > k)
                {
                    TryClause(text, indices, first, after, end, labelled: true, tokens, secrets, startsAtLabel: true);
                }
            }

            k = end;
        }
    }

    /// <summary>An unspaced clause [k, end) of exactly a mnemonic's length, or after a label its longest valid prefix.</summary>
    private static bool TryClause(
        string text, Span<int> indices, int first, int k, int end, bool labelled, List<Token> tokens, List<SecretSpan> secrets, bool startsAtLabel = false)
    {
        var start = tokens[first + k].Start;
        var stop = tokens[first + end - 1].End;
        if (!startsAtLabel && start > 0 && CharClass.IsCjk(text[start - 1]))
        {
            return false;
        }

        if ((stop == text.Length || !CharClass.IsCjk(text[stop])) && (labelled || !AsksSomething(text, stop)))
        {
            // A random phrase has a frequent character one time in sixteen, so three in twelve happens to one phrase in
            // thirty and four to one in two hundred; a sentence has many. At most a sixth frequent: a checksum or a
            // recovery-phrase label is enough. Up to a third (a line of plain characters may pass a 4-bit checksum by
            // chance): both.
            var whole = indices[k..end];
            if (Array.IndexOf(WindowSizes, whole.Length) >= 0 && CountCommon(whole) is var common && common * 3 <= whole.Length)
            {
                // The Chinese lists run from the most used character down, so a random phrase's characters stand on average
                // about halfway down the list (1,024) and a sentence's near the top: an average under 450 (one random
                // twelve-character phrase in 4,000) is a clause that passed the checksum by chance, unless the message
                // names a recovery phrase.
                var valid = Bip39Checksum.IsValid(whole) && (labelled || Sum(whole) >= (long)EverydayAverageRank * whole.Length);
                if (common * 6 <= whole.Length ? valid || labelled : valid && labelled)
                {
                    secrets.Add(new SecretSpan(start, stop, SecretKind.Mnemonic, valid ? "secret.mnemonic.checksum" : "secret.mnemonic.labelled"));
                    return true;
                }
            }
        }

        if (startsAtLabel)
        {
            foreach (var size in WindowSizes)
            {
                var prefix = k + size <= end ? indices.Slice(k, size) : default;
                if (!prefix.IsEmpty && CountCommon(prefix) * 3 <= size && Bip39Checksum.IsValid(prefix))
                {
                    secrets.Add(new SecretSpan(start, tokens[first + k + size - 1].End, SecretKind.Mnemonic, "secret.mnemonic.checksum"));
                    return true;
                }
            }
        }

        return false;
    }

    /// <summary>
    /// A clause that ends in a question or an exclamation ("想請問提領白名單要怎麼開？") is the customer speaking: twelve
    /// list characters with a chance checksum, not a pasted phrase, which is followed by a line break, a comma or a space.
    /// </summary>
    private static bool AsksSomething(string text, int stop)
    {
        while (stop < text.Length && text[stop] is ' ' or '\u3000')
        {
            stop++;
        }

        return stop < text.Length && text[stop] is '?' or '!' or '\uFF1F' or '\uFF01';
    }

    /// <summary>The first token of [k, end) after a recovery-phrase label that ends inside it (and a following 是 or 为), or k.</summary>
    private static int AfterLabel(string text, List<LabelMatch> labels, List<Token> tokens, int first, int k, int end)
    {
        foreach (var label in labels)
        {
            if (label.Kind != LabelKind.Mnemonic || label.End <= tokens[first + k].Start || label.End >= tokens[first + end - 1].End)
            {
                continue;
            }

            var j = k;
            while (j < end && tokens[first + j].Start < label.End)
            {
                j++;
            }

            while (j < end && text[tokens[first + j].Start] is '是' or '为' or '為' or '如' or '下')
            {
                j++;
            }

            return end - j >= MinimumWords ? j : k;
        }

        return k;
    }

    /// <summary>A character with a gap on both sides (or at an end of the run): part of a spaced-out stretch.</summary>
    private static bool IsSpacedOut(List<Token> tokens, int first, int k, int count) =>
        (k == 0 || tokens[first + k].Spaced) && (k == count - 1 || tokens[first + k + 1].Spaced);

    private static int CountCommon(ReadOnlySpan<int> indices)
    {
        var common = 0;
        foreach (var index in indices)
        {
            common += index is >= 0 and < Bip39Wordlists.CommonChineseRank ? 1 : 0;
        }

        return common;
    }

    private static long Sum(ReadOnlySpan<int> indices)
    {
        var sum = 0L;
        foreach (var index in indices)
        {
            sum += index;
        }

        return sum;
    }

    /// <summary>
    /// Adds every window of the run with a valid checksum, windows that overlap or touch as one span, and returns how many
    /// of the run's words they cover. A list word of the sentence before a phrase ("…what I am doing wrong" and the
    /// phrase one word a line) makes a window that checks by chance one time in sixteen and ends a word short of the
    /// phrase; the phrase's own window overlaps it, so the whole phrase goes.
    /// </summary>
    private static int FindChecksummedWindows(Span<int> indices, Span<int> commonBefore, int commonTotal, int first, List<Token> tokens, List<SecretSpan> secrets)
    {
        var covered = 0;
        var tests = 0;
        var count = indices.Length;
        var (from, to) = (-1, -1);
        for (var offset = 0; offset + MinimumWords <= count && tests < MaxChecksumTests; offset++)
        {
            foreach (var size in WindowSizes)
            {
                if (offset + size > count)
                {
                    continue;
                }

                var commonInWindow = (offset + size < count ? commonBefore[offset + size] : commonTotal) - commonBefore[offset];
                if (commonInWindow * 4 > size || indices.Slice(offset, size).IndexOfAnyInRange(int.MinValue, -1) >= 0)
                {
                    continue;
                }

                tests++;
                if (Bip39Checksum.IsValid(indices.Slice(offset, size)))
                {
                    if (from >= 0 && offset > to)
                    {
                        covered += Add(from, to);
                        from = -1;
                    }

                    (from, to) = from < 0 ? (offset, offset + size) : (from, Math.Max(to, offset + size));
                    break;
                }
            }
        }

        return from < 0 ? covered : covered + Add(from, to);

        int Add(int start, int end)
        {
            secrets.Add(new SecretSpan(tokens[first + start].Start, tokens[first + end - 1].End, SecretKind.Mnemonic, "secret.mnemonic.checksum"));
            return end - start;
        }
    }

    private int FindDecomposed(ReadOnlySpan<char> word)
    {
        // Text typed on some systems arrives decomposed (NFD); compose it, then drop whatever marks remain.
        var composed = word.ToString().Normalize(NormalizationForm.FormC);
        Span<char> key = stackalloc char[composed.Length];
        var length = 0;
        foreach (var c in composed)
        {
            if (CharClass.Of(c) != CharKind.Mark)
            {
                key[length++] = c;
            }
        }

        return lists.Find(Fold(key[..length]));
    }

    private Span<char> Fold(Span<char> key)
    {
        for (var i = 0; i < key.Length; i++)
        {
            key[i] = lists.Folder.Fold(key[i]);
        }

        return key;
    }

    private static bool HasJamo(ReadOnlySpan<char> word) => word.IndexOfAnyInRange('\u1100', '\u11FF') >= 0;

    /// <summary>
    /// Where the label of a numbered line ends ("Word" in "Word 1:", "単語" in "単語1："): at the start of a line, letters
    /// of one script, at most twelve, then a number and ':', '.' or ')'. -1 when <paramref name="start"/> starts no such
    /// label. Only at a line's start, so that "1. abandon 2. ability" keeps its words.
    /// </summary>
    private static int NumberLabelEnd(ReadOnlySpan<char> text, int start)
    {
        var script = CharClass.Of(text[start]);
        if ((script & CharKind.Letter) == 0)
        {
            return -1;
        }

        var end = start + 1;
        while (end < text.Length && end - start <= 12 && CharClass.Of(text[end]) == script)
        {
            end++;
        }

        var p = end < text.Length && text[end] == ' ' ? end + 1 : end;
        var digits = p;
        while (p < text.Length && p - digits < 3 && (CharClass.Of(text[p]) == CharKind.Digit || IsEnclosedNumber(text[p])))
        {
            p++;
        }

        return end - start <= 12 && p > digits && p < text.Length && text[p] is ':' or '.' or ')' or '\uFF1A' or '\uFF0E' or '\uFF09' ? end : -1;
    }

    private static bool AtLineStart(ReadOnlySpan<char> text, int position)
    {
        var p = position - 1;
        while (p >= 0 && text[p] is ' ' or '\t')
        {
            p--;
        }

        return p < 0 || text[p] is '\n' or '\r';
    }

    /// <summary>
    /// What may stand between two words of a pasted phrase: spaces of every kind (tabs, no-break, ideographic, line
    /// breaks), zero-width characters, and the marks of lists, quotes and tables — bullets, dashes, '#', '>', '|', numbers
    /// in any digits or circled, with '.', ')' or ':' after a number ("1.", "2)", "(3)", "#4", "５．", "⑥").
    /// </summary>
    private static bool IsSeparator(ReadOnlySpan<char> gap)
    {
        if (gap.Length > MaxGap)
        {
            return false;
        }

        for (var i = 0; i < gap.Length; i++)
        {
            var c = gap[i];
            if (char.IsWhiteSpace(c) || CharClass.IsZeroWidth(c) || ListMarks.Contains(c) || CharClass.Of(c) == CharKind.Digit || IsEnclosedNumber(c) || IsSymbolMark(c))
            {
                continue;
            }

            if (AtLineStart(gap, i) && i > 0 && NumberLabelEnd(gap, i) is var labelEnd && labelEnd > i)
            {
                i = labelEnd - 1;
                continue;
            }

            if (c is '.' or ')' or ':' or '\uFF0E' or '\uFF09' or '\uFF1A' && i > 0 && (CharClass.Of(gap[i - 1]) == CharKind.Digit || IsEnclosedNumber(gap[i - 1])))
            {
                continue;
            }

            return false;
        }

        return true;
    }

    /// <summary>
    /// Any symbol used as a bullet or quote: arrows, check marks, stars, geometric shapes, emoji (as surrogates, with their
    /// variation selectors and keycap marks), guillemets and other quotation marks.
    /// </summary>
    private static bool IsSymbolMark(char c) => char.GetUnicodeCategory(c) is UnicodeCategory.MathSymbol or UnicodeCategory.OtherSymbol
        or UnicodeCategory.InitialQuotePunctuation or UnicodeCategory.FinalQuotePunctuation or UnicodeCategory.DashPunctuation
        or UnicodeCategory.Surrogate or UnicodeCategory.EnclosingMark
        || c is >= '\uFE00' and <= '\uFE0F';

    /// <summary>Circled, parenthesised and full-stop numbers: ①, ⑴, ⒈, ❶, ➀, ㉑, ㊱, ㈠, ㊀.</summary>
    private static bool IsEnclosedNumber(char c) =>
        c is >= '\u2460' and <= '\u24FF' or >= '\u2776' and <= '\u2793' or >= '\u3220' and <= '\u3229' or >= '\u3251' and <= '\u325F'
            or >= '\u3280' and <= '\u3289' or >= '\u32B1' and <= '\u32BF';
}
