using System.IO.Compression;
using Intake.Triage;

namespace Intake.Tests.Triage;

/// <summary>
/// The second opinion: a model of character n-grams trained on every labelled set, which may raise a message the rules
/// rated below urgent (or urgent only for a pasted secret) to urgent security and do nothing else. The embedded models
/// (this one and the category opinion) are the ones the labelled sets in Data make (so a set added without training
/// again fails here), it only raises, it finds most incidents of a set it never saw while raising few others, and its
/// explanation names n-grams, never a secret.
/// </summary>
public sealed class SecondOpinionTests(ITestOutputHelper output)
{
    private const string Retrain = "run 'dotnet run --project functions/Intake.Server -- triage train functions/Intake/Triage/Rules tests/Intake.Tests/Data/triage-*.jsonl'";

    /// <summary>The rules alone, and the rules with the second opinion only (the category opinion has its own tests).</summary>
    private static readonly Lazy<TriageEngine> RulesAlone = new(() => Engine(secondOpinion: false));
    private static readonly Lazy<TriageEngine> WithSecondOpinion = new(() => Engine(secondOpinion: true));

    private static TriageEngine Engine(bool secondOpinion)
    {
        var rules = TriageRules.LoadEmbedded();
        rules.Categories.CategoryOpinionAt = null;
        if (!secondOpinion)
        {
            rules.Categories.SecondOpinionAt = null;
        }

        return new TriageEngine(rules);
    }

    internal static IEnumerable<string> LabelledSets() =>
        Directory.EnumerateFiles(Path.Combine(AppContext.BaseDirectory, "Data"), "triage-*.jsonl");

    [Fact]
    public void The_embedded_models_are_the_ones_the_labelled_sets_make()
    {
        var sets = SecondOpinionTraining.ReadAll(LabelledSets(), RulesAlone.Value);
        var incidents = sets.SelectMany(s => s.Incidents).ToList();
        var retrained = SecondOpinion.Train(incidents);
        var embedded = TriageRules.LoadEmbedded().SecondOpinion!;
        var apart = incidents.Count(e => Math.Abs(retrained.Probability(e.Folded) - embedded.Probability(e.Folded)) > 1e-4);
        Assert.True(apart == 0, $"{apart} of {incidents.Count} messages get another probability from the embedded second opinion than from one trained on Data/triage-*.jsonl: {Retrain}.");

        var examples = sets.SelectMany(s => s.Examples).ToList();
        var categories = CategoryOpinion.Train(examples);
        var embeddedCategories = TriageRules.LoadEmbedded().CategoryOpinion!;
        var differ = examples.Count(e => categories.Likeliest(e.Folded) is var (category, probability)
            && embeddedCategories.Likeliest(e.Folded) is var (embeddedCategory, embeddedProbability)
            && (category != embeddedCategory || Math.Abs(probability - embeddedProbability) > 1e-4));
        Assert.True(differ == 0, $"{differ} of {examples.Count} messages get another reading from the embedded category opinion than from one trained on Data/triage-*.jsonl: {Retrain}.");
    }

    [Fact]
    public void It_only_ever_raises_a_message_to_urgent_security_and_changes_nothing_else()
    {
        var raised = 0;
        foreach (var set in LabelledSets())
        {
            foreach (var message in CorpusScore.Load(Path.GetFileName(set)))
            {
                var alone = RulesAlone.Value.Triage(message.Text);
                var both = WithSecondOpinion.Value.Triage(message.Text);
                Assert.Equal(alone.Language, both.Language);
                Assert.Equal(alone.RedactedText, both.RedactedText);
                Assert.Equal(alone.Secrets, both.Secrets);
                Assert.Equal(alone.Flags, both.Flags);
                if (both.Rules.Contains(TriageEngine.SecondOpinionRule))
                {
                    raised++;
                    // Below urgent by the rules, or urgent only for a pasted secret (the category is then raised to security).
                    Assert.True(alone.Urgency < Urgency.Urgent || alone.Rules.Contains("urgency.secret_exposed"), $"{message.Id} was urgent security already");
                    Assert.Equal((TicketCategory.Security, Urgency.Urgent), (both.Category, both.Urgency));
                }
                else
                {
                    Assert.Equal((alone.Category, alone.Urgency), (both.Category, both.Urgency));
                }
            }
        }

        output.WriteLine($"{raised} messages raised");
    }

    [Fact]
    public void Left_out_in_turn_each_set_has_most_of_its_incidents_found_by_a_model_that_never_saw_it_and_few_others_raised()
    {
        var folds = SecondOpinionTraining.Folds(SecondOpinionTraining.ReadAll(LabelledSets(), RulesAlone.Value), TriageEngine.Default.SecondOpinionAt!.Value);
        foreach (var fold in folds)
        {
            output.WriteLine($"{fold.Set}: incidents {fold.Found}/{fold.Incidents}, others raised {fold.Raised}/{fold.Others}, categories read right alone {fold.CategoriesRight}/{fold.Messages}");
        }

        var (found, incidents) = (folds.Sum(f => f.Found), folds.Sum(f => f.Incidents));
        var (raised, others) = (folds.Sum(f => f.Raised), folds.Sum(f => f.Others));
        Assert.True(found >= 0.85 * incidents, $"the model alone found {found} of {incidents} incidents of the sets it never saw");
        Assert.True(raised <= 0.03 * others, $"the model alone raised {raised} of {others} other messages of the sets it never saw");
        var (right, messages) = (folds.Sum(f => f.CategoriesRight), folds.Sum(f => f.Messages));
        Assert.True(right >= 0.85 * messages, $"the category opinion alone read {right} of {messages} categories of the sets it never saw");
    }

    [Fact]
    public void The_explanation_gives_the_probability_and_the_strongest_ngrams_and_never_a_secret()
    {
        const string Password = "Tr0ub4dor&3x";
        var text = $"Someone from the support group on Telegram helped me and I gave him my password: {Password} — now my USDT is gone.";

        var explanation = TriageEngine.Default.Explain(text);

        var opinion = Assert.IsType<TriageSecondOpinion>(explanation.SecondOpinion);
        Assert.InRange(opinion.Probability, 0, 1);
        Assert.Equal(TriageEngine.Default.SecondOpinionAt, opinion.RaiseAt);
        Assert.NotEmpty(opinion.Strongest);
        Assert.DoesNotContain(opinion.Strongest, gram => Password.Contains(gram.Trim(), StringComparison.OrdinalIgnoreCase) && gram.Trim().Length > 1);
        Assert.Equal(opinion.Raised, explanation.Result.Rules.Contains(TriageEngine.SecondOpinionRule));
    }

    [Fact]
    public void A_login_the_customer_says_was_theirs_is_not_raised_however_sure_the_model_is()
    {
        var rules = TriageRules.LoadEmbedded();
        rules.Categories.SecondOpinionAt = 1e-9;
        rules.Categories.CategoryOpinionAt = 1e-9;
        var eager = new TriageEngine(rules);

        var own = eager.Explain("Got an email: new login from Windows, Kazan. Then I remembered I logged in from my work laptop there yesterday. That was me, right?");
        var other = eager.Explain("How do I change the language of the app?");

        Assert.Contains("policy.own_login_is_general", own.Result.Rules);
        Assert.Equal((TicketCategory.General, Urgency.Normal), (own.Result.Category, own.Result.Urgency));
        Assert.Equal("policy.own_login_is_general", own.SecondOpinion!.WithheldBy);
        Assert.Equal("policy.own_login_is_general", own.CategoryOpinion!.WithheldBy);
        Assert.False(own.CategoryOpinion.Applied);
        Assert.Contains(TriageEngine.SecondOpinionRule, other.Result.Rules);
    }

    [Fact]
    public void A_model_it_cannot_read_is_refused_with_the_reason()
    {
        using var garbage = new MemoryStream("not a model"u8.ToArray());
        Assert.Throws<InvalidDataException>(() => SecondOpinion.Load(garbage));

        using var short_ = new MemoryStream();
        using (var deflate = new DeflateStream(short_, CompressionLevel.Fastest, leaveOpen: true))
        {
            deflate.Write("ITNG"u8);
            deflate.Write([2, 0, 0, 0, 0, 0, 4]);
        }

        short_.Position = 0;
        Assert.Contains("cut short", Assert.Throws<InvalidDataException>(() => SecondOpinion.Load(short_)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_examples_train_the_same_model_and_training_needs_both_kinds()
    {
        (string, bool)[] examples = [("my coins are gone, someone logged in", true), ("how do i change my nickname", false), ("withdrawal not me", true), ("fees for vip", false)];

        var first = SecondOpinion.Train(examples);
        var second = SecondOpinion.Train(examples);

        Assert.Equal(first.Probability("coins gone"), second.Probability("coins gone"));
        Assert.True(first.Probability("someone logged in, my coins are gone") > first.Probability("what are the vip fees"));
        Assert.Throws<ArgumentException>(() => SecondOpinion.Train([("only incidents", true)]));
    }
}
