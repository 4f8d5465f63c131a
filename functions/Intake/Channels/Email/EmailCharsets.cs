using System.Text;
using System.Text.Unicode;
using UtfUnknown;

namespace Intake.Channels.Email;

/// <summary>
/// Charsets by the names mail uses (the code pages GB2312, GBK, Big5, Shift_JIS... are registered once), and a guess for
/// 8-bit text that declares none: valid UTF-8 first; else UTF.Unknown's detection, except that when it hesitates (a
/// single-byte guess, or none) the East Asian multi-byte charsets and Windows-1251 are tried first. Older Chinese,
/// Japanese and Korean clients send undeclared 8-bit text far more often than Western ones, and a short GB2312 subject
/// looks to the detector like Arabic or Greek.
/// </summary>
internal static class EmailCharsets
{
    /// <summary>UTF-7's code page, which <see cref="Find"/> gives though .NET's <c>GetEncoding</c> refuses it.</summary>
    internal const int Utf7CodePage = 65000;

    /// <summary>Below this the detector's word is not taken for a single-byte charset.</summary>
    private const float SureEnough = 0.9f;

    static EmailCharsets() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>Makes sure the code-page encodings are available (to MimeKit too) before the first mail is read.</summary>
    public static void Register()
    {
        // The static constructor does the work, once.
    }

    /// <summary>The named encoding, lenient about case; UTF-8 for names .NET does not know.</summary>
    public static Encoding Get(string? name) => Find(name) ?? Encoding.UTF8;

    /// <summary>The named encoding, its superset for the East Asian ones (GB2312 → GB18030...), or null for names .NET does not know or decode.</summary>
    public static Encoding? Find(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var trimmed = name.Trim().Trim('"');
        if (trimmed.Equals("utf-7", StringComparison.OrdinalIgnoreCase) || trimmed.Equals("unicode-1-1-utf-7", StringComparison.OrdinalIgnoreCase)
            || trimmed.Equals("csUnicode11UTF7", StringComparison.OrdinalIgnoreCase))
        {
            // Outlook 2000 sent UTF-7. .NET's GetEncoding refuses it (it is unsafe where text becomes markup unescaped),
            // but the decoder is still there; our text is always escaped where it is shown.
#pragma warning disable SYSLIB0001
            return Encoding.UTF7;
#pragma warning restore SYSLIB0001
        }

        try
        {
            var encoding = Encoding.GetEncoding(trimmed);
            return encoding.CodePage switch
            {
                936 or 20936 => Encoding.GetEncoding("GB18030"),
                51949 => Encoding.GetEncoding(949),
                _ => encoding,
            };
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException)
        {
            // NotSupportedException: a charset .NET knows by name but no longer decodes.
            return null;
        }
    }

    public static bool IsUtf8OrAscii(Encoding encoding)
    {
        ArgumentNullException.ThrowIfNull(encoding);
        return encoding.CodePage is 65001 or 20127;
    }

    /// <summary>Text of undeclared charset: UTF-8 when it is valid UTF-8 (plain ASCII is), else in the guessed charset.</summary>
    public static string Decode(ReadOnlySpan<byte> bytes) => Utf8.IsValid(bytes) ? Encoding.UTF8.GetString(bytes) : Guess(bytes).GetString(bytes);

    /// <summary>
    /// The charset to read text in that names <paramref name="declared"/> (null when it names none): the declared one,
    /// except for 8-bit text whose declaration cannot be right or says nothing. No charset, one .NET does not know
    /// (<c>X-UNKNOWN</c>), or US-ASCII/UTF-8 over bytes that are not: UTF-8 when valid, else the guessed one. A single-byte
    /// Western charset (ISO-8859-1, Windows-1252, ISO-8859-15), the default of many gateways and of clients that never
    /// asked: UTF-8 when the bytes are valid UTF-8 (Latin-1 text almost never is), or the East Asian charset they clearly
    /// are; genuine Latin-1 text decodes in none of those and keeps its charset.
    /// </summary>
    public static Encoding Choose(string? declared, ReadOnlySpan<byte> bytes)
    {
        var encoding = Find(declared);
        if (!bytes.ContainsAnyInRange((byte)0x80, (byte)0xff))
        {
            // 7-bit text reads the same in any ASCII-compatible charset, and must keep a 7-bit one (ISO-2022-JP, UTF-7).
            return encoding ?? Encoding.UTF8;
        }

        // UTF-7 is 7-bit by definition: 8-bit bytes under its label are something else, as under no label.
        if (encoding is null || IsUtf8OrAscii(encoding) || encoding.CodePage == Utf7CodePage)
        {
            return Utf8.IsValid(bytes) ? Encoding.UTF8 : Guess(bytes);
        }

        if (encoding.CodePage is 28591 or 1252 or 28605)
        {
            var sample = bytes.Length > 64 * 1024 ? bytes[..(64 * 1024)].ToArray() : bytes.ToArray();
            return Utf8.IsValid(bytes) ? Encoding.UTF8 : BestMultiByte(sample) ?? encoding;
        }

        return encoding;
    }

    /// <summary>The charset 8-bit text that is not UTF-8 most likely is; Windows-1252 (Latin-1's superset) when nothing fits better.</summary>
    public static Encoding Guess(ReadOnlySpan<byte> bytes)
    {
        var sample = bytes.Length > 64 * 1024 ? bytes[..(64 * 1024)].ToArray() : bytes.ToArray();
        var result = CharsetDetector.DetectFromBytes(sample);
        var top = result.Detected;
        if (top is not null && IsMultiByte(top.EncodingName) && top.Confidence >= 0.5f && Find(top.EncodingName) is { } sure)
        {
            return sure;
        }

        if (top is null || top.Confidence < SureEnough)
        {
            if (BestMultiByte(sample) is { } multiByte)
            {
                return multiByte;
            }

            // Russian in Windows-1251 next to a Latin guess: take the Cyrillic one when the detector rates it at least half as high.
            if (result.Details.FirstOrDefault(d => IsCyrillic(d.EncodingName) && d.Confidence >= (top?.Confidence ?? 0) / 2) is { } cyrillic && Find(cyrillic.EncodingName) is { } found)
            {
                return found;
            }
        }

        return top is not null && Find(top.EncodingName) is { } detected && !IsUtf8OrAscii(detected) ? detected : Encoding.GetEncoding(1252);
    }

    private static bool IsMultiByte(string? name) =>
        name?.ToLowerInvariant() is "gb18030" or "gb2312" or "gbk" or "big5" or "shift-jis" or "shift_jis" or "euc-jp" or "euc-kr" or "iso-2022-jp" or "iso-2022-kr" or "hz-gb-2312";

    private static bool IsCyrillic(string? name) => name?.ToLowerInvariant() is "windows-1251" or "koi8-r" or "iso-8859-5" or "x-mac-cyrillic" or "ibm866";

    /// <summary>
    /// Of Korean, GB18030, Shift_JIS and Big5, the one the bytes decode in without error into mostly common characters
    /// (frequent Hangul syllables, GB2312's first level of hanzi, kana and JIS level-1 kanji, Big5's frequent hanzi); null
    /// when none does for more than half of the text's non-ASCII characters. Korean that does is taken before the others.
    /// </summary>
    private static Encoding? BestMultiByte(byte[] bytes)
    {
        Encoding? best = null;
        var bestScore = 0.5;
        foreach (var (codePage, common) in Candidates)
        {
            if (best is not null && codePage != 949 && best.CodePage == 949)
            {
                // EUC-KR's Hangul rows are GB2312's and Big5's common hanzi rows too: Korean read as Chinese would score
                // as high. Its frequent syllables are rare in Chinese read as Korean, so Korean that reads as such wins.
                break;
            }

            var encoding = Encoding.GetEncoding(codePage, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
            string text;
            try
            {
                text = encoding.GetString(bytes);
            }
            catch (DecoderFallbackException)
            {
                continue;
            }

            var wide = text.Where(c => c > '\u007f').ToList();
            if (wide.Count == 0)
            {
                continue;
            }

            var score = (double)wide.Count(c => common(encoding, c)) / wide.Count;
            if (score > bestScore)
            {
                (best, bestScore) = (Encoding.GetEncoding(codePage), score);
            }
        }

        return best;
    }

    /// <summary>Korean first: it wins when its text is made of frequent syllables (see <see cref="BestMultiByte"/>).</summary>
    private static readonly (int CodePage, Func<Encoding, char, bool> Common)[] Candidates =
    [
        (949, (_, c) => IsPunctuation(c) || FrequentHangul.Contains(c, StringComparison.Ordinal)),
        (54936, (e, c) => IsPunctuation(c) || (Pair(e, c) is var (lead, trail) && lead is >= 0xB0 and <= 0xD7 && trail >= 0xA1)),
        (932, (e, c) => IsPunctuation(c) || c is >= '\u3040' and <= '\u30ff' || (Pair(e, c).Lead is >= 0x88 and <= 0x9F && c is >= '\u4e00' and <= '\u9fff')),
        (950, (e, c) => IsPunctuation(c) || Pair(e, c).Lead is >= 0xA4 and <= 0xC6),
    ];

    /// <summary>
    /// Some 350 of the most frequent Hangul syllables, which make up most of any Korean text; of the 2,350 syllables EUC-KR
    /// has, Chinese bytes read as Korean land on them rarely.
    /// </summary>
    private const string FrequentHangul =
        "이다는의에하고을가를지기한서로사도리스자수나있시대아어해인일그게습니요들정제전우주상보부여면것라없거만장구성원문적경같않중국"
        + "내생용분위치되학개동계소연세무오마며안신러금출입결확번호비밀변좌송액은행처드립감합께했른답바랍못왜언얼까좀더또및등때말알받할된될"
        + "저너희당님객센터회메청녕요잠빨부탁했아직되었어떻얼간월년늘제내과와으려져워봐줘죠네데엔함히후휴또각건게겠공관교그근급나날남너넣"
        + "노누늘능님단달담당더던도돈두드든듯디때떤또뜻래랑량러럼레려력련렇령례록론료루류르른름를릅릴림마막많맞매며명모목몇물미민및받발방"
        + "배번법별병보복본봉불비빠뿐새색생선설성세셔셨속손쇼순술쉽습승시식실심싶써아악않알았앞야약양얘어억언얻업었엇여역연열였영예오온"
        + "올완왔외요용우운울웃원월위유으은을음응의이익인일읽임입있잊자작잔잘잡장재저적전절점접정제조족존종좋죄주준줄중즉즐지직진질집짜"
        + "째차참창찾책처천철청체초최추축충취측치친카케코크큰키타태택터테토통트특파판패편평포표품프피필하학한할함합항해했행향허현협형호혹"
        + "화확환활황회효후훨휴흐흔희히";

    /// <summary>Full-width punctuation (，。「」！？) is common in all of them and tells none apart.</summary>
    private static bool IsPunctuation(char c) => c is >= '\u3000' and <= '\u303f' or >= '\uff01' and <= '\uff5e';

    /// <summary>The character's two bytes in the encoding; (-1, -1) when it is not a two-byte character there.</summary>
    private static (int Lead, int Trail) Pair(Encoding encoding, char c)
    {
        Span<byte> buffer = stackalloc byte[8];
        return encoding.GetBytes([c], buffer) is 2 ? (buffer[0], buffer[1]) : (-1, -1);
    }
}
