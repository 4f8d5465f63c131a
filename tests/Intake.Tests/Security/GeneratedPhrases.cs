using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;
using Intake.Triage;

namespace Intake.Tests.Security;

/// <summary>
/// Recovery phrases made in the test, never pasted from anywhere: the entropy is SHA-256 of a seed, the checksum the
/// leading bits of SHA-256 of the entropy, as BIP-39 defines, so every phrase has a valid checksum. And the check that
/// no word of a phrase is left in a text, which says where but never what.
/// </summary>
internal static class GeneratedPhrases
{
    private static readonly Lazy<Bip39Wordlists> Lists = new(Bip39Wordlists.LoadEmbedded);

    /// <summary>The BIP-39 languages the engine knows, by their list's name.</summary>
    public static IReadOnlyList<string> Languages => Bip39Wordlists.Names;

    public static bool IsChinese(string language) => language.StartsWith("chinese", StringComparison.Ordinal);

    /// <summary>The phrase of <paramref name="count"/> words (12, 15, 18, 21 or 24) that <paramref name="seed"/> gives.</summary>
    public static string[] Words(string language, int seed, int count = 12)
    {
        var list = Lists.Value[Array.IndexOf(Bip39Wordlists.Names, language)];
        var entropy = SHA256.HashData(Encoding.UTF8.GetBytes($"{language}:{seed}"))[..(count * 4 / 3)];
        var checksum = SHA256.HashData(entropy)[0];
        var entropyBits = entropy.Length * 8;
        var words = new string[count];
        for (var w = 0; w < count; w++)
        {
            var index = 0;
            for (var b = 0; b < 11; b++)
            {
                var bit = (w * 11) + b;
                var value = bit < entropyBits ? (entropy[bit / 8] >> (7 - (bit % 8))) & 1 : (checksum >> (7 - (bit - entropyBits))) & 1;
                index = (index << 1) | value;
            }

            words[w] = list[index];
        }

        return words;
    }

    /// <summary>The first phrase (by seed) of distinct words that <paramref name="accept"/> takes.</summary>
    public static string[] Find(string language, Func<string[], bool> accept, int count = 12)
    {
        for (var seed = 1; seed < 2000; seed++)
        {
            var words = Words(language, seed, count);
            if (words.Distinct(StringComparer.Ordinal).Count() == count && accept(words))
            {
                return words;
            }
        }

        throw new InvalidOperationException("No generated phrase fits.");
    }

    /// <summary>
    /// A phrase none of whose words occurs in <paramref name="avoid"/> (the test's own text around it), with words of
    /// at least five letters in the Latin alphabets, which the engine finds written plainly, as most people paste it.
    /// </summary>
    public static string[] Plain(string language = "english", string avoid = "", int count = 12) =>
        Find(language, words => !AnySurvives(words, avoid) && words.All(w => w.Length >= 5 || w[0] >= '\u1100')
            && TriageEngine.Default.Triage(Join(language, words)).Secrets.Contains(SecretKind.Mnemonic), count);

    /// <summary>The words as the language writes a phrase: Japanese with ideographic spaces, the others with spaces.</summary>
    public static string Join(string language, IEnumerable<string> words) => string.Join(language == "japanese" ? "\u3000" : " ", words);

    /// <summary>
    /// Whether a word of the phrase is in <paramref name="text"/>: as a whole word ignoring case (and zero-width
    /// characters), a Chinese, Japanese or Korean word anywhere.
    /// </summary>
    public static bool AnySurvives(IEnumerable<string> words, string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        // Composed first: a word left in decomposed form (NFD, NFKD) is still the word.
        var visible = Regex.Replace(text.Normalize(NormalizationForm.FormC), "[\u00AD\u180E\u200B-\u200D\u2060-\u2064\uFEFF]", "", RegexOptions.None, TimeSpan.FromSeconds(5));
        foreach (var word in words)
        {
            if (word[0] >= '\u1100')
            {
                if (visible.Contains(word, StringComparison.Ordinal))
                {
                    return true;
                }
            }
            else if (Regex.IsMatch(visible, $@"(?<![\p{{L}}\p{{M}}]){Regex.Escape(word)}(?![\p{{L}}\p{{M}}])", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(5)))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Fails, naming <paramref name="where"/> and never the word, when a word of the phrase is left in the text.</summary>
    public static void AssertNoneSurvives(IEnumerable<string> words, string? text, string where) =>
        Assert.False(AnySurvives(words, text), $"a word of the recovery phrase was left in {where}");
}
