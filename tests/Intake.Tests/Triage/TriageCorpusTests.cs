using Intake.Triage;

namespace Intake.Tests.Triage;

public class TriageCorpusTests(ITestOutputHelper output)
{
    [Fact]
    public void Development_corpus_meets_the_triage_targets()
    {
        var score = CorpusScore.Run("triage-dev.jsonl", TriageEngine.Default);
        output.WriteLine(score.Report());

        Assert.True(score.Messages.Count >= 80, "the development corpus is missing or truncated");
        Assert.True(score.SafetyMisses.Count == 0, "secrets and entities:\n" + score.Report());
        Assert.True(score.UrgentFound == score.UrgentExpected, "urgent recall must be 100 %:\n" + score.Report());
        Assert.True(score.UrgencyShare >= 0.95, "urgency below 95 %:\n" + score.Report());
        Assert.True(score.CategoryShare >= 0.90, "category below 90 %:\n" + score.Report());
        Assert.True(score.LanguageShare >= 0.98, "language below 98 %:\n" + score.Report());
    }
}
