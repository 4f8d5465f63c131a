using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;

namespace Intake.Benchmarks.Load;

/// <summary>The figures of one load run, the goals of the issue, and the report that prints them.</summary>
internal sealed record LoadReport(
    LoadSettings Settings,
    RawInsertResult Raw,
    CpuUse RawCpu,
    RawInsertResult RawSpread,
    MeasuredWindow Window,
    IReadOnlyList<SubmissionResult> Measured,
    IReadOnlyList<long> AcknowledgedAt,
    IReadOnlyList<TimeSpan?> AckDelays,
    TimeSpan AckWait,
    long IdleMemory,
    long MaxMemory,
    CpuUse Cpu,
    int ServerWarnings,
    string ServerOutput)
{
    public const double MinRatio = 0.40;
    public static readonly TimeSpan MaxP99 = TimeSpan.FromMilliseconds(250);
    public static readonly TimeSpan MaxAckP95 = TimeSpan.FromSeconds(1);
    public const long MaxMemoryBytes = 300L * 1024 * 1024;

    public int Accepted => Measured.Count(r => r.Status == 202);

    public (double Whole, double First, double Last) AcceptedRates => Window.Rates(Measured.Where(r => r.Status == 202).Select(r => r.EndedAt));

    public double AcceptedPerSecond => AcceptedRates.Whole;

    public double Ratio => Raw.PerSecond == 0 ? 0 : AcceptedPerSecond / Raw.PerSecond;

    /// <summary>Latencies of every measured request, whatever its answer.</summary>
    public TimeSpan P(double percentile) => Percentile([.. Measured.Select(r => (TimeSpan?)r.Latency)], percentile) ?? TimeSpan.Zero;

    /// <summary>An acknowledgement that never came counts as slower than any that did; null when the percentile falls on one.</summary>
    public TimeSpan? AckP(double percentile) => Percentile(AckDelays, percentile);

    public string Format(DateTimeOffset at)
    {
        var received = AckDelays.Count(d => d is not null);
        var refusals = Measured.Where(r => r.Status != 202).GroupBy(r => r.Status).OrderBy(g => g.Key)
            .Select(g => Invariant($"{(g.Key == 0 ? "no answer" : g.Key.ToString(CultureInfo.InvariantCulture))} ×{g.Count()}")).ToList();
        var text = new StringBuilder();
        text.AppendLine();
        text.AppendLine(Invariant($"Intake load run, {at:yyyy-MM-dd HH:mm} UTC: {Environment.ProcessorCount} cores ({CpuModel()}), {RuntimeInformation.FrameworkDescription}"));
        text.AppendLine(Invariant($"concurrency {Settings.Concurrency}, {Settings.Seconds} s measured after a warm-up of {Settings.WarmupSeconds} s (raw inserts) and {Settings.ServerWarmupSeconds} s (server)"));
        text.AppendLine();
        Line(text, "raw inserts, one partition", Invariant($"{Raw.PerSecond:N0}/s ({Raw.Completions.Count:N0} in {Settings.Seconds} s, {Raw.Failures} failed; {Edges(Raw.Rates)})"));
        Line(text, "  processor use (cores)", Format(RawCpu));
        Line(text, "raw inserts, a partition each", Invariant($"{RawSpread.PerSecond:N0}/s ({RawSpread.Failures} failed; {Edges(RawSpread.Rates)})"));
        Line(text, "accepted submissions", Invariant($"{AcceptedPerSecond:N1}/s ({Accepted:N0} in {Settings.Seconds} s, non-202: {(refusals.Count == 0 ? "0" : string.Join(", ", refusals))}; {Edges(AcceptedRates)})"));
        Line(text, "accepted / raw, one partition", Invariant($"{Ratio:P1}"), Goal(Ratio >= MinRatio, Invariant($"≥ {MinRatio:P0}")));
        Line(text, "accepted / raw, a partition each", Invariant($"{AcceptedPerSecond / RawSpread.PerSecond:P1}"));
        Line(text, "latency p50 / p95 / p99", Invariant($"{Ms(P(0.50))} / {Ms(P(0.95))} / {Ms(P(0.99))} ms"), Goal(P(0.99) < MaxP99, Invariant($"p99 < {Ms(MaxP99)} ms")));
        Line(text, "acknowledgements", Invariant($"{received:N0} of {AckDelays.Count:N0} received (waited {AckWait.TotalSeconds:0.0} s after the load)"));
        var acknowledged = Window.Rates(AcknowledgedAt);
        Line(text, "acknowledgements sent", Invariant($"{acknowledged.Whole:N1}/s during the measured window ({Edges(acknowledged)})"));
        Line(text, "submission → ack p50 / p95", Invariant($"{Seconds(AckP(0.50))} / {Seconds(AckP(0.95))} s"),
            Goal(AckDelays.Count > 0 && AckP(0.95) < MaxAckP95, Invariant($"p95 < {MaxAckP95.TotalSeconds:0} s")));
        Line(text, "server memory (max)", Invariant($"{Mb(MaxMemory)} MB (after start-up {Mb(IdleMemory)} MB)"),
            Goal(MaxMemory < MaxMemoryBytes, Invariant($"< {Mb(MaxMemoryBytes)} MB")));
        Line(text, "processor use (cores)", Format(Cpu));
        Line(text, "server warnings/errors", Invariant($"{ServerWarnings}"));
        if (ServerWarnings > 0)
        {
            text.AppendLine().AppendLine("The server's last output:").AppendLine(ServerOutput);
        }

        return text.ToString();
    }

    internal static TimeSpan? Percentile(IReadOnlyList<TimeSpan?> values, double percentile)
    {
        if (values.Count == 0)
        {
            return null;
        }

        // Nearest rank; missing values sort last.
        var sorted = values.OrderBy(v => v ?? TimeSpan.MaxValue).ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(percentile * sorted.Count) - 1, 0, sorted.Count - 1)];
    }

    private static string Format(CpuUse cpu) =>
        (cpu.Server is { } server ? Invariant($"server {server:0.00}, ") : "")
        + Invariant($"Azurite {cpu.Azurite:0.00}, load tool {cpu.LoadTool:0.00}")
        + (cpu.Others is { } others ? Invariant($", other processes {others:0.00}") : "");

    private static string Edges((double Whole, double First, double Last) rates) =>
        Invariant($"first {MeasuredWindow.Edge.TotalSeconds:0} s {rates.First:N0}/s, last {rates.Last:N0}/s");

    private static void Line(StringBuilder text, string what, string figure, string goal = "") =>
        text.AppendLine(Invariant($"  {what,-31}{figure,-64}{goal}").TrimEnd());

    private static string Goal(bool met, string goal) => (met ? "PASS  " : "FAIL  ") + goal;

    private static string Ms(TimeSpan span) => span.TotalMilliseconds.ToString("0", CultureInfo.InvariantCulture);

    /// <summary>"never" when the percentile falls on an acknowledgement that did not arrive.</summary>
    private static string Seconds(TimeSpan? span) => span is { } s ? s.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) : "never";

    private static string Mb(long bytes) => (bytes / (1024.0 * 1024)).ToString("0", CultureInfo.InvariantCulture);

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);

    /// <summary>The processor's model name on Linux, for the record of where a figure was measured.</summary>
    private static string CpuModel()
    {
        const string cpuInfo = "/proc/cpuinfo";
        var model = File.Exists(cpuInfo)
            ? File.ReadLines(cpuInfo).FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return model ?? RuntimeInformation.ProcessArchitecture.ToString();
    }
}
