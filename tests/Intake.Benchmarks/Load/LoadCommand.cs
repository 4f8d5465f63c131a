using System.Diagnostics;
using System.Runtime.InteropServices;
using Intake.Server.Storage;
using Intake.Storage;
using Microsoft.Extensions.Logging;

namespace Intake.Benchmarks.Load;

/// <summary>
/// <c>load</c>: in one run, the raw insert rates of a fresh Azurite (one partition, then a partition each), then the
/// real server (Release, child process) over the same Azurite under web-form load, with SendGrid faked in process;
/// prints the figures against the goals. The exit code says whether the run worked, not whether the goals were met.
/// Azurite and the server are stopped at the end, on Ctrl+C or SIGTERM, and on any failure.
/// </summary>
internal static class LoadCommand
{
    public static async Task<int> RunAsync(string[] args)
    {
        var settings = LoadSettings.Parse(args, out var error);
        if (settings is null)
        {
            await Console.Error.WriteLineAsync(error + Environment.NewLine + LoadSettings.Usage).ConfigureAwait(false);
            return 2;
        }

        // Ctrl+C, SIGTERM or a closed terminal stop the run, but let it clean up: the finally blocks stop the server and Azurite.
        using var interrupted = new CancellationTokenSource();
        using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
        using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
        using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Interrupt);

        using var loggers = LoggerFactory.Create(logging => logging.AddSimpleConsole(console => console.SingleLine = true).SetMinimumLevel(LogLevel.Information));
        try
        {
            var root = Azurite.FindRepositoryRoot(Environment.CurrentDirectory) ?? Azurite.FindRepositoryRoot(AppContext.BaseDirectory)
                ?? throw new InvalidOperationException("Run from a clone of the repository: no package.json with azurite above here.");
            await using var azurite = await Azurite.StartAsync(root, AzuritePorts.Free(), loggers.CreateLogger("Azurite"), interrupted.Token).ConfigureAwait(false);
            if (settings.CountRequests)
            {
                await StorageRequestCount.RunAsync(azurite.ConnectionString, settings, Console.Out, interrupted.Token).ConfigureAwait(false);
                return 0;
            }

            var report = await MeasureAsync(root, azurite, settings, interrupted.Token).ConfigureAwait(false);
            await Console.Out.WriteLineAsync(report.Format(TimeProvider.System.GetUtcNow())).ConfigureAwait(false);
            return 0;
        }
        catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
        {
            await Console.Error.WriteLineAsync("Interrupted; the server and Azurite are stopped.").ConfigureAwait(false);
            return 130;
        }
        catch (Exception ex)
        {
            await Console.Error.WriteLineAsync($"The load run failed: {ex}").ConfigureAwait(false);
            return 1;
        }

        void Interrupt(PosixSignalContext context)
        {
            context.Cancel = true;
            interrupted.Cancel();
        }
    }

    private static async Task<LoadReport> MeasureAsync(string root, Azurite azurite, LoadSettings settings, CancellationToken cancellationToken)
    {
        var log = Console.Out;
        await log.WriteLineAsync($"Raw inserts, one partition: {settings.Concurrency} parallel, {settings.WarmupSeconds} s warm-up + {settings.Seconds} s…")
            .ConfigureAwait(false);
        using var azuriteProcess = Process.GetProcessById(azurite.ProcessId);
        var rawStart = CpuSample.Take(azuriteProcess, null);
        var raw = await RawInsertRate.MeasureAsync(
            azurite.ConnectionString, settings.Concurrency, onePartition: true, settings.Warmup, settings.Duration, cancellationToken).ConfigureAwait(false);
        var rawCpu = CpuSample.Take(azuriteProcess, null).Since(rawStart);
        await log.WriteLineAsync("Raw inserts, a partition each…").ConfigureAwait(false);
        var rawSpread = await RawInsertRate.MeasureAsync(
            azurite.ConnectionString, settings.Concurrency, onePartition: false, settings.Warmup, settings.Duration, cancellationToken).ConfigureAwait(false);

        await using var sendGrid = await ReceivingSendGrid.StartAsync(cancellationToken).ConfigureAwait(false);
        await log.WriteLineAsync("Starting the server…").ConfigureAwait(false);
        await using var server = await ServerProcess.StartAsync(root, ServerSettings(azurite, sendGrid), log, cancellationToken).ConfigureAwait(false);
        var idleMemory = server.WorkingSet() ?? 0;

        using var stopSampling = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var memory = server.MaxWorkingSetAsync(TimeSpan.FromMilliseconds(200), stopSampling.Token);
        var loadStart = CpuSample.Take(azuriteProcess, server);

        await log.WriteLineAsync($"Web-form load: {settings.Concurrency} clients, {settings.ServerWarmupSeconds} s warm-up + {settings.Seconds} s…").ConfigureAwait(false);
        var window = MeasuredWindow.AfterWarmup(settings.ServerWarmup, settings.Duration);
        var measured = await WebFormLoad.RunClientsAsync(server.BaseUrl, settings.Concurrency, window, cancellationToken).ConfigureAwait(false);
        var loadCpu = CpuSample.Take(azuriteProcess, server).Since(loadStart);
        var acknowledged = sendGrid.Arrivals;

        await log.WriteLineAsync("Waiting for the acknowledgements…").ConfigureAwait(false);
        var (delays, waited) = await WebFormLoad.WaitForAcknowledgementsAsync(sendGrid, measured, cancellationToken).ConfigureAwait(false);
        await stopSampling.CancelAsync().ConfigureAwait(false);
        var maxMemory = await memory.ConfigureAwait(false);
        return new LoadReport(settings, raw, rawCpu, rawSpread, window, measured, acknowledged, delays, waited, idleMemory, maxMemory, loadCpu, server.Warnings, server.LastOutput);
    }

    /// <summary>The server as it would run in production, over this run's Azurite and fake SendGrid, with the per-address limit out of the way.</summary>
    private static Dictionary<string, string> ServerSettings(Azurite azurite, ReceivingSendGrid sendGrid) => new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        [StorageAccount.ConnectionSetting] = azurite.ConnectionString,
        ["Storage__Prefix"] = "load" + Guid.NewGuid().ToString("N")[..12],
        ["Intake__SigningKey"] = "load-signing-key-" + Guid.NewGuid().ToString("N"),
        ["SendGrid__BaseUrl"] = sendGrid.BaseUrl.ToString(),
        ["SendGrid__ApiKey"] = "SG.load-test-key",
        ["SendGrid__FromEmail"] = "support@exchange.example",

        // All clients share 127.0.0.1. WebForm:SubmissionsPerWindow allows at most 10,000, so the window is one second.
        ["WebForm__SubmissionsPerWindow"] = "10000",
        ["WebForm__Window"] = "00:00:01",
        ["Logging__LogLevel__Default"] = "Warning",
    };
}
