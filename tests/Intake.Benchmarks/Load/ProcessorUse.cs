using System.Diagnostics;
using System.Globalization;

namespace Intake.Benchmarks.Load;

/// <summary>Processor use over a stretch of time, in cores (1.0 = one core busy throughout); null where not measured.</summary>
internal sealed record CpuUse(double? Server, double Azurite, double LoadTool, double? Others);

/// <summary>
/// The processor time of the server, Azurite and this tool at one moment, and on Linux of the whole machine, so that
/// a report can say what else was running: on a shared 2-core machine that changes every figure.
/// </summary>
internal readonly record struct CpuSample(long Timestamp, TimeSpan? Server, TimeSpan Azurite, TimeSpan Self, TimeSpan? Machine)
{
    private const string ProcStat = "/proc/stat";

    // USER_HZ, the unit of /proc/stat: 100 on every mainstream Linux build.
    private const double TicksPerSecond = 100;

    public static CpuSample Take(Process azurite, ServerProcess? server)
    {
        ArgumentNullException.ThrowIfNull(azurite);
        azurite.Refresh();
        using var self = Process.GetCurrentProcess();
        return new CpuSample(Stopwatch.GetTimestamp(), server?.ProcessorTime(), azurite.TotalProcessorTime, self.TotalProcessorTime, MachineBusy());
    }

    public CpuUse Since(CpuSample earlier)
    {
        var seconds = Stopwatch.GetElapsedTime(earlier.Timestamp, Timestamp).TotalSeconds;
        double Cores(TimeSpan busy) => busy.TotalSeconds / seconds;
        double? server = Server is { } s && earlier.Server is { } s0 ? Cores(s - s0) : null;
        var azurite = Cores(Azurite - earlier.Azurite);
        var self = Cores(Self - earlier.Self);
        double? others = Machine is { } m && earlier.Machine is { } m0 ? Math.Max(0, Cores(m - m0) - (server ?? 0) - azurite - self) : null;
        return new CpuUse(server, azurite, self, others);
    }

    /// <summary>Busy time of all processors since boot (user, nice, system, irq, softirq, steal), or null off Linux.</summary>
    private static TimeSpan? MachineBusy()
    {
        if (!File.Exists(ProcStat))
        {
            return null;
        }

        var fields = File.ReadLines(ProcStat).First().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        long Field(int i) => fields.Length > i ? long.Parse(fields[i], CultureInfo.InvariantCulture) : 0;
        var busy = Field(1) + Field(2) + Field(3) + Field(6) + Field(7) + Field(8);
        return TimeSpan.FromSeconds(busy / TicksPerSecond);
    }
}
