using Intake.Triage;

namespace Intake.Tests.Triage;

/// <summary>
/// The category opinion: softmax over the same n-grams as the second opinion, trained on every labelled set. Below
/// urgent, and never to security, its confident reading replaces the rules' category where it raises the urgency or
/// where the rules saw no more than topic words and weak problems; a pasted secret, an incident, a state that decides
/// the ticket and a policy that withholds the second opinion keep the rules' decision. Its explanation names its
/// reading and n-grams, never a secret; the training command writes it beside the second opinion.
/// </summary>
public sealed class CategoryOpinionTests(ITestOutputHelper output)
{
    private const string Mnemonic = "abandon ability able about above absent absorb abstract absurd abuse access accident";

    private static readonly Lazy<TriageEngine> WithoutIt = new(() =>
    {
        var rules = TriageRules.LoadEmbedded();
        rules.Categories.CategoryOpinionAt = null;
        return new TriageEngine(rules);
    });

    /// <summary>Always confident: whatever it reads differs from the rules, only the engine's limits stand between.</summary>
    private static readonly Lazy<TriageEngine> Eager = new(() =>
    {
        var rules = TriageRules.LoadEmbedded();
        rules.Categories.CategoryOpinionAt = 1e-9;
        return new TriageEngine(rules);
    });

    [Fact]
    public void Its_reading_replaces_the_rules_only_below_urgent_never_to_security_and_only_where_it_raises_or_the_rules_saw_little()
    {
        var overrules = TriageRules.LoadEmbedded().Categories.CategoryOpinionOverrules;
        var (applied, raised) = (0, 0);
        foreach (var set in SecondOpinionTests.LabelledSets())
        {
            foreach (var message in CorpusScore.Load(Path.GetFileName(set)))
            {
                var rules = WithoutIt.Value.Explain(message.Text);
                var eager = Eager.Value.Triage(message.Text);
                Assert.Equal(rules.Result.Language, eager.Language);
                Assert.Equal(rules.Result.RedactedText, eager.RedactedText);
                Assert.Equal(rules.Result.Secrets, eager.Secrets);
                if (!eager.Rules.Contains(TriageEngine.CategoryOpinionRule))
                {
                    Assert.Equal((rules.Result.Category, rules.Result.Urgency), (eager.Category, eager.Urgency));
                    continue;
                }

                applied++;
                Assert.True(rules.Result.Urgency < Urgency.Urgent, $"{message.Id}: an urgent message was read again");
                Assert.NotEqual(TicketCategory.Security, eager.Category);
                Assert.NotEqual(rules.Result.Category, eager.Category);
                if (eager.Urgency > rules.Result.Urgency)
                {
                    raised++;
                }
                else
                {
                    Assert.True(rules.Scores.Values.DefaultIfEmpty(0).Max() <= overrules,
                        $"{message.Id}: {rules.Result.Category} scored above {overrules} and was overruled by a reading no more urgent");
                }
            }
        }

        output.WriteLine($"with any probability: {applied} messages read again, {raised} of them raised");
        Assert.NotEqual(0, applied);
        Assert.NotEqual(0, raised);
    }

    /// <summary>
    /// A trade that failed or lost money is high, and so is an API outage, whether the rules or the opinion named the
    /// category: a reading of trading beside "liquidated, lost 3,000 reais" keeps the failure-or-loss policy.
    /// </summary>
    [Fact]
    public void Its_reading_of_trading_or_api_keeps_the_urgency_their_policies_give()
    {
        var kept = 0;
        foreach (var set in SecondOpinionTests.LabelledSets())
        {
            foreach (var message in CorpusScore.Load(Path.GetFileName(set)))
            {
                var eager = Eager.Value.Triage(message.Text);
                if (!eager.Rules.Contains(TriageEngine.CategoryOpinionRule))
                {
                    continue;
                }

                var (signalled, policy) = eager.Category switch
                {
                    TicketCategory.Trading => (eager.Rules.Any(r => r is "trading.failure" or "signal.loss"), "policy.trading_failure_or_loss"),
                    TicketCategory.Api => (eager.Rules.Contains("api.outage"), "policy.api_outage"),
                    _ => (false, ""),
                };
                if (signalled)
                {
                    kept++;
                    Assert.True(eager.Urgency >= Urgency.High, $"{message.Id}: read as {eager.Category} with its problem, yet {eager.Urgency}");
                    Assert.Contains(policy, eager.Rules);
                }
            }
        }

        output.WriteLine($"{kept} messages read as trading or api with a failure, a loss or an outage");
        Assert.NotEqual(0, kept);
    }

    [Fact]
    public void A_pasted_secret_or_an_incident_keeps_the_rules_category_however_sure_it_is()
    {
        var secret = Eager.Value.Explain($"My deposit of 200 USDT has not arrived after two hours. Here is my recovery phrase so you can check: {Mnemonic}");
        var incident = Eager.Value.Explain("Someone logged into my account from another country and withdrew all my BTC. It was not me!");

        Assert.Equal(Urgency.Urgent, secret.Result.Urgency);
        Assert.False(secret.CategoryOpinion!.Applied);
        Assert.DoesNotContain(TriageEngine.CategoryOpinionRule, secret.Result.Rules);
        Assert.Equal((TicketCategory.Security, Urgency.Urgent), (incident.Result.Category, incident.Result.Urgency));
        Assert.False(incident.CategoryOpinion!.Applied);
    }

    [Fact]
    public void The_explanation_names_its_reading_and_its_strongest_ngrams_and_never_a_secret()
    {
        const string Password = "Gr33nT3a!Lemon";
        var explanation = TriageEngine.Default.Explain($"I want to suggest a dark mode for the app, it would be great. My password: {Password} works fine, no problem.");

        var reading = Assert.IsType<TriageCategoryOpinion>(explanation.CategoryOpinion);
        Assert.InRange(reading.Probability, 0, 1);
        Assert.Equal(TriageEngine.Default.CategoryOpinionAt, reading.At);
        Assert.NotEmpty(reading.Strongest);
        Assert.DoesNotContain(reading.Strongest, gram => gram.Length > 1 && Password.Contains(gram, StringComparison.OrdinalIgnoreCase));
        Assert.Equal(reading.Applied, explanation.Result.Rules.Contains(TriageEngine.CategoryOpinionRule));
    }

    [Fact]
    public void A_how_to_question_the_rules_read_as_a_problem_from_topic_words_alone_is_answered_as_a_question()
    {
        // Topic words only ("withdrawal", "whitelist") and a how-to: the rules' withdrawal/high rests on a word.
        var explanation = TriageEngine.Default.Explain("How do I turn on the withdrawal address whitelist? And does a new address have to wait 24 hours?");

        Assert.Equal(Urgency.Normal, explanation.Result.Urgency);
        Assert.NotEqual(TicketCategory.Withdrawal, explanation.Result.Category);
    }

    [Fact]
    public void The_same_examples_train_the_same_model_and_training_needs_two_categories()
    {
        (string, TicketCategory)[] examples =
        [
            ("my deposit has not arrived", TicketCategory.Deposit), ("deposit not credited after an hour", TicketCategory.Deposit),
            ("what are the vip fees", TicketCategory.FeesLimits), ("maker fee for vip 2", TicketCategory.FeesLimits),
            ("i love the new app design", TicketCategory.Feedback), ("please add a dark mode", TicketCategory.Feedback),
        ];

        var first = CategoryOpinion.Train(examples);
        var second = CategoryOpinion.Train(examples);

        Assert.Equal(first.Likeliest("my deposit is missing"), second.Likeliest("my deposit is missing"));
        Assert.Equal(TicketCategory.Deposit, first.Likeliest("the deposit has not arrived yet").Category);
        Assert.Equal(TicketCategory.FeesLimits, first.Likeliest("what is the maker fee").Category);
        Assert.Throws<ArgumentException>(() => CategoryOpinion.Train([("only deposits", TicketCategory.Deposit), ("another deposit", TicketCategory.Deposit)]));
    }

    [Fact]
    public void The_second_opinion_is_not_read_as_a_category_model()
    {
        using var model = new MemoryStream();
        TriageRules.LoadEmbedded().SecondOpinion!.Save(model);
        model.Position = 0;

        Assert.Contains("triage train", Assert.Throws<InvalidDataException>(() => CategoryOpinion.Load(model)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Triage_train_writes_both_models_into_the_rules_folder_and_refuses_a_file_name()
    {
        var folder = Directory.CreateTempSubdirectory("intake-train-");
        try
        {
            var set = Path.Combine(AppContext.BaseDirectory, "Data", "triage-dev.jsonl");
            var rules = TriageRules.LoadEmbedded(models: false);
            (rules.Categories.SecondOpinionAt, rules.Categories.CategoryOpinionAt) = (null, null);
            var engine = new TriageEngine(rules);

            Assert.Equal(2, await SecondOpinionTraining.RunOnConsoleAsync([Path.Combine(folder.FullName, "model.bin"), set], engine, 0.5));
            Assert.Equal(0, await SecondOpinionTraining.RunOnConsoleAsync([folder.FullName, set], engine, 0.5));

            await using var incident = File.OpenRead(Path.Combine(folder.FullName, SecondOpinionTraining.SecondOpinionFile));
            await using var category = File.OpenRead(Path.Combine(folder.FullName, SecondOpinionTraining.CategoryOpinionFile));
            Assert.InRange(SecondOpinion.Load(incident).Probability("my coins are gone"), 0, 1);
            Assert.InRange(CategoryOpinion.Load(category).Likeliest("my coins are gone").Probability, 0, 1);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
