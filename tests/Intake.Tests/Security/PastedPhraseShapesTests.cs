using System.Net;
using System.Net.Http.Json;
using System.Text;
using Intake.Channels.WebForm;
using Intake.Tests.Integration;
using Intake.Triage;

namespace Intake.Tests.Security;

/// <summary>
/// Threat: a recovery phrase pasted the way people paste it — one word a line behind bullets or numbers, in a table,
/// with tabs, no-break, ideographic or zero-width spaces, or a zero-width character inside a word — was not recognised,
/// so it was stored verbatim and the customer was not told to move their funds. Every shape, in every BIP-39 language
/// the engine knows, is redacted; keys broken the same ways are too; ordinary lists stay text.
/// </summary>
public sealed class PastedPhraseShapesTests(AzuriteFixture azurite)
{
    private static readonly TriageEngine Engine = TriageEngine.Default;

    private static string Lines(string[] words, Func<int, string> before, string newline = "\n") =>
        string.Join(newline, words.Select((w, i) => before(i + 1) + w));

    private static string FullWidth(int n) => new([.. n.ToString(System.Globalization.CultureInfo.InvariantCulture).Select(c => (char)(c - '0' + '０'))]);

    private static string Circled(int n) => ((char)('\u2460' + n - 1)).ToString();

    /// <summary>Each word broken after its first character, as a paste from some pages and chat apps leaves it.</summary>
    private static string[] Broken(string[] words, char zeroWidth) =>
        [.. words.Select(w => w.Length < 2 ? w : w[..1] + zeroWidth + w[1..])];

    private static readonly Dictionary<string, Func<string[], string>> Shapes = new()
    {
        ["lines"] = w => Lines(w, _ => ""),
        ["crlf lines"] = w => Lines(w, _ => "", "\r\n"),
        ["asterisk bullets"] = w => Lines(w, _ => "* "),
        ["bullets"] = w => Lines(w, _ => "• "),
        ["dash bullets"] = w => Lines(w, _ => "- "),
        ["hash bullets"] = w => Lines(w, _ => "# "),
        ["middle dots"] = w => Lines(w, _ => "· "),
        ["white bullets"] = w => Lines(w, _ => "◦ "),
        ["square bullets"] = w => Lines(w, _ => "▪ "),
        ["triangular bullets"] = w => Lines(w, _ => "‣ "),
        ["en dashes"] = w => Lines(w, _ => "– "),
        ["em dashes"] = w => Lines(w, _ => "— "),
        ["quoted mail"] = w => Lines(w, _ => "> "),
        ["quoted twice"] = w => Lines(w, _ => "> > ", "\r\n"),
        ["numbered"] = w => Lines(w, n => $"{n}. "),
        ["numbered parenthesis"] = w => Lines(w, n => $"{n}) "),
        ["numbered in parentheses"] = w => Lines(w, n => $"({n}) "),
        ["numbered with hash"] = w => Lines(w, n => $"#{n} "),
        ["numbered with dash"] = w => Lines(w, n => $"{n}- "),
        ["numbered with ideographic comma"] = w => Lines(w, n => $"{n}、"),
        ["full-width numbers"] = w => Lines(w, n => $"{FullWidth(n)}．"),
        ["circled numbers"] = w => Lines(w, n => Circled(n) + " "),
        ["numbered inline"] = w => string.Join(" ", w.Select((word, i) => $"{i + 1}. {word}")),
        ["markdown table"] = w => "| # | word |\n|---|------|\n" + Lines(w, n => $"|  {n}  | ", "  |\r\n") + "  |",
        ["arrow bullets"] = w => Lines(w, _ => "→ "),
        ["pointer bullets"] = w => Lines(w, _ => "► "),
        ["small triangles"] = w => Lines(w, _ => "▸ "),
        ["black circles"] = w => Lines(w, _ => "● "),
        ["plus bullets"] = w => Lines(w, _ => "+ "),
        ["check marks"] = w => Lines(w, _ => "✔ "),
        ["guillemets"] = w => Lines(w, _ => "» "),
        ["bullets without a space"] = w => Lines(w, _ => "•"),
        ["numbered with colon"] = w => Lines(w, n => $"{n}: "),
        ["numbered with spaced dash"] = w => Lines(w, n => $"{n} - "),
        ["numbered with a word"] = w => Lines(w, n => $"Word {n}: "),
        ["padded numbers"] = w => Lines(w, n => $"{n:00}. "),
        ["commas"] = w => string.Join(", ", w),
        ["commas without spaces"] = w => string.Join(",", w),
        ["semicolons"] = w => string.Join("; ", w),
        ["ideographic commas"] = w => string.Join("、", w),
        ["full-width commas"] = w => string.Join("，", w),
        ["slashes"] = w => string.Join(" / ", w),
        ["pipes"] = w => string.Join(" | ", w),
        ["quoted words"] = w => string.Join(", ", w.Select(word => $"\"{word}\"")),
        ["json array"] = w => "[" + string.Join(",", w.Select(word => $"\"{word}\"")) + "]",
        ["three a line"] = w => string.Join("\n", w.Chunk(3).Select(row => string.Join(" ", row))),
        ["numbered in columns"] = w => string.Join("\n", w.Select((word, i) => $"{i + 1}. {word}").Chunk(4).Select(row => string.Join("\t", row))),
        ["tabs"] = w => string.Join("\t", w),
        ["no-break spaces"] = w => string.Join("\u00A0", w),
        ["ideographic spaces"] = w => string.Join("\u3000", w),

        // As some wallets and pages copy it: accents, Korean syllables and Japanese (han)dakuten as combining characters.
        ["decomposed"] = w => string.Join(" ", w).Normalize(NormalizationForm.FormD),
        ["compatibility decomposed"] = w => string.Join("\u3000", w).Normalize(NormalizationForm.FormKD),
        ["zero-width spaces"] = w => string.Join("\u200B", w),
        ["zero-width non-joiners"] = w => string.Join("\u200C", w),
        ["zero-width joiners"] = w => string.Join("\u200D", w),
        ["word joiners"] = w => string.Join("\u2060", w),
        ["byte order marks"] = w => string.Join("\uFEFF", w),
        ["zero-width space inside words"] = w => string.Join(" ", Broken(w, '\u200B')),
        ["zero-width joiner inside words"] = w => Lines(Broken(w, '\u200D'), n => $"{n}. "),
        ["soft hyphen inside words"] = w => string.Join(" ", Broken(w, '\u00AD')),
    };

    public static TheoryData<string, string> LanguagesAndShapes()
    {
        var data = new TheoryData<string, string>();
        foreach (var language in GeneratedPhrases.Languages)
        {
            foreach (var shape in Shapes.Keys)
            {
                data.Add(language, shape);
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(LanguagesAndShapes))]
    public void A_pasted_phrase_is_redacted_whatever_its_shape(string language, string shape)
    {
        var words = GeneratedPhrases.Plain(language);
        var text = "Here it is:\n" + Shapes[shape](words) + "\nPlease help.";

        var result = Engine.Triage(text);

        Assert.Contains(SecretKind.Mnemonic, result.Secrets);
        Assert.True(result.SecretExposed);
        GeneratedPhrases.AssertNoneSurvives(words, result.RedactedText, $"the redacted text ({language}, {shape})");
    }

    /// <summary>How customers of each triage language introduce a pasted phrase, before and after it.</summary>
    private static readonly Dictionary<string, (string Before, string After)> Letters = new()
    {
        ["en"] = ("hi, these are the words from my wallet backup, is my account safe?\n", "\nthanks"),
        ["zh"] = ("你好，这是我的助记词，帮我看看账户是不是安全：\n", "\n谢谢"),
        ["ru"] = ("Здравствуйте, вот слова из моего кошелька, проверьте пожалуйста:\n", "\nСпасибо"),
        ["es"] = ("Hola, estas son las palabras de mi billetera, ¿mi cuenta está segura?\n", "\nGracias"),
        ["pt"] = ("Olá, seguem as palavras da minha carteira, minha conta está segura?\n", "\nObrigado"),
        ["tr"] = ("Merhaba, cüzdanımın kelimeleri şunlar, hesabım güvende mi?\n", "\nTeşekkürler"),
        ["vi"] = ("Chào bạn, đây là các từ khôi phục ví của tôi, tài khoản có an toàn không?\n", "\nCảm ơn"),
        ["ko"] = ("안녕하세요, 제 지갑 복구 단어입니다. 계정이 안전한지 봐 주세요:\n", "\n감사합니다"),
        ["ja"] = ("こんにちは、ウォレットの単語です。アカウントは安全ですか：\n", "\nよろしくお願いします"),
    };

    public static TheoryData<string, string, string> LettersAndShapes()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var letter in Letters.Keys)
        {
            foreach (var language in GeneratedPhrases.Languages)
            {
                foreach (var shape in new[] { "bullets", "dash bullets", "numbered", "lines", "commas", "numbered inline" })
                {
                    data.Add(letter, language, shape);
                }
            }
        }

        return data;
    }

    /// <summary>A phrase pasted inside a message written in any of the ten triage languages, in the shapes people use.</summary>
    [Theory]
    [MemberData(nameof(LettersAndShapes))]
    public void A_phrase_pasted_in_a_letter_in_any_triage_language_is_redacted(string letter, string language, string shape)
    {
        var words = GeneratedPhrases.Plain(language);
        var (before, after) = Letters[letter];

        var result = Engine.Triage(before + Shapes[shape](words) + after);

        Assert.Contains(SecretKind.Mnemonic, result.Secrets);
        Assert.Equal(Urgency.Urgent, result.Urgency);
        GeneratedPhrases.AssertNoneSurvives(words, result.RedactedText, $"the redacted text ({letter} letter, {language} phrase, {shape})");
    }

    [Theory]
    [MemberData(nameof(LanguagesAndShapes))]
    public void A_pasted_24_word_phrase_is_redacted_whatever_its_shape(string language, string shape)
    {
        var words = GeneratedPhrases.Plain(language, count: 24);

        var result = Engine.Triage(Shapes[shape](words));

        Assert.Contains(SecretKind.Mnemonic, result.Secrets);
        GeneratedPhrases.AssertNoneSurvives(words, result.RedactedText, $"the redacted text ({language}, {shape})");
    }

    [Theory]
    [InlineData("Steps:\n• open the app\n• tap wallet\n• choose deposit\n• copy the address\n• send a small amount first\n• wait for two confirmations")]
    [InlineData("1. Open the app\n2. Go to Wallet\n3. Choose Withdraw\n4. Pick the network\n5. Paste the address\n6. Confirm with 2FA")]
    [InlineData("> Thank you for your patience.\n> We will look into it and come back to you soon.\n> Best regards, the support team")]
    [InlineData("| date | amount | status |\n|---|---|---|\n| 1 May | 500 USDT | pending |\n| 2 May | 0.5 ETH | failed |")]
    [InlineData("Things I tried — reinstall, another phone, another network — nothing worked, I still cannot log in to my account")]
    public void Ordinary_lists_quotes_and_tables_are_not_a_phrase(string text)
    {
        var result = Engine.Triage(text);

        Assert.DoesNotContain(SecretKind.Mnemonic, result.Secrets);
        Assert.Equal(text, result.RedactedText);
    }

    // Valid test values from the specifications' published vectors (Bitcoin wiki WIF example, BIP-32 test vector 1).
    private const string Wif = "5HueCGU8rMjxEXxiPuD5BDku4MkFqeZyd4dZ1jvhTVqvbTLvyTJ";
    private const string Xprv = "xprv9s21ZrQH143K3QTDL4LXw2F7HEK3wJUD2nW2nRk4stbPy6cq3jPPqjiChkVvvNKmPGJxWUtg6LnF5kejMRNNU3TGtRBeJgk33yuGBxrMPHi";
    private const string HexKey = "e8f32e723decf4051aefac8e2c93c9c5b214313817cdb01a1494b917c8436b35";

    public static TheoryData<string> BrokenKeys =>
    [
        "My private key: " + Wif[..20] + "\u200B" + Wif[20..],
        "xprv from my wallet: " + Xprv[..40] + "\u200B" + Xprv[40..80] + "\uFEFF" + Xprv[80..],
        "Here is my key\n" + Wif[..26] + "\n" + Wif[26..] + "\nplease check",
        "Backup:\r\n" + Xprv[..56] + "\r\n" + Xprv[56..] + "\r\n",
        "> " + Xprv[..37] + "\n> " + Xprv[37..74] + "\n> " + Xprv[74..],
        "private key: " + HexKey[..32] + "\n" + HexKey[32..],
    ];

    [Theory]
    [MemberData(nameof(BrokenKeys))]
    public void A_key_broken_by_zero_width_characters_or_lines_is_redacted(string text)
    {
        var result = Engine.Triage(text);

        Assert.Contains(SecretKind.PrivateKey, result.Secrets);
        var visible = result.RedactedText.Replace("\u200B", "", StringComparison.Ordinal).Replace("\uFEFF", "", StringComparison.Ordinal);
        foreach (var key in new[] { Wif, Xprv, HexKey })
        {
            Assert.False(visible.Contains(key[..12], StringComparison.Ordinal), "the start of the key was left in the redacted text");
            Assert.False(visible.Contains(key[^12..], StringComparison.Ordinal), "the end of the key was left in the redacted text");
        }
    }

    /// <summary>
    /// A random twelve-character phrase has three or four of the 128 most frequent characters one time in thirty: run
    /// together on its own line it was taken for a sentence even where the customer called it a recovery phrase.
    /// </summary>
    [Theory]
    [InlineData("chinese_simplified", 3, "救命，我把助记词发给他了：\n{0}\n今天早上钱包里的币全没了。")]
    [InlineData("chinese_simplified", 4, "助记词：\n{0}")]
    [InlineData("chinese_traditional", 3, "我把助記詞傳給了「客服」：\n{0}\n現在錢包是空的。")]
    [InlineData("chinese_traditional", 4, "{0}\n這是我的助記詞，請幫我看看錢包還安全嗎")]
    public void A_named_unspaced_chinese_phrase_with_frequent_characters_is_redacted(string language, int frequent, string message)
    {
        var list = Bip39Wordlists.LoadEmbedded()[Array.IndexOf(Bip39Wordlists.Names, language)];
        var rank = list.Select((word, index) => (word, index)).ToDictionary(w => w.word, w => w.index, StringComparer.Ordinal);
        var words = GeneratedPhrases.Find(language, w => w.Count(c => rank[c] < Bip39Wordlists.CommonChineseRank) == frequent);
        var text = string.Format(System.Globalization.CultureInfo.InvariantCulture, message, string.Concat(words));

        var result = Engine.Triage(text);

        Assert.Contains(SecretKind.Mnemonic, result.Secrets);
        GeneratedPhrases.AssertNoneSurvives([string.Concat(words)], result.RedactedText, $"the redacted text ({language}, {frequent} frequent)");
    }

    /// <summary>
    /// A list word ending the sentence before a phrase pasted one word a line ("…what I am doing wrong") made, with the
    /// phrase's first eleven words, a window whose checksum held by chance: it was taken for the phrase and the phrase's
    /// last word was stored.
    /// </summary>
    [Fact]
    public void A_phrase_after_a_sentence_ending_in_a_list_word_is_redacted_whole()
    {
        const string Before = "can you tell me please if they are the right ones? I dont know what I am doing wrong";
        var list = Bip39Wordlists.LoadEmbedded()[Array.IndexOf(Bip39Wordlists.Names, "english")];
        var index = list.Select((word, i) => (word, i)).ToDictionary(w => w.word, w => w.i, StringComparer.Ordinal);
        var words = GeneratedPhrases.Find("english", w => !GeneratedPhrases.AnySurvives(w, Before + " thank you kindly")
            && Intake.Triage.Validation.Bip39Checksum.IsValid([index["wrong"], .. w[..11].Select(word => index[word])]));

        var result = Engine.Triage(Before + "\n" + Lines(words, n => $"{n}. ") + "\nthank you kindly");

        Assert.Contains(SecretKind.Mnemonic, result.Secrets);
        GeneratedPhrases.AssertNoneSurvives(words, result.RedactedText, "the redacted text");
    }

    [Fact]
    public async Task A_phrase_pasted_one_word_a_line_behind_bullets_is_never_stored_and_the_ticket_is_urgent()
    {
        const string Before = "Someone drained my wallet after I typed this into a site:";
        var words = GeneratedPhrases.Plain(avoid: Before);
        await using var host = await IntakeHost.StartAsync(azurite);
        using var client = host.CreateClient();

        using var response = await client.PostAsJsonAsync(
            new Uri("/api/intake/web", UriKind.Relative),
            new { message = Before + "\r\n" + Lines(words, n => $"• {n}.\u00A0", "\r\n"), email = "shapes@example.com" },
            TestContext.Current.CancellationToken);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = (await response.Content.ReadFromJsonAsync<WebFormAccepted>(TestContext.Current.CancellationToken))!;
        await StoredStrings.AssertNoWordStoredAsync(host, words);
        var ticket = await StoredStrings.TicketAsync(host, accepted.TicketId);
        Assert.Equal(Urgency.Urgent, ticket.Urgency);
        Assert.Contains(TriageFlags.SecretExposed, ticket.Flags);
        Assert.Equal(1, ticket.Redactions.GetValueOrDefault("mnemonic"));
    }
}
