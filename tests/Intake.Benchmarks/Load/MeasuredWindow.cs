using System.Diagnostics;

namespace Intake.Benchmarks.Load;

/// <summary>
/// The measured stretch of a phase, after its warm-up, in <see cref="Stopwatch.GetTimestamp"/> ticks. Something counts
/// in the window it completes in.
/// </summary>
internal readonly record struct MeasuredWindow(long From, long To)
{
    /// <summary>How long the start and the end of the window are, when comparing them.</summary>
    public static readonly TimeSpan Edge = TimeSpan.FromSeconds(5);

    public TimeSpan Duration => Stopwatch.GetElapsedTime(From, To);

    /// <summary>The window that starts after <paramref name="warmup"/> from now and lasts <paramref name="duration"/>.</summary>
    public static MeasuredWindow AfterWarmup(TimeSpan warmup, TimeSpan duration)
    {
        var from = Stopwatch.GetTimestamp() + Ticks(warmup);
        return new MeasuredWindow(from, from + Ticks(duration));
    }

    public bool Contains(long timestamp) => timestamp >= From && timestamp < To;

    public bool IsOver => Stopwatch.GetTimestamp() >= To;

    /// <summary>Events a second over the whole window, over its first <see cref="Edge"/> and over its last.</summary>
    public (double Whole, double First, double Last) Rates(IEnumerable<long> timestamps)
    {
        var (from, to) = (From, To);
        var edge = Math.Min(Ticks(Edge), to - from);
        var inWindow = timestamps.Where(Contains).ToList();
        var edgeSeconds = edge / (double)Stopwatch.Frequency;
        return (inWindow.Count / Duration.TotalSeconds,
            inWindow.Count(t => t < from + edge) / edgeSeconds,
            inWindow.Count(t => t >= to - edge) / edgeSeconds);
    }

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);
}
