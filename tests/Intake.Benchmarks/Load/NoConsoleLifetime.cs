using Microsoft.Extensions.Hosting;

namespace Intake.Benchmarks.Load;

/// <summary>
/// For the hosts inside the load tool: the default console lifetime would take Ctrl+C and SIGTERM for itself and stop
/// only that host, so the tool would neither stop nor clean up. Without it the tool handles them.
/// </summary>
internal sealed class NoConsoleLifetime : IHostLifetime
{
    public Task WaitForStartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
