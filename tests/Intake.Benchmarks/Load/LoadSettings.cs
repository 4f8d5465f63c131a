using System.Globalization;

namespace Intake.Benchmarks.Load;

/// <summary>
/// <c>load [--concurrency 16] [--seconds 20] [--warmup 3] [--server-warmup 15]</c>, or <c>load --count-requests
/// [--concurrency 4] [--submissions 200]</c> for the diagnostic that counts the storage requests one submission costs.
/// The server's warm-up is longer than the raw inserts': its first seconds under load go to compiling (tiered JIT on a
/// saturated two-core machine), which is start-up, not the rate it keeps.
/// </summary>
internal sealed record LoadSettings(int Concurrency, int Seconds, int WarmupSeconds, bool CountRequests, int Submissions, int ServerWarmupSeconds = 15)
{
    public const string Usage =
        "usage: load [--concurrency 16] [--seconds 20] [--warmup 3] [--server-warmup 15]\n" +
        "       load --count-requests [--concurrency 4] [--submissions 200]";

    public TimeSpan Duration => TimeSpan.FromSeconds(Seconds);

    public TimeSpan Warmup => TimeSpan.FromSeconds(WarmupSeconds);

    public TimeSpan ServerWarmup => TimeSpan.FromSeconds(ServerWarmupSeconds);

    /// <summary>The settings, or null with <paramref name="error"/> set when the arguments are not understood.</summary>
    public static LoadSettings? Parse(IReadOnlyList<string> args, out string? error)
    {
        var countRequests = args.Contains("--count-requests");
        var options = args.Where(a => a != "--count-requests").ToList();

        // Counting wants each request attributed, not a saturated machine: a few clients are enough.
        var settings = new LoadSettings(Concurrency: countRequests ? 4 : 16, Seconds: 20, WarmupSeconds: 3, countRequests, Submissions: 200);
        for (var i = 0; i < options.Count; i += 2)
        {
            var name = options[i];
            if (name is not ("--concurrency" or "--seconds" or "--warmup" or "--server-warmup" or "--submissions"))
            {
                error = $"Unknown option {name}.";
                return null;
            }

            if (i + 1 >= options.Count || !int.TryParse(options[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var value)
                || (value == 0 && name is not ("--warmup" or "--server-warmup")))
            {
                error = $"{name} needs a whole number (above 0, except for the warm-ups).";
                return null;
            }

            settings = name switch
            {
                "--concurrency" => settings with { Concurrency = value },
                "--seconds" => settings with { Seconds = value },
                "--warmup" => settings with { WarmupSeconds = value },
                "--server-warmup" => settings with { ServerWarmupSeconds = value },
                _ => settings with { Submissions = value },
            };
        }

        error = null;
        return settings;
    }
}
