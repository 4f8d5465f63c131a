using Intake.Benchmarks.Chaos;
using Intake.Benchmarks.Load;
using Intake.Server.Storage;

namespace Intake.Tests.Server;

/// <summary>
/// The short version of the <c>chaos</c> fault run (tests/Intake.Benchmarks, compiled in here: see the project file): the
/// server this build produced runs as a child process over Azurite on disk and is SIGKILLed twice while one client on
/// each channel (web form, Telegram, Messenger) sends its messages again until they are answered, then mail, Telegram
/// and Graph refuse every send for a while and Azurite is stopped and started again. Only the invariant is asserted,
/// never a timing: every message answered 202 or 200 has exactly one ticket and an acknowledgement. A second
/// acknowledgement is what a kill between the provider's acceptance and our mark costs by design (docs/pipeline.md), so
/// the suite does not fail on it; the <c>chaos</c> command counts it.
/// </summary>
public class ChaosTests
{
    [Fact]
    public async Task Every_message_answered_on_the_web_form_Telegram_and_Messenger_has_one_ticket_and_its_acknowledgement_across_kills_and_outages()
    {
        var root = Azurite.FindRepositoryRoot(AppContext.BaseDirectory)
            ?? throw new InvalidOperationException("The tests run from a clone of the repository (a package.json with azurite above them).");
        var plan = new ChaosPlan(
            Clients: 1, KillPhase: TimeSpan.FromSeconds(12), Kills: 2, ProviderOutage: TimeSpan.FromSeconds(5), StorageOutage: TimeSpan.FromSeconds(3),
            AckWait: TimeSpan.FromSeconds(150), Seed: Random.Shared.Next(0xFFFF))
        {
            Channels = ChaosChannels.All,
            Tail = TimeSpan.FromSeconds(3),
        };
        using var log = new StringWriter();

        var report = await new ChaosRun(root, ServerBuiltWithTheseTests(root), plan, log).RunAsync(TestContext.Current.CancellationToken);

        var figures = report.Format() + Environment.NewLine + log;
        TestContext.Current.TestOutputHelper?.WriteLine(figures);
        Assert.True(report.RunWorked, figures);
        Assert.True(report.NothingLost, figures);
    }

    /// <summary>Intake.Server as the build that produced these tests left it (the same configuration); the test never builds.</summary>
    private static string ServerBuiltWithTheseTests(string root)
    {
        // …/tests/Intake.Tests/bin/{Configuration}/net10.0/
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        var dll = Path.Combine(ServerProcess.BuildOutput(root, configuration), "Intake.Server.dll");
        return File.Exists(dll) ? dll : throw new InvalidOperationException($"Build the solution first: {dll} is missing.");
    }
}
