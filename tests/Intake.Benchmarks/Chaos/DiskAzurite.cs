using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Intake.Server.Storage;

namespace Intake.Benchmarks.Chaos;

/// <summary>
/// Azurite from the repository's node_modules keeping its data on disk (<c>--location</c>), so that it can be stopped
/// and started again on the same data and ports: the storage outage of the fault run. The server's own starter
/// (<see cref="Azurite"/>) keeps everything in memory, which a restart would wipe. Stopping sends SIGTERM, on which
/// Azurite closes its three services and saves their databases (it otherwise saves every 5 s): an outage, not a loss of
/// what storage acknowledged. It does not exit by itself afterwards (the wrapper keeps reading stdin), so once all three
/// say they are closed it is killed.
/// </summary>
internal sealed class DiskAzurite : IAsyncDisposable
{
    private static readonly TimeSpan ListenTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(20);

    // As in Azurite: the wrapper exits when its stdin closes, which happens however this process dies.
    private const string ExitWithParent =
        "process.stdin.on('end',()=>process.exit(0)).on('error',()=>process.exit(0)).resume();require(process.argv[1]);";

    private readonly string _repositoryRoot;
    private readonly string _location;
    private readonly StringBuilder _output = new();
    private Process? _process;
    private int _closed;

    private DiskAzurite(string repositoryRoot, string location, AzuritePorts ports)
    {
        _repositoryRoot = repositoryRoot;
        _location = location;
        Ports = ports;
        AppDomain.CurrentDomain.ProcessExit += OnHostExit;
    }

    public AzuritePorts Ports { get; }

    public string ConnectionString => Ports.ConnectionString;

    /// <summary>Starts Azurite on free ports over a fresh temporary folder, removed on dispose.</summary>
    public static async Task<DiskAzurite> StartAsync(string repositoryRoot, CancellationToken cancellationToken)
    {
        var location = Path.Combine(Path.GetTempPath(), "intake-chaos-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(location);
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
        if (_process is not null)
        {
            throw new InvalidOperationException("Azurite is running.");
        }

        var start = new ProcessStartInfo("node",
        [
            "-e", ExitWithParent, EntryScript(_repositoryRoot),
            "--location", _location, "--silent", "--disableTelemetry", "--skipApiVersionCheck", "--loose",
            "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
            "--blobPort", Invariant(Ports.Blob), "--queuePort", Invariant(Ports.Queue), "--tablePort", Invariant(Ports.Table),
        ])
        {
            WorkingDirectory = _repositoryRoot,
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => Add(e.Data);
        process.ErrorDataReceived += (_, e) => Add(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        var waited = Stopwatch.StartNew();
        while (await Ports.CountAnsweringAsync(cancellationToken).ConfigureAwait(false) < 3)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Azurite exited with code {process.ExitCode} before it listened. Its output:{Environment.NewLine}{Output()}");
            }

            if (waited.Elapsed > ListenTimeout)
            {
                throw new TimeoutException($"Azurite did not listen on {Ports} within {ListenTimeout.TotalSeconds:0} s. Its output:{Environment.NewLine}{Output()}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(100), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Stops Azurite with SIGTERM and waits until it has saved and exited; false when it had to be killed instead
    /// (then the last seconds of writes may be gone, and the run says so).
    /// </summary>
    public async Task<bool> StopAsync(CancellationToken cancellationToken)
    {
        var process = _process ?? throw new InvalidOperationException("Azurite is not running.");
        _process = null;
        Volatile.Write(ref _closed, 0);
        using (var kill = Process.Start("kill", ["-TERM", Invariant(process.Id)]))
        {
            await kill.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }

        try
        {
            var waited = Stopwatch.StartNew();
            while (Volatile.Read(ref _closed) < 3 && !process.HasExited)
            {
                if (waited.Elapsed > StopTimeout)
                {
                    return false;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(50), cancellationToken).ConfigureAwait(false);
            }

            return true;
        }
        finally
        {
            Kill(process);
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
            process.Dispose();
        }
    }

    public ValueTask DisposeAsync()
    {
        AppDomain.CurrentDomain.ProcessExit -= OnHostExit;
        if (_process is { } process)
        {
            _process = null;
            Kill(process);
            process.WaitForExit(TimeSpan.FromSeconds(10));
            process.Dispose();
        }

        try
        {
            Directory.Delete(_location, recursive: true);
        }
        catch (IOException)
        {
            // Left in the temporary folder; nothing depends on it.
        }

        return ValueTask.CompletedTask;
    }

    private void OnHostExit(object? sender, EventArgs e)
    {
        if (_process is { } process)
        {
            Kill(process);
        }
    }

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

    private void Add(string? line)
    {
        if (string.IsNullOrWhiteSpace(line))
        {
            return;
        }

        // "Azurite Blob service successfully closed", and the same of Queue and Table: its databases are saved.
        if (line.Contains("service successfully closed", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _closed);
        }

        lock (_output)
        {
            if (_output.Length > 4000)
            {
                _output.Remove(0, _output.Length - 2000);
            }

            _output.AppendLine(line);
        }
    }

    private string Output()
    {
        lock (_output)
        {
            return _output.Length == 0 ? "(nothing)" : _output.ToString();
        }
    }

    private static string EntryScript(string repositoryRoot)
    {
        var package = Path.Combine(repositoryRoot, "node_modules", "azurite");
        var manifest = Path.Combine(package, "package.json");
        if (!File.Exists(manifest))
        {
            throw new InvalidOperationException($"Azurite is not installed under {repositoryRoot}: run npm ci there first.");
        }

        using var json = JsonDocument.Parse(File.ReadAllBytes(manifest));
        var bin = json.RootElement.GetProperty("bin").GetProperty("azurite").GetString()
            ?? throw new InvalidOperationException($"{manifest} names no azurite command.");
        return Path.GetFullPath(Path.Combine(package, bin));
    }

    private static string Invariant(int value) => value.ToString(CultureInfo.InvariantCulture);
}
