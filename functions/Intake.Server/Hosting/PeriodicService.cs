using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Intake.Server.Hosting;

/// <summary>
/// One of the server's periodic jobs (the SLA monitor, the outbox sweeper; the Functions host has timer triggers instead):
/// <paramref name="run"/> every <paramref name="interval"/> on the host's <see cref="TimeProvider"/>. What it runs is
/// resolved when the service starts, after start-up has settled the storage connection (which may refuse to start). A
/// failed run is logged and the next tick tries again: every job is idempotent and keeps its work until it is done.
/// </summary>
internal sealed partial class PeriodicService(
    string name, Func<IServiceProvider, TimeSpan> interval, Func<IServiceProvider, Func<CancellationToken, Task>> run, IServiceProvider services,
    TimeProvider time, ILogger<PeriodicService> logger) : BackgroundService
{
    /// <summary>Adds a periodic job as a hosted service (one instance per call, unlike <c>AddHostedService</c>, which would keep only the first).</summary>
    public static void Add(
        IServiceCollection services, string name, Func<IServiceProvider, TimeSpan> interval, Func<IServiceProvider, Func<CancellationToken, Task>> run) =>
        services.AddSingleton<IHostedService>(sp => new PeriodicService(
            name, interval, run, sp, sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILogger<PeriodicService>>()));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var job = run(services);
        using var timer = new PeriodicTimer(interval(services), time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken).ConfigureAwait(false))
            {
                try
                {
                    await job(stoppingToken).ConfigureAwait(false);
                }
                catch (Exception ex) when (ex is not OperationCanceledException)
                {
                    LogRunFailed(logger, name, ex);
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "{Name} run failed; the next tick tries again")]
    private static partial void LogRunFailed(ILogger logger, string name, Exception exception);
}
