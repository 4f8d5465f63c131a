namespace Intake.Tests;

public class SmokeTests
{
    [Fact]
    public void Engine_exists() => Assert.NotNull(Intake.Triage.TriageEngine.Default);
}
