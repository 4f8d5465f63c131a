using System.ComponentModel;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.Extensions.Logging;

namespace Intake.Server.Storage;

/// <summary>
/// One Azurite (the Azure Storage emulator) from the repository's pinned npm package on 127.0.0.1, in memory or, given a
/// location, on disk (so that one started again there on the same ports has the data: the fault run's storage outage).
/// Disposing it kills its process tree; so does the end of this process, even a hard kill. <see cref="StopAsync"/> stops
/// it the way that keeps what it acknowledged.
/// </summary>
internal sealed partial class Azurite : IAsyncDisposable
{
    private static readonly TimeSpan ListenTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan InstallTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan SaveTimeout = TimeSpan.FromSeconds(20);

    // Azurite never reads its stdin. This wrapper exits when stdin closes, which the operating system does when the
    // process that started it dies however it dies, so an Azurite cannot outlive its host. argv[1] is Azurite's own
    // entry script and the rest its options, exactly as if node had been started on that script.
    private const string ExitWithParent =
        "process.stdin.on('end',()=>process.exit(0)).on('error',()=>process.exit(0)).resume();require(process.argv[1]);";

    private readonly Process process;
    private readonly OutputTail output;
    private readonly ILogger logger;
    private int stopped;

    private Azurite(Process process, OutputTail output, AzuritePorts ports, ILogger logger)
    {
        this.process = process;
        this.output = output;
        this.logger = logger;
        Ports = ports;
        AppDomain.CurrentDomain.ProcessExit += OnHostExit;
    }

    public AzuritePorts Ports { get; }

    public string ConnectionString => Ports.ConnectionString;

    public int ProcessId => process.Id;

    /// <summary>
    /// The nearest folder at or above <paramref name="startDirectory"/> whose package.json depends on azurite, or
    /// null when there is none (the app runs outside a clone of the repository).
    /// </summary>
    public static string? FindRepositoryRoot(string startDirectory)
    {
        for (var directory = new DirectoryInfo(startDirectory); directory is not null; directory = directory.Parent)
        {
            var packageJson = Path.Combine(directory.FullName, "package.json");
            if (File.Exists(packageJson) && DependsOnAzurite(packageJson))
            {
                return directory.FullName;
            }
        }

        return null;
    }

    /// <summary>
    /// Installs the pinned Azurite with <c>npm ci</c> when it is missing, starts it in memory on <paramref name="ports"/>
    /// and returns once all three ports accept connections.
    /// </summary>
    public static Task<Azurite> StartAsync(string repositoryRoot, AzuritePorts ports, ILogger logger, CancellationToken cancellationToken) =>
        StartAsync(repositoryRoot, ports, location: null, logger, cancellationToken);

    /// <summary>
    /// As <see cref="StartAsync(string, AzuritePorts, ILogger, CancellationToken)"/>, keeping the data in the folder
    /// <paramref name="location"/> (Azurite's <c>--location</c>; it must exist) when it is not null: an Azurite stopped with
    /// <see cref="StopAsync"/> and started again there on the same ports has what the first one acknowledged.
    /// </summary>
    public static async Task<Azurite> StartAsync(string repositoryRoot, AzuritePorts ports, string? location, ILogger logger, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(logger);
        await EnsureInstalledAsync(repositoryRoot, logger, cancellationToken).ConfigureAwait(false);

        var output = new OutputTail();
        string[] persistence = location is null ? ["--inMemoryPersistence"] : ["--location", Path.GetFullPath(location)];
        var start = new ProcessStartInfo("node",
        [
            "-e", ExitWithParent, EntryScript(repositoryRoot),
            "--silent", .. persistence, "--disableTelemetry", "--skipApiVersionCheck", "--loose",
            "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
            "--blobPort", Invariant(ports.Blob), "--queuePort", Invariant(ports.Queue), "--tablePort", Invariant(ports.Table),
        ])
        {
            WorkingDirectory = repositoryRoot,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };

        var azurite = new Azurite(StartProcess(start, output, "node"), output, ports, logger);
        try
        {
            await azurite.WaitUntilListeningAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await azurite.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        LogStarted(logger, azurite.ProcessId, ports.Blob, ports.Queue, ports.Table);
        return azurite;
    }

    /// <summary>
    /// Stops Azurite with SIGTERM, on which it closes its three services and saves their databases (on disk it otherwise
    /// saves every 5 s), and returns true once all three say so; false when it did not within 20 s, or cannot be asked
    /// (Windows), and was killed instead, so that its last seconds of writes may be gone. It does not exit by itself
    /// afterwards (the wrapper keeps reading stdin), so it is killed either way. Disposing afterwards does nothing.
    /// </summary>
    public async Task<bool> StopAsync(CancellationToken cancellationToken)
    {
        if (Volatile.Read(ref stopped) != 0)
        {
            throw new InvalidOperationException("Azurite is already stopped.");
        }

        try
        {
            if (OperatingSystem.IsWindows() || process.HasExited)
            {
                return false;
            }

            using (var term = Process.Start("kill", ["-TERM", Invariant(process.Id)]))
            {
                await term.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            }

            var waited = Stopwatch.StartNew();
            while (output.ClosedServices < 3 && !process.HasExited && waited.Elapsed < SaveTimeout)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
            }

            return output.ClosedServices >= 3;
        }
        finally
        {
            await DisposeAsync().ConfigureAwait(false);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref stopped, 1) != 0)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnHostExit;
        var id = process.Id;
        Kill(process);
        using (var wait = new CancellationTokenSource(StopTimeout))
        {
            try
            {
                await process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Killed but not yet reaped; the operating system finishes it.
            }
        }

        process.Dispose();
        LogStopped(logger, id);
    }

    private void OnHostExit(object? sender, EventArgs e) => Kill(process);

    private static void Kill(Process process)
    {
        try
        {
            process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // It has already exited.
        }
    }

    private async Task WaitUntilListeningAsync(CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (process.HasExited)
            {
                // Let the output readers reach the end before quoting them.
                await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                throw new InvalidOperationException(
                    $"Azurite exited with code {process.ExitCode} before it listened on {Ports}. Its last output:{Environment.NewLine}{output}");
            }

            if (await Ports.CountAnsweringAsync(cancellationToken).ConfigureAwait(false) == 3)
            {
                return;
            }

            if (deadline.Elapsed > ListenTimeout)
            {
                throw new TimeoutException(
                    $"Azurite did not listen on {Ports} within {ListenTimeout.TotalSeconds:0} s. Its last output:{Environment.NewLine}{output}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }
    }

    private static async Task EnsureInstalledAsync(string repositoryRoot, ILogger logger, CancellationToken cancellationToken)
    {
        var bin = Path.Combine(repositoryRoot, "node_modules", ".bin", OperatingSystem.IsWindows() ? "azurite.cmd" : "azurite");
        if (File.Exists(bin))
        {
            LogFound(logger, bin);
            return;
        }

        LogInstalling(logger, repositoryRoot);
        var output = new OutputTail();
        var npm = OperatingSystem.IsWindows() ? "npm.cmd" : "npm";
        var start = new ProcessStartInfo(npm, ["ci", "--no-audit", "--no-fund"])
        {
            WorkingDirectory = repositoryRoot,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = StartProcess(start, output, npm);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(InstallTimeout);
        try
        {
            await process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(process);
            cancellationToken.ThrowIfCancellationRequested();
            throw new TimeoutException($"npm ci did not finish within {InstallTimeout.TotalMinutes:0} min in {repositoryRoot}. Its last output:{Environment.NewLine}{output}");
        }

        if (process.ExitCode != 0 || !File.Exists(bin))
        {
            throw new InvalidOperationException(
                $"npm ci failed with exit code {process.ExitCode} in {repositoryRoot}, so Azurite could not be installed. Its last output:{Environment.NewLine}{output}");
        }
    }

    private static Process StartProcess(ProcessStartInfo start, OutputTail output, string program)
    {
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => output.Add(e.Data);
        process.ErrorDataReceived += (_, e) => output.Add(e.Data);
        try
        {
            process.Start();
        }
        catch (Win32Exception e)
        {
            process.Dispose();
            throw new InvalidOperationException(
                $"Could not run {program}: Azurite needs Node.js and npm on the PATH (or set AzureWebJobsStorage to an existing storage account).", e);
        }

        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return process;
    }

    /// <summary>The script the package names as its <c>azurite</c> command (what node_modules/.bin/azurite runs).</summary>
    private static string EntryScript(string repositoryRoot)
    {
        var package = Path.Combine(repositoryRoot, "node_modules", "azurite");
        using var json = JsonDocument.Parse(File.ReadAllBytes(Path.Combine(package, "package.json")));
        var bin = json.RootElement.GetProperty("bin").GetProperty("azurite").GetString()
            ?? throw new InvalidOperationException($"{package}/package.json names no azurite command.");
        return Path.GetFullPath(Path.Combine(package, bin));
    }

    private static bool DependsOnAzurite(string packageJson)
    {
        try
        {
            using var json = JsonDocument.Parse(File.ReadAllBytes(packageJson));
            return json.RootElement.ValueKind == JsonValueKind.Object
                && ((json.RootElement.TryGetProperty("dependencies", out var dependencies) && Names(dependencies))
                    || (json.RootElement.TryGetProperty("devDependencies", out var devDependencies) && Names(devDependencies)));
        }
        catch (JsonException)
        {
            return false;
        }

        static bool Names(JsonElement dependencies) =>
            dependencies.ValueKind == JsonValueKind.Object && dependencies.TryGetProperty("azurite", out _);
    }

    private static string Invariant(int port) => port.ToString(CultureInfo.InvariantCulture);

    [LoggerMessage(Level = LogLevel.Information, Message = "Azurite is installed ({Bin})")]
    private static partial void LogFound(ILogger logger, string bin);

    [LoggerMessage(Level = LogLevel.Information, Message = "Azurite is not installed; running npm ci --no-audit --no-fund in {RepositoryRoot}")]
    private static partial void LogInstalling(ILogger logger, string repositoryRoot);

    [LoggerMessage(Level = LogLevel.Information, Message = "Azurite started (pid {ProcessId}) on 127.0.0.1: blob {BlobPort}, queue {QueuePort}, table {TablePort}")]
    private static partial void LogStarted(ILogger logger, int processId, int blobPort, int queuePort, int tablePort);

    [LoggerMessage(Level = LogLevel.Information, Message = "Azurite stopped (pid {ProcessId})")]
    private static partial void LogStopped(ILogger logger, int processId);

    /// <summary>
    /// The last lines a child process wrote on stdout and stderr, for error messages, and how many of Azurite's services
    /// have said they are closed.
    /// </summary>
    private sealed class OutputTail
    {
        private const int Lines = 20;
        private readonly Queue<string> lines = new(Lines);
        private int closedServices;

        public int ClosedServices => Volatile.Read(ref closedServices);

        public void Add(string? line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                return;
            }

            // "Azurite Blob service successfully closed", and the same of Queue and Table: its databases are saved.
            if (line.Contains("service successfully closed", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref closedServices);
            }

            lock (lines)
            {
                if (lines.Count == Lines)
                {
                    lines.Dequeue();
                }

                lines.Enqueue(line);
            }
        }

        public override string ToString()
        {
            lock (lines)
            {
                return lines.Count == 0 ? "(nothing)" : string.Join(Environment.NewLine, lines);
            }
        }
    }
}
