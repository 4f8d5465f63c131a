using System.Diagnostics;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Intake.Triage;

/// <summary>
/// Builds the triage engine as the host starts, beside start-up rather than in its way, so that the first message
/// does not wait the second or so that compiling the rules and lexicons into one matcher takes.
/// </summary>
internal sealed partial class TriageWarmUp(ILogger<TriageWarmUp> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        _ = Task.Run(Build, CancellationToken.None);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Build()
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var rules = TriageEngine.Default.RuleCount;
            var elapsed = Stopwatch.GetElapsedTime(started);
            LogReady(rules, elapsed);
        }
        catch (Exception ex) when (ex is InvalidDataException or InvalidOperationException or System.Text.Json.JsonException)
        {
            // The first message and the health check will meet the same error; say it now, once, with its cause.
            LogBroken(ex);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Triage engine ready: {Rules} rules in {Elapsed}")]
    private partial void LogReady(int rules, TimeSpan elapsed);

    [LoggerMessage(Level = LogLevel.Critical, Message = "Triage rules cannot be loaded; every message will fail triage until they are fixed")]
    private partial void LogBroken(Exception exception);
}
