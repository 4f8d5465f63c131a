using Intake.Triage;

namespace Intake.Tests.Triage;

public class TriageCorpusTests(ITestOutputHelper output)
{
    /// <summary>
    /// triage-dev.jsonl is the shared development corpus. triage-holdout.jsonl and triage-holdout2.jsonl were each
    /// written independently, from the category policy alone, by authors who never saw the rules; the rules were
    /// generalised against them afterwards (first-run figures are in docs/triage.md).
    /// </summary>
    [Theory]
    [InlineData("triage-dev.jsonl", 80)]
    [InlineData("triage-holdout.jsonl", 150)]
    [InlineData("triage-holdout2.jsonl", 100)]
    public void Corpus_meets_the_triage_targets(string file, int size)
    {
        var score = CorpusScore.Run(file, TriageEngine.Default);
        output.WriteLine(score.Report());

        Assert.True(score.Messages.Count >= size, $"{file} is missing or truncated");
        Assert.True(score.SafetyMisses.Count == 0, "secrets and entities:\n" + score.Report());
        Assert.True(score.UrgentFound == score.UrgentExpected, "urgent recall must be 100 %:\n" + score.Report());
        Assert.True(score.UrgencyShare >= 0.95, "urgency below 95 %:\n" + score.Report());
        Assert.True(score.CategoryShare >= 0.90, "category below 90 %:\n" + score.Report());
        Assert.True(score.LanguageShare >= 0.98, "language below 98 %:\n" + score.Report());
    }

    /// <summary>
    /// triage-blind3.jsonl (the hard urgent cases told in customers' own words) and triage-blind4.jsonl (a desk's
    /// everyday mix, secrets pasted in every shape) were written blind for issue 19 and scored before any rule changed;
    /// triage-blind5.jsonl and triage-blind6.jsonl were written blind while the concept lexicons were built and scored
    /// once they were done; triage-blind7.jsonl was written blind after that and scored once on the engine tuned with
    /// sets 5 and 6, triage-blind8.jsonl likewise after set 7, triage-blind9.jsonl after set 8 and a second pass over
    /// the lexicons, triage-blind10.jsonl after set 9, triage-blind11.jsonl after set 10; triage-blind12.jsonl to
    /// triage-blind14.jsonl after set 11 on the rules alone, triage-blind15.jsonl and triage-blind16.jsonl after the
    /// second opinion was added, triage-blind17.jsonl and triage-blind18.jsonl after the rules were tuned with sets 12 to
    /// 16, triage-blind19.jsonl and triage-blind20.jsonl after sets 17 and 18, triage-blind21.jsonl and
    /// triage-blind22.jsonl after sets 19 and 20, triage-blind23.jsonl and triage-blind24.jsonl after sets 21 and 22,
    /// triage-blind25.jsonl and triage-blind26.jsonl after sets 23 and 24, triage-blind27.jsonl and triage-blind28.jsonl
    /// after sets 25 and 26, triage-blind29.jsonl and triage-blind30.jsonl after sets 27 and 28, triage-blind31.jsonl and
    /// triage-blind32.jsonl on the engine as that work left it, triage-blind33.jsonl and triage-blind34.jsonl on the
    /// same engine before the category opinion was added, triage-blind35.jsonl and triage-blind36.jsonl on the engine
    /// with it, triage-blind37.jsonl and triage-blind38.jsonl on the same engine once sets 35 and 36 had joined (all
    /// first-run figures are in docs/triage.md). These floors are the best figures so far and
    /// only rise: a change that scores a set lower than it did fails here. Misses are reported with any secret the
    /// engine left masked.
    /// </summary>
    [Theory]
    [InlineData("triage-blind3.jsonl", 120, 60, 119, 119, 120, 0)]
    [InlineData("triage-blind4.jsonl", 120, 24, 119, 118, 120, 0)]
    [InlineData("triage-blind5.jsonl", 150, 69, 148, 148, 150, 0)]
    [InlineData("triage-blind6.jsonl", 130, 36, 130, 128, 129, 0)]
    [InlineData("triage-blind7.jsonl", 150, 61, 148, 148, 150, 0)]
    [InlineData("triage-blind8.jsonl", 150, 64, 147, 148, 150, 0)]
    [InlineData("triage-blind9.jsonl", 150, 64, 147, 149, 150, 0)]
    [InlineData("triage-blind10.jsonl", 150, 57, 146, 145, 150, 0)]
    [InlineData("triage-blind11.jsonl", 150, 57, 144, 145, 150, 0)]
    [InlineData("triage-blind12.jsonl", 150, 56, 148, 148, 150, 0)]
    [InlineData("triage-blind13.jsonl", 150, 50, 148, 149, 150, 0)]
    [InlineData("triage-blind14.jsonl", 150, 50, 148, 147, 150, 0)]
    [InlineData("triage-blind15.jsonl", 150, 56, 150, 148, 150, 0)]
    [InlineData("triage-blind16.jsonl", 150, 50, 149, 149, 150, 0)]
    [InlineData("triage-blind17.jsonl", 150, 55, 148, 148, 150, 0)]
    [InlineData("triage-blind18.jsonl", 150, 56, 150, 149, 147, 0)]
    [InlineData("triage-blind19.jsonl", 150, 56, 150, 149, 150, 0)]
    [InlineData("triage-blind20.jsonl", 150, 48, 140, 136, 150, 0)]
    [InlineData("triage-blind21.jsonl", 150, 55, 149, 148, 150, 0)]
    [InlineData("triage-blind22.jsonl", 150, 55, 149, 148, 150, 0)]
    [InlineData("triage-blind23.jsonl", 150, 55, 150, 150, 150, 0)]
    [InlineData("triage-blind24.jsonl", 150, 56, 150, 149, 150, 0)]
    [InlineData("triage-blind25.jsonl", 150, 56, 148, 148, 150, 0)]
    [InlineData("triage-blind26.jsonl", 150, 49, 146, 148, 150, 0)]
    [InlineData("triage-blind27.jsonl", 150, 55, 149, 149, 150, 0)]
    [InlineData("triage-blind28.jsonl", 150, 56, 145, 145, 150, 0)]
    [InlineData("triage-blind29.jsonl", 150, 56, 142, 142, 150, 0)]
    [InlineData("triage-blind30.jsonl", 150, 54, 147, 148, 150, 0)]
    [InlineData("triage-blind31.jsonl", 150, 57, 146, 147, 150, 0)]
    [InlineData("triage-blind32.jsonl", 150, 56, 148, 147, 150, 0)]
    [InlineData("triage-blind33.jsonl", 150, 46, 147, 143, 150, 0)]
    [InlineData("triage-blind34.jsonl", 150, 48, 143, 141, 150, 0)]
    [InlineData("triage-blind35.jsonl", 150, 49, 146, 145, 150, 0)]
    [InlineData("triage-blind36.jsonl", 150, 45, 150, 148, 149, 0)]
    [InlineData("triage-blind37.jsonl", 150, 49, 139, 139, 150, 0)]
    [InlineData("triage-blind38.jsonl", 150, 50, 147, 146, 149, 0)]
    [InlineData("triage-blind39.jsonl", 150, 40, 149, 148, 149, 0)]
    [InlineData("triage-blind40.jsonl", 150, 54, 147, 146, 150, 0)]
    [InlineData("triage-blind41.jsonl", 150, 31, 143, 145, 149, 0)]
    [InlineData("triage-blind42.jsonl", 150, 37, 148, 146, 149, 0)]
    [InlineData("triage-blind43.jsonl", 150, 43, 149, 147, 150, 0)]
    [InlineData("triage-blind44.jsonl", 150, 45, 144, 137, 150, 0)]
    [InlineData("triage-blind45.jsonl", 150, 48, 150, 148, 149, 0)]
    [InlineData("triage-blind46.jsonl", 150, 50, 149, 148, 150, 0)]
    [InlineData("triage-blind47.jsonl", 150, 39, 141, 137, 149, 0)]
    [InlineData("triage-blind48.jsonl", 150, 38, 150, 146, 149, 0)]
    [InlineData("triage-blind49.jsonl", 150, 43, 149, 149, 150, 0)]
    [InlineData("triage-blind50.jsonl", 150, 50, 149, 149, 150, 0)]
    public void A_blind_set_never_scores_below_its_first_run(
        string file, int size, int urgentFound, int urgencyRight, int categoryRight, int languageRight, int safetyMisses)
    {
        var score = CorpusScore.Run(file, TriageEngine.Default);
        output.WriteLine(score.Report());

        Assert.True(score.Messages.Count >= size, $"{file} is missing or truncated");
        Assert.True(score.SafetyMisses.Count <= safetyMisses, "secrets and entities:\n" + score.Report());
        Assert.True(score.UrgentFound >= urgentFound, "urgent recall fell:\n" + score.Report());
        Assert.True(score.UrgencyRight >= urgencyRight, "urgency fell:\n" + score.Report());
        Assert.True(score.CategoryRight >= categoryRight, "category fell:\n" + score.Report());
        Assert.True(score.LanguageRight >= languageRight, "language fell:\n" + score.Report());
    }
}
