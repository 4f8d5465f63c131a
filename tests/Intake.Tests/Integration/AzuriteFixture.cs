using Intake.Server.Storage;
using Intake.Tests.Integration;
using Microsoft.Extensions.Logging.Abstractions;

[assembly: AssemblyFixture(typeof(AzuriteFixture))]

namespace Intake.Tests.Integration;

/// <summary>One Azurite on free ports for the whole test run; tests keep apart by naming their own tables and queues.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private Azurite? azurite;

    public string ConnectionString => Running.ConnectionString;

    internal AzuritePorts Ports => Running.Ports;

    private Azurite Running => azurite ?? throw new InvalidOperationException("Azurite has not started.");

    public async ValueTask InitializeAsync()
    {
        var root = Azurite.FindRepositoryRoot(AppContext.BaseDirectory)
            ?? throw new InvalidOperationException($"No package.json with azurite above {AppContext.BaseDirectory}.");
        azurite = await Azurite.StartAsync(root, AzuritePorts.Free(), NullLogger.Instance, TestContext.Current.CancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (azurite is not null)
        {
            await azurite.DisposeAsync();
        }
    }
}
