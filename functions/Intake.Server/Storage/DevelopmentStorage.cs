using Intake.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Intake.Server.Storage;

internal static class DevelopmentStorageHosting
{
    /// <summary>
    /// Makes sure <c>AzureWebJobsStorage</c> is set before any hosted service starts. When it is configured, nothing
    /// changes. Otherwise, in Development, it points at the Azurite already answering on ports 10000–10002, or starts
    /// one there and stops it when the app stops; in any other environment the app fails to start.
    /// </summary>
    public static IHostApplicationBuilder AddDevelopmentStorage(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddSingleton(services => new DevelopmentStorage(
            services.GetRequiredService<IConfiguration>(),
            services.GetRequiredService<IHostEnvironment>(),
            services.GetRequiredService<ILogger<DevelopmentStorage>>(),
            AzuritePorts.Default));
        builder.Services.AddHostedService(services => services.GetRequiredService<DevelopmentStorage>());

        // Checked with the other settings before anything starts, rather than when the first hosted service does.
        builder.Services.AddSingleton<IValidateOptions<StorageOptions>, StorageConnectionValidator>();
        return builder;
    }

    internal static string NotConfigured(IHostEnvironment environment) =>
        $"{StorageAccount.ConnectionSetting} is not configured. Set it to the storage account's connection string (app setting or environment variable " +
        $"{StorageAccount.ConnectionSetting}). Only the Development environment falls back to Azurite; this is {environment.EnvironmentName}.";
}

/// <summary>Outside Development the server needs <c>AzureWebJobsStorage</c>: a start-up error, not a failure of the first service that asks.</summary>
internal sealed class StorageConnectionValidator(IConfiguration configuration, IHostEnvironment environment) : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options) =>
        environment.IsDevelopment() || !string.IsNullOrWhiteSpace(configuration[StorageAccount.ConnectionSetting])
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(DevelopmentStorageHosting.NotConfigured(environment));
}

/// <summary>
/// Runs in <see cref="StartingAsync"/>, before every hosted service's StartAsync, so that everything that reads
/// <c>AzureWebJobsStorage</c> when it starts or later finds it set.
/// </summary>
internal sealed partial class DevelopmentStorage(IConfiguration configuration, IHostEnvironment environment, ILogger<DevelopmentStorage> logger, AzuritePorts ports)
    : IHostedLifecycleService, IAsyncDisposable
{
    private Azurite? azurite;

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        if (!string.IsNullOrWhiteSpace(configuration[StorageAccount.ConnectionSetting]))
        {
            return;
        }

        if (!environment.IsDevelopment())
        {
            throw new InvalidOperationException(DevelopmentStorageHosting.NotConfigured(environment));
        }

        switch (await ports.CountAnsweringAsync(cancellationToken).ConfigureAwait(false))
        {
            case 3:
                LogUsingRunning(logger, ports.Blob, ports.Queue, ports.Table);
                break;
            case 0:
                var root = Azurite.FindRepositoryRoot(environment.ContentRootPath)
                    ?? Azurite.FindRepositoryRoot(AppContext.BaseDirectory)
                    ?? throw new InvalidOperationException(
                        $"{StorageAccount.ConnectionSetting} is not configured, nothing answers on {ports}, and no package.json " +
                        $"with azurite was found above {environment.ContentRootPath} or {AppContext.BaseDirectory} to start one from. " +
                        $"Run from a clone of the repository, start Azurite yourself, or set {StorageAccount.ConnectionSetting}.");
                azurite = await Azurite.StartAsync(root, ports, logger, cancellationToken).ConfigureAwait(false);
                break;
            default:
                throw new InvalidOperationException(
                    $"{StorageAccount.ConnectionSetting} is not configured and only some of the ports {ports} answer, " +
                    "so something other than Azurite holds them. Free them, or set the connection string.");
        }

        configuration[StorageAccount.ConnectionSetting] = ports.ConnectionString;
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Stops Azurite after every other hosted service has stopped, so they can still reach storage.</summary>
    public async Task StoppedAsync(CancellationToken cancellationToken) => await DisposeAsync().ConfigureAwait(false);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref azurite, null) is { } running)
        {
            await running.DisposeAsync().ConfigureAwait(false);
        }
    }

    [LoggerMessage(Level = LogLevel.Information,
        Message = "AzureWebJobsStorage is not configured; using the Azurite already answering on 127.0.0.1: blob {BlobPort}, queue {QueuePort}, table {TablePort}")]
    private static partial void LogUsingRunning(ILogger logger, int blobPort, int queuePort, int tablePort);
}
