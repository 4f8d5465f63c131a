using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Intake.Benchmarks.Load;

/// <summary>
/// <c>Intake.Server</c> in Release as a child process, as it would run on a machine: <c>dotnet Intake.Server.dll</c>
/// with its settings in the environment. Disposing it kills it; so does the end of this process (not a hard kill).
/// </summary>
internal sealed class ServerProcess : IAsyncDisposable
{
    private const string Project = "functions/Intake.Server";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan BuildTimeout = TimeSpan.FromMinutes(5);

    private readonly Process _process;
    private readonly ProcessOutput _output;
    private int _stopped;

    private ServerProcess(Process process, ProcessOutput output, Uri baseUrl)
    {
        _process = process;
        _output = output;
        BaseUrl = baseUrl;
        AppDomain.CurrentDomain.ProcessExit += OnHostExit;
    }

    public Uri BaseUrl { get; }

    public int ProcessId => _process.Id;

    /// <summary>Lines the server logged at Warning or above (it runs with Logging:LogLevel:Default=Warning).</summary>
    public int Warnings => _output.Warnings;

    public string LastOutput => _output.ToString();

    /// <summary>Builds the server in Release when its output is missing or older than its sources, then starts it.</summary>
    public static async Task<ServerProcess> StartAsync(
        string repositoryRoot, IReadOnlyDictionary<string, string> settings, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        var dll = await EnsureBuiltAsync(repositoryRoot, log, cancellationToken).ConfigureAwait(false);
        return await StartBuiltAsync(dll, settings, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The Release server's <c>Intake.Server.dll</c>, built first when it is missing or older than its sources.</summary>
    public static async Task<string> EnsureBuiltAsync(string repositoryRoot, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(log);
        var output = BuildOutput(repositoryRoot, "Release");
        var dll = Path.Combine(output, "Intake.Server.dll");
        if (IsStale(Path.Combine(repositoryRoot, "functions", "Intake"), Path.Combine(output, "Intake.dll"))
            || IsStale(Path.Combine(repositoryRoot, Project), dll))
        {
            await log.WriteLineAsync($"Building {Project} in Release…").ConfigureAwait(false);
            await BuildAsync(repositoryRoot, cancellationToken).ConfigureAwait(false);
        }

        return dll;
    }

    /// <summary>Where <c>dotnet build -c <paramref name="configuration"/></c> puts the server.</summary>
    public static string BuildOutput(string repositoryRoot, string configuration) =>
        Path.Combine(repositoryRoot, Project, "bin", configuration, "net10.0");

    /// <summary>
    /// Starts the server already built at <paramref name="dll"/> on a free port and returns once it answers its health
    /// check. Disposing it kills it with SIGKILL (<see cref="Process.Kill(bool)"/>), as a crash would.
    /// </summary>
    public static async Task<ServerProcess> StartBuiltAsync(string dll, IReadOnlyDictionary<string, string> settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var output = Path.GetDirectoryName(Path.GetFullPath(dll))!;
        var port = FreePort();
        var baseUrl = new Uri(string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{port}/"));
        var start = new ProcessStartInfo("dotnet", [dll])
        {
            WorkingDirectory = output,
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var (key, value) in settings)
        {
            start.Environment[key] = value;
        }

        start.Environment["ASPNETCORE_URLS"] = baseUrl.GetLeftPart(UriPartial.Authority);
        var processOutput = new ProcessOutput();
        var server = new ServerProcess(ProcessOutput.Start(start, processOutput), processOutput, baseUrl);
        try
        {
            await server.WaitUntilHealthyAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return server;
    }

    /// <summary>The server's resident memory now, in bytes; null once it has exited.</summary>
    public long? WorkingSet()
    {
        try
        {
            _process.Refresh();
            return _process.HasExited ? null : _process.WorkingSet64;
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary>Samples <see cref="WorkingSet"/> every <paramref name="interval"/> until <paramref name="stop"/>; returns the highest.</summary>
    public async Task<long> MaxWorkingSetAsync(TimeSpan interval, CancellationToken stop)
    {
        var max = 0L;
        while (true)
        {
            max = Math.Max(max, WorkingSet() ?? 0);
            try
            {
                await Task.Delay(interval, stop).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                return Math.Max(max, WorkingSet() ?? 0);
            }
        }
    }

    public TimeSpan ProcessorTime()
    {
        try
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
        catch (InvalidOperationException)
        {
            return TimeSpan.Zero;
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0)
        {
            return;
        }

        AppDomain.CurrentDomain.ProcessExit -= OnHostExit;
        Kill(_process);
        using (var wait = new CancellationTokenSource(TimeSpan.FromSeconds(10)))
        {
            try
            {
                await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                // Killed but not yet reaped; the operating system finishes it.
            }
        }

        _process.Dispose();
    }

    private void OnHostExit(object? sender, EventArgs e) => Kill(_process);

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

    private async Task WaitUntilHealthyAsync(CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = Stopwatch.StartNew();
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process.HasExited)
            {
                await _process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
                throw new InvalidOperationException(
                    $"The server exited with code {_process.ExitCode} before it answered. Its last output:{Environment.NewLine}{_output}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("api/health", UriKind.Relative), cancellationToken).ConfigureAwait(false);
                if (response.StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // Listening but slow to answer while it starts.
            }

            if (deadline.Elapsed > StartTimeout)
            {
                throw new TimeoutException(
                    $"The server did not answer GET /api/health with 200 within {StartTimeout.TotalSeconds:0} s. Its last output:{Environment.NewLine}{_output}");
            }

            await Task.Delay(TimeSpan.FromMilliseconds(200), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>True when <paramref name="built"/> is missing or a source of <paramref name="projectDirectory"/> is newer.</summary>
    private static bool IsStale(string projectDirectory, string built)
    {
        if (!File.Exists(built))
        {
            return true;
        }

        var builtAt = File.GetLastWriteTimeUtc(built);
        return Directory.EnumerateFiles(projectDirectory, "*", SearchOption.AllDirectories)
            .Where(path => !IsUnder(path, "bin") && !IsUnder(path, "obj"))
            .Any(path => File.GetLastWriteTimeUtc(path) > builtAt);

        bool IsUnder(string path, string folder) =>
            path.StartsWith(Path.Combine(projectDirectory, folder) + Path.DirectorySeparatorChar, StringComparison.Ordinal);
    }

    private static async Task BuildAsync(string repositoryRoot, CancellationToken cancellationToken)
    {
        var output = new ProcessOutput();
        using var build = ProcessOutput.Start(
            new ProcessStartInfo("dotnet", ["build", "-c", "Release", Project, "--nologo", "-v", "q"])
            {
                WorkingDirectory = repositoryRoot,
                UseShellExecute = false,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
            },
            output);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(BuildTimeout);
        try
        {
            await build.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            Kill(build);
            throw;
        }

        if (build.ExitCode != 0)
        {
            throw new InvalidOperationException($"dotnet build -c Release {Project} failed with exit code {build.ExitCode}:{Environment.NewLine}{output}");
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The last lines a child process wrote, for error messages, and how many of them were warnings or errors.</summary>
    private sealed class ProcessOutput
    {
        private const int Lines = 30;
        private readonly Queue<string> _lines = new(Lines);
        private int _warnings;

        public int Warnings => Volatile.Read(ref _warnings);

        public static Process Start(ProcessStartInfo start, ProcessOutput output)
        {
            var process = new Process { StartInfo = start };
            process.OutputDataReceived += (_, e) => output.Add(e.Data);
            process.ErrorDataReceived += (_, e) => output.Add(e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return process;
        }

        private void Add(string? line)
        {
            if (string.IsNullOrWhiteSpace(line))
            {
                return;
            }

            // The console logger starts each entry with its level: warn, fail or crit.
            if (line.StartsWith("warn:", StringComparison.Ordinal) || line.StartsWith("fail:", StringComparison.Ordinal)
                || line.StartsWith("crit:", StringComparison.Ordinal))
            {
                Interlocked.Increment(ref _warnings);
            }

            lock (_lines)
            {
                if (_lines.Count == Lines)
                {
                    _lines.Dequeue();
                }

                _lines.Enqueue(line);
            }
        }

        public override string ToString()
        {
            lock (_lines)
            {
                return _lines.Count == 0 ? "(nothing)" : string.Join(Environment.NewLine, _lines);
            }
        }
    }
}
