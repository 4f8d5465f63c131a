using Intake.Triage;

namespace Intake.Tests.Security;

/// <summary>
/// Threat: a customer pastes their 12-word recovery phrase and calls it one, with one word mistyped ("abandn"). Eleven
/// words of twelve leave 2,048 candidates for the twelfth — a moment's work for a thief — yet the phrase was stored as
/// sent: a mistyped word ended the run at eleven, under the twelve a phrase needs. Control: where the message calls
/// something a recovery phrase, a run of twelve or more words with a mistyped word or two among them is redacted.
/// Without such a label, a run needs twelve real words, so ordinary text is not taken for a phrase.
/// </summary>
public sealed class MistypedPhraseTests
{
    /// <summary>Two letters swapped near the start, where the word is told apart from the others of its list.</summary>
    private static string Mistype(string word) => string.Concat(word[0].ToString(), word[2].ToString(), word[1].ToString(), word[3..]);

    [Theory]
    [InlineData(0, 12)]
    [InlineData(5, 12)]
    [InlineData(11, 12)]
    [InlineData(7, 24)]
    public void A_labelled_phrase_with_one_mistyped_word_is_redacted(int typoAt, int count)
    {
        var words = GeneratedPhrases.Plain(count: count);
        words[typoAt] = Mistype(words[typoAt]);

        var result = TriageEngine.Default.Triage($"my recovery phrase is {string.Join(' ', words)}");

        Assert.Contains(SecretKind.Mnemonic, result.Secrets);
        GeneratedPhrases.AssertNoneSurvives([.. words.Where((_, i) => i != typoAt)], result.RedactedText, "the redacted text");
    }

    [Fact]
    public void A_labelled_24_word_phrase_with_two_mistyped_words_is_redacted()
    {
        var words = GeneratedPhrases.Plain(count: 24);
        words[3] = Mistype(words[3]);
        words[17] = Mistype(words[17]);

        var result = TriageEngine.Default.Triage($"seed phrase: {string.Join(' ', words)}");

        Assert.Contains(SecretKind.Mnemonic, result.Secrets);
        GeneratedPhrases.AssertNoneSurvives([.. words.Where((_, i) => i is not 3 and not 17)], result.RedactedText, "the redacted text");
    }

    [Fact]
    public void Without_a_label_eleven_words_and_a_typo_are_not_taken_for_a_phrase()
    {
        var words = GeneratedPhrases.Plain();
        words[6] = Mistype(words[6]);

        var result = TriageEngine.Default.Triage(string.Join(' ', words));

        Assert.DoesNotContain(SecretKind.Mnemonic, result.Secrets);
    }
}
