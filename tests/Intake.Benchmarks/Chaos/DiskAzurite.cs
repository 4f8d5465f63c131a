using Intake.Server.Storage;
using Microsoft.Extensions.Logging.Abstractions;

namespace Intake.Benchmarks.Chaos;

/// <summary>
/// The server's own <see cref="Azurite"/> starter keeping its data in a temporary folder, stopped and started again
/// there on the same ports: the storage outage of the fault run. Stopping it is <see cref="Azurite.StopAsync"/> (SIGTERM,
/// on which Azurite saves its databases: an outage, not a loss of what storage acknowledged). The folder goes on dispose.
/// </summary>
internal sealed class DiskAzurite(string repositoryRoot, string location, AzuritePorts ports) : IAsyncDisposable
{
    private Azurite? _running;

    public AzuritePorts Ports { get; } = ports;

    public string ConnectionString => Ports.ConnectionString;

    /// <summary>Starts Azurite on free ports over a fresh temporary folder, removed on dispose.</summary>
    public static async Task<DiskAzurite> StartAsync(string repositoryRoot, CancellationToken cancellationToken)
    {
        var location = Directory.CreateTempSubdirectory("intake-chaos-").FullName;
        var azurite = new DiskAzurite(repositoryRoot, location, AzuritePorts.Free());
        try
        {
            await azurite.StartAgainAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await azurite.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return azurite;
    }

    /// <summary>Starts the stopped Azurite on the same ports and folder; returns once all three ports listen.</summary>
    public async Task StartAgainAsync(CancellationToken cancellationToken)
    {
        if (_running is not null)
        {
            throw new InvalidOperationException("Azurite is running.");
        }

        _running = await Azurite.StartAsync(repositoryRoot, Ports, location, NullLogger.Instance, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Stops Azurite and waits until it has saved; false when it had to be killed instead (then the last seconds of
    /// writes may be gone, and the run says so).
    /// </summary>
    public async Task<bool> StopAsync(CancellationToken cancellationToken)
    {
        var running = _running ?? throw new InvalidOperationException("Azurite is not running.");
        _running = null;
        return await running.StopAsync(cancellationToken).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_running is { } running)
        {
            _running = null;
            await running.DisposeAsync().ConfigureAwait(false);
        }

        try
        {
            Directory.Delete(location, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temporary folder; nothing depends on it.
        }
    }
}
